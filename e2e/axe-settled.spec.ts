/**
 * The accessibility checks judge a settled screen: a control fading in (as the message actions do on hover)
 * is checked once its fade has ended, not halfway, when its text reads at a contrast near 1:1 (the cause of
 * the phone-size accessibility check failing 1 run in a few). Inside a shadow root, as the app's Lit
 * components draw it.
 */
import { expect, test } from '@playwright/test';
import { axeFindings } from './axe.js';

test('axe waits for a fade to end before it judges colours', async ({ page }) => {
  await page.setContent(
    `<!doctype html><html lang="en"><head><title>Fade</title></head><body><main><h1>Fade</h1><div id="host"></div></main></body></html>`,
  );
  await page.evaluate(() => {
    const root = document.getElementById('host')?.attachShadow({ mode: 'open' });
    if (!root) throw new Error('no host');
    root.innerHTML = `<style>
      button { color: #1f2937; background: #ffffff; border: 1px solid #1f2937; opacity: 0; transition: opacity 1.5s linear; }
      button.shown { opacity: 1; }
    </style><button type="button">Reply</button>`;
    const button = root.querySelector('button');
    if (!button) throw new Error('no button');
    // The fade starts from the drawn opacity 0, as a hover would start it.
    getComputedStyle(button).opacity;
    button.classList.add('shown');
  });
  const running = () => page.evaluate(() => document.getElementById('host')?.shadowRoot?.getAnimations().length);
  expect(await running()).toBe(1);
  expect(await axeFindings(page, 'fading in')).toEqual([]);
  expect(await running()).toBe(0);
});
