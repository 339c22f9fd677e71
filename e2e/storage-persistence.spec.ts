/**
 * "History on this device" in Chromium: the profile sheet says the browser
 * keeps history only best effort, "Keep history offline" asks for persistent
 * storage, and the sheet shows what Chromium answered. Chromium decides
 * without a prompt, from how the site is used (installed, bookmarked, visited
 * often): a site just met in a fresh profile is refused, and the person reads
 * so. (Firefox and WebKit: e2e/engines/core.engine.ts.)
 */
import { expect, test } from '@playwright/test';
import { personInNewContext } from './people.js';

test('Keep history offline asks the browser for persistent storage and shows its answer', async ({ browser }) => {
  const { page, context } = await personInNewContext(browser, 'Alice');
  await page.getByTestId('profile-edit').click();
  const state = page.getByTestId('storage-state');
  await expect(state).toHaveAttribute('data-state', 'best-effort');
  await expect(state).toContainText('Not promised');
  await expect(state).not.toContainText('did not grant');

  await page.getByTestId('storage-persist').click();
  await expect(state).toHaveAttribute('data-state', 'best-effort');
  await expect(state).toContainText('The browser did not grant it. Not promised');
  // It can be asked again later (e.g. once the app is installed).
  await expect(page.getByTestId('storage-persist')).toBeEnabled();
  await context.close();
});
