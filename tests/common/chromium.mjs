// chromium.mjs - the headless browser of the dashboard's browser test
// (tests/web/browser.mjs) and slider bench (bench/web.mjs): Debian's
// /usr/bin/chromium driven by playwright-core from web/node_modules, with the
// browser's own traffic (updates, sync, QUIC) turned off, and a page the size
// of a desktop screen.  waitMs bounds the launch and every wait of the page,
// only so that a broken page cannot hang the caller.
//
//   const browser = await launchChromium(waitMs);
//   const page = await openPage(browser, waitMs);
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../web/package.json', import.meta.url));
const { chromium } = require('playwright-core');

export const launchChromium = (waitMs) => chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  timeout: waitMs,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

export const openPage = async (browser, waitMs) => {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1350 } });
  page.setDefaultTimeout(waitMs);
  return page;
};
