/**
 * axe-core on one screen, through `@axe-core/playwright` (it injects axe with
 * `evaluate`, which the app's Content-Security-Policy does not block). The
 * rules are WCAG 2.0/2.1 A and AA plus axe's best practices (landmarks,
 * headings, regions), the ones issue 16's check found broken.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

/** One broken rule on one screen, short enough to read in a failed assertion. */
export interface AxeFinding {
  screen: string;
  rule: string;
  impact: string;
  targets: string[];
  summary: string;
}

/** The violations axe finds on the page as it is now, labelled with `screen`. */
export async function axeFindings(page: Page, screen: string): Promise<AxeFinding[]> {
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  return results.violations.map((violation) => ({
    screen,
    rule: violation.id,
    impact: violation.impact ?? 'unknown',
    targets: violation.nodes.slice(0, 4).map((node) => node.target.map(String).join(' >> ')),
    summary: violation.nodes[0]?.failureSummary?.split('\n').slice(0, 3).join(' ') ?? violation.help,
  }));
}
