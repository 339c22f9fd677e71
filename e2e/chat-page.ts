/** What a person does and sees in the open chat: sending through the composer, the messages on screen. */
import type { Locator, Page } from '@playwright/test';

/** Types `text` into the composer and sends it with Enter. */
export async function send(page: Page, text: string): Promise<void> {
  await page.getByTestId('composer-input').fill(text);
  await page.getByTestId('composer-input').press('Enter');
}

/** The texts of the messages on screen, in display order. */
export function messageTexts(page: Page) {
  return page.getByTestId('message-text');
}

/** The message on screen whose text is exactly `text`. */
export function messageWith(page: Page, text: string): Locator {
  return page.getByTestId('message').filter({ has: page.getByTestId('message-text').getByText(text, { exact: true }) });
}
