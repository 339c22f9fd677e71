/**
 * One person's browser in an engine that is not Chromium, behind one small
 * interface: go to a page, reload it, run a script in it. Firefox (Debian's
 * firefox-esr) is driven by puppeteer-core over WebDriver BiDi; WebKit
 * (WebKitGTK's MiniBrowser, the engine of Safari) by webdriverio through
 * Debian's WebKitWebDriver. Playwright cannot drive either Debian build: its
 * Firefox and WebKit are patched builds it downloads.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import puppeteer from 'puppeteer-core';
import { remote } from 'webdriverio';
import { IN_PAGE_HELPERS } from './in-page.js';

export type EngineName = 'firefox' | 'webkit';

export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
export const WEBKIT_DRIVER_PATH = process.env.WEBKIT_DRIVER_PATH ?? '/usr/bin/WebKitWebDriver';
export const MINIBROWSER_PATH = process.env.MINIBROWSER_PATH ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/** How long one script in the page may take before the suite calls it stuck. */
const SCRIPT_TIMEOUT_MS = 30_000;

/** Somewhere scripts run: a page, or a frame in it. */
export interface ScriptTarget {
  readonly engine: EngineName;
  /**
   * Runs `body` as an async function, with `args` and the helpers of
   * in-page.ts in scope, and returns what it returns (JSON).
   */
  run<T>(body: string, args?: unknown): Promise<T>;
}

export interface EnginePage extends ScriptTarget {
  goto(url: string): Promise<void>;
  reload(): Promise<void>;
  /** The page's frame (at any depth, shadow roots included) whose address contains `urlPart`. */
  inFrame(urlPart: string): ScriptTarget;
  close(): Promise<void>;
}

function bounded<T>(what: string, promise: Promise<T>, ms = SCRIPT_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const script = (body: string) => `(async (args) => {\n${IN_PAGE_HELPERS}\n${body}\n})`;

async function openFirefox(): Promise<EnginePage> {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    protocolTimeout: SCRIPT_TIMEOUT_MS,
  });
  const page = await browser.newPage();
  return {
    engine: 'firefox',
    async goto(url) {
      await page.goto(url, { waitUntil: 'load', timeout: SCRIPT_TIMEOUT_MS });
    },
    async reload() {
      await page.reload({ waitUntil: 'load', timeout: SCRIPT_TIMEOUT_MS });
    },
    run<T>(body: string, args: unknown = null) {
      return bounded('a script in Firefox', page.evaluate(`${script(body)}(${JSON.stringify(args)})`) as Promise<T>);
    },
    inFrame(urlPart) {
      return {
        engine: 'firefox',
        run<T>(body: string, args: unknown = null) {
          const frame = page.frames().find((candidate) => candidate !== page.mainFrame() && candidate.url().includes(urlPart));
          if (!frame) return Promise.reject(new Error(`no frame at ${urlPart}`));
          return bounded('a script in a Firefox frame', frame.evaluate(`${script(body)}(${JSON.stringify(args)})`) as Promise<T>);
        },
      };
    },
    async close() {
      await browser.close();
    },
  };
}

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Starts WebKitWebDriver and resolves once it answers /status (bounded: 100 tries, 10 s). */
async function startWebKitDriver(): Promise<{ port: number; process: ChildProcess }> {
  const port = await freePort();
  const driver = spawn(WEBKIT_DRIVER_PATH, [`--port=${port}`, '--host=127.0.0.1'], { stdio: 'ignore' });
  const exited = new Promise<never>((_, reject) => driver.once('exit', (code) => reject(new Error(`WebKitWebDriver exited (${code})`))));
  exited.catch(() => undefined);
  for (let attempt = 0; attempt < 100; attempt++) {
    const ready = await Promise.race([
      fetch(`http://127.0.0.1:${port}/status`).then(
        (response) => response.ok,
        () => false,
      ),
      exited,
    ]);
    if (ready) return { port, process: driver };
    // The driver only listens after it started; nothing to await but its port.
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  driver.kill();
  throw new Error('WebKitWebDriver did not answer within 10 s');
}

/** WebKitGTK's own capability; webdriverio's types do not list vendor prefixes it does not know. */
const webkitCapabilities = { 'webkitgtk:browserOptions': { binary: MINIBROWSER_PATH, args: ['--automation'] } } as WebdriverIO.Capabilities;

const ELEMENT_KEY = 'element-6066-11e4-a52e-4f735466cecf';

/** An element returned from a WebDriver script, as the reference switchToFrame takes (webdriverio may have wrapped it). */
function elementReference(found: unknown): { [ELEMENT_KEY]: string } | undefined {
  if (typeof found !== 'object' || found === null) return undefined;
  const record = found as Record<string, unknown>;
  const id = record[ELEMENT_KEY] ?? record.elementId;
  return typeof id === 'string' ? { [ELEMENT_KEY]: id } : undefined;
}

async function openWebKit(): Promise<EnginePage> {
  const driver = await startWebKitDriver();
  try {
    // No browserName: WebKitWebDriver fails to match one. MiniBrowser has no headless mode: the suite runs under xvfb-run.
    const browser = await remote({
      hostname: '127.0.0.1',
      port: driver.port,
      path: '/',
      logLevel: 'silent',
      connectionRetryCount: 0,
      capabilities: webkitCapabilities,
    });
    return {
      engine: 'webkit',
      async goto(url) {
        await bounded('loading a page in WebKit', browser.url(url));
      },
      async reload() {
        await bounded('reloading in WebKit', browser.refresh());
      },
      run<T>(body: string, args: unknown = null) {
        return bounded('a script in WebKit', browser.execute(`return ${script(body)}(arguments[0])`, args) as Promise<T>);
      },
      inFrame(urlPart) {
        return {
          engine: 'webkit',
          async run<T>(body: string, args: unknown = null) {
            const found: unknown = await browser.execute(
              `${IN_PAGE_HELPERS}\nreturn all('iframe').find((frame) => frame.src.includes(arguments[0])) ?? null;`,
              urlPart,
            );
            const reference = elementReference(found);
            if (!reference) throw new Error(`no frame at ${urlPart} (${JSON.stringify(found)})`);
            await browser.switchToFrame(reference);
            try {
              return await bounded(
                'a script in a WebKit frame',
                browser.execute(`return ${script(body)}(arguments[0])`, args) as Promise<T>,
              );
            } finally {
              await browser.switchToParentFrame();
            }
          },
        };
      },
      async close() {
        try {
          await bounded('closing WebKit', browser.deleteSession());
        } finally {
          driver.process.kill();
        }
      },
    };
  } catch (error) {
    driver.process.kill();
    throw error;
  }
}

export function openEngine(engine: EngineName): Promise<EnginePage> {
  return engine === 'firefox' ? openFirefox() : openWebKit();
}
