/**
 * One person's consecutive messages read as one run (issue 15): in a group
 * the name shows once per run, never on my own bubbles; a pause of more
 * than five minutes starts a new run; inside a run the bubbles sit closer
 * together than between runs. Desktop and phone.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { send } from './chat-page.js';
import { befriend } from './direct-chat.js';
import { personInNewContext, VIEWPORTS } from './people.js';
import { writeMessagesAs } from './tampering.js';

const MINUTE = 60 * 1000;

/** The texts of people's messages (not the system's lines). */
function texts(page: Page) {
  return page.locator('.message [data-testid="message-text"]');
}

async function box(locator: Locator) {
  const found = await locator.boundingBox();
  if (!found) throw new Error('not on screen');
  return found;
}

/** The space between two messages on screen, top one first. */
async function spaceBetween(page: Page, upper: string, lower: string): Promise<number> {
  const message = (text: string) =>
    page.getByTestId('message').filter({ has: page.getByTestId('message-text').getByText(text, { exact: true }) });
  const a = await box(message(upper));
  const b = await box(message(lower));
  return b.y - (a.y + a.height);
}

for (const viewport of VIEWPORTS) {
  test(`a group shows each run of messages with its author's name once, at ${viewport.name} size`, async ({ browser }) => {
    const ann = await personInNewContext(browser, 'Ann', viewport.size);
    const bob = await personInNewContext(browser, 'Bob');
    await befriend(ann, bob);
    await ann.page.getByTestId('group-create').click();
    await ann.page.getByTestId('group-title-input').fill('Runs');
    await ann.page.getByTestId('group-member-option').filter({ hasText: 'Bob' }).click();
    await ann.page.getByTestId('group-create-submit').click();
    await expect(ann.page.getByTestId('conversation-title')).toHaveText('Runs');
    await bob.page.getByTestId('conversation-item').filter({ hasText: 'Runs' }).click();
    await expect(bob.page.getByTestId('conversation-title')).toHaveText('Runs');
    // The group's document is here (its first line, who made it), not only its row in the list.
    await expect(bob.page.getByTestId('message').first()).toBeVisible();

    // Bob: three in a row, a minute apart. Ann: two. Bob again, then after a pause of six minutes.
    const start = Date.now() - 30 * MINUTE;
    await writeMessagesAs(bob.page, 'Bob', ['b1', 'b2', 'b3'], { startAt: start, stepMs: MINUTE });
    await expect(texts(ann.page)).toHaveText(['b1', 'b2', 'b3']);
    await send(ann.page, 'a1');
    await send(ann.page, 'a2');
    await expect(texts(bob.page)).toHaveText(['b1', 'b2', 'b3', 'a1', 'a2']);
    await writeMessagesAs(bob.page, 'Bob', ['b4', 'b5'], { startAt: Date.now(), stepMs: 6 * MINUTE });
    await expect(texts(ann.page)).toHaveText(['b1', 'b2', 'b3', 'a1', 'a2', 'b4', 'b5']);

    // Names seen: Bob's three runs (b1–b3, b4, b5), none over Ann's own.
    const shownNames = ann.page.locator('[data-testid="message"] .author:not(.unseen)');
    await expect(shownNames).toHaveText(['Bob', 'Bob', 'Bob']);
    await expect(ann.page.getByTestId('message').filter({ hasText: 'b1' }).locator('.author')).toBeVisible();
    // Out of sight (a screen reader's one pixel), not merely styled differently.
    expect((await box(ann.page.getByTestId('message').filter({ hasText: 'b2' }).locator('.author'))).width).toBeLessThanOrEqual(1);
    expect((await box(ann.page.getByTestId('message').filter({ hasText: 'a1' }).locator('.author'))).width).toBeLessThanOrEqual(1);
    // Screen readers still hear who wrote each message.
    await expect(ann.page.getByTestId('message').filter({ hasText: 'b2' }).locator('.author')).toHaveText('Bob');

    // Closer inside a run than between runs.
    const inside = await spaceBetween(ann.page, 'b1', 'b2');
    const between = await spaceBetween(ann.page, 'b3', 'a1');
    expect(inside).toBeLessThanOrEqual(3);
    expect(between).toBeGreaterThanOrEqual(inside + 4);
    await ann.page.screenshot({ path: `/tmp/ux15/1-runs-${viewport.name}.png` });

    await ann.context.close();
    await bob.context.close();
  });
}
