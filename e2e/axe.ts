/**
 * axe-core on one screen, through `@axe-core/playwright` (it injects axe with
 * `evaluate`, which the app's Content-Security-Policy does not block). The
 * rules are WCAG 2.0/2.1 A and AA plus axe's best practices (landmarks,
 * headings, regions), the ones issue 16's check found broken.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import type { AxeResults } from 'axe-core';
import { createRequire } from 'node:module';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

/** The axe-core that @axe-core/playwright itself loads (its dependency), so both ways below run the same rules. */
const axeSource: string = createRequire(createRequire(import.meta.url).resolve('@axe-core/playwright'))('axe-core').source;

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
  await animationsSettled(page);
  const results = page.frames().length === 1 ? await axeInPage(page) : await new AxeBuilder({ page }).withTags(TAGS).analyze();
  return results.violations.map((violation) => ({
    screen,
    rule: violation.id,
    impact: violation.impact ?? 'unknown',
    targets: violation.nodes.slice(0, 4).map((node) => node.target.map(String).join(' >> ')),
    summary: violation.nodes[0]?.failureSummary?.split('\n').slice(0, 3).join(' ') ?? violation.help,
  }));
}

/**
 * Waits, at most `limitMs`, for the page's animations and transitions that end to end, in the document and
 * in every shadow root (Chromium's `document.getAnimations()` leaves out those inside shadow roots, where the
 * app's Lit components draw). axe judges colours as drawn: a control in the middle of a fade (the message
 * actions' 0.15 s opacity, fading out as a dialog takes the focus) reads as text at a contrast near 1:1,
 * which failed the phone-size accessibility check when axe started inside the fade. Endless animations (a
 * spinner) are not waited for. `getAnimations` first brings styles up to date, so a transition the last step
 * started is among them.
 */
async function animationsSettled(page: Page, limitMs = 3_000): Promise<void> {
  await page.evaluate(async (limit) => {
    const ending: Animation[] = [];
    const roots: Array<Document | ShadowRoot> = [document];
    for (let i = 0; i < roots.length; i++) {
      const root = roots[i];
      for (const animation of root.getAnimations()) {
        if (Number.isFinite(Number(animation.effect?.getComputedTiming().endTime ?? Number.POSITIVE_INFINITY))) ending.push(animation);
      }
      for (const element of root.querySelectorAll('*')) if (element.shadowRoot) roots.push(element.shadowRoot);
    }
    if (ending.length === 0) return;
    await Promise.race([
      Promise.all(ending.map((animation) => animation.finished.catch(() => undefined))),
      new Promise((resolve) => setTimeout(resolve, limit)),
    ]);
  }, limitMs);
}

/**
 * axe.run in a page without frames, axe loaded once per document. AxeBuilder's analyze loads axe's
 * 1.3 MB into the page at every check and then again into a blank page it opens to merge the frames'
 * results: 2.6-6 s a check against 0.5-0.8 s this way at load 24, with the same findings (compared
 * on the sign-in and sign-up screens with a planted violation). A page with a frame (the widget on a
 * host page, on another origin) keeps AxeBuilder, which also checks inside the frame.
 */
async function axeInPage(page: Page): Promise<AxeResults> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return page.evaluate(
    (tags) =>
      (window as unknown as { axe: { run: typeof import('axe-core').run } }).axe.run(document, { runOnly: { type: 'tag', values: tags } }),
    TAGS,
  );
}
