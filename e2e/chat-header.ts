/** The open conversation's header actions: in the row on a desktop, behind "More" on a phone (chat-view.ts). */
import { expect, type Page } from '@playwright/test';

/** Clicks a header action (a data-testid), opening "More" first when the action is in it. */
export async function clickHeaderAction(page: Page, testId: string): Promise<void> {
  const action = page.getByTestId(testId);
  if (!(await action.isVisible())) {
    await page.getByTestId('header-more').click();
    await expect(action).toBeVisible();
  }
  await action.click();
}
