// Debian's Chromium for the browser tests, driven by Playwright: where it is,
// whether this machine has it (CI requires it: PORCHLIGHT_REQUIRE_BROWSER=1),
// how it is started, and where screenshots go when asked for.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.PORCHLIGHT_CHROMIUM ?? '/usr/bin/chromium';
export const haveChromium = fs.existsSync(CHROMIUM);
/** With PORCHLIGHT_SCREENSHOTS=1 the tests write the README's screenshots here. */
export const SCREENSHOTS = process.env.PORCHLIGHT_SCREENSHOTS === '1' ? path.resolve('docs/screenshots') : undefined;

if (!haveChromium && process.env.PORCHLIGHT_REQUIRE_BROWSER === '1') {
  throw new Error(`Chromium is required for the browser tests but ${CHROMIUM} is missing: apt-get install chromium, or set PORCHLIGHT_CHROMIUM`);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
