import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium, or the one CHROMIUM_PATH names. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const INSTALL_HINT = 'apt-get update && apt-get install -y chromium';

/** Whether the browser tests can run here. */
export function chromiumInstalled(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/**
 * `describe` for browser tests: runs them when Chromium is installed. Without it, CI fails with
 * the install command, and a developer's run shows one skipped test whose name says how to
 * install it (never a silent pass).
 */
export function describeWithChromium(name: string, body: () => void): void {
  if (chromiumInstalled()) {
    describe(name, body);
    return;
  }
  if (process.env.CI === 'true' || process.env.CI === '1') {
    describe(name, () => {
      it(`needs Chromium at ${CHROMIUM_PATH}: ${INSTALL_HINT}`, () => {
        throw new Error(
          `Chromium is not installed at ${CHROMIUM_PATH}. Install it: ${INSTALL_HINT}`,
        );
      });
    });
    return;
  }
  process.stderr.write(
    `\n${name}: skipped: chromium not installed — ${INSTALL_HINT} (or set CHROMIUM_PATH)\n`,
  );
  describe(name, () => {
    it.skip(`skipped: chromium not installed — ${INSTALL_HINT}`, () => undefined);
  });
}

/**
 * Headless Chromium with the flags that work as root here. Playwright gives every launch a
 * fresh temporary profile (it refuses a `--user-data-dir` argument), so no state carries over.
 */
export async function launchChromium(): Promise<{ browser: Browser; close: () => Promise<void> }> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
    },
  };
}

/** Where the tests' screenshots go (gitignored; CI keeps it as an artefact). */
export const SCREENSHOT_DIR = join(__dirname, '..', '..', '..', 'test-output', 'screenshots');

export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return join(SCREENSHOT_DIR, `${name}.png`);
}
