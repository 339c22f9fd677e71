/** The app's service worker in end-to-end tests. */
import { expect, type Page } from '@playwright/test';

interface WorkerState {
  controlled: boolean;
  installing: string | null;
  waiting: string | null;
  active: string | null;
}

function workerState(page: Page): Promise<WorkerState> {
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    return {
      controlled: navigator.serviceWorker.controller !== null,
      installing: registration?.installing?.state ?? null,
      waiting: registration?.waiting?.state ?? null,
      active: registration?.active?.state ?? null,
    };
  });
}

/**
 * Waits until the service worker controls the page, so an offline reload is
 * served from the precache and lazy chunks load offline.
 *
 * It polls the registration rather than awaiting `ready` and `controllerchange`:
 * CI once spent the whole test timeout in that wait (stop 24), and a poll fails
 * with what the worker was doing. The worker claims the page that installed it;
 * should the claim not reach this page, an activated worker controls the page's
 * next load, which is what the tests need, so the page is reloaded once.
 */
export async function waitForServiceWorker(page: Page): Promise<void> {
  await expect
    .poll(() => workerState(page), { message: 'the service worker is activated', timeout: 30_000 })
    .toMatchObject({ active: 'activated' });
  const claimed = await expect
    .poll(() => workerState(page), { timeout: 5_000 })
    .toMatchObject({ controlled: true })
    .then(
      () => true,
      () => false,
    );
  if (claimed) return;
  await page.reload();
  await expect
    .poll(() => workerState(page), { message: 'the reloaded page is controlled by the service worker' })
    .toMatchObject({ controlled: true });
}
