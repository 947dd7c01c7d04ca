// Opens the gateway's /docs page in headless Chromium as a person would and
// reports what happened, as one JSON object on stdout (the C++ test,
// tests/e2e/docs_page_test.cc, asserts on it):
//   node docs_page.mjs <gateway base URL> <API key> <advertiser id>
//
// 1. loads /docs and waits for Swagger UI to list the operations;
// 2. clicks "Authorize", enters the API key for bearerAuth, confirms;
// 3. opens GET /api/v1/tiktok/identities/check, clicks "Try it out", fills
//    advertiser_id, clicks "Execute" and reads the status and body shown.
// Along the way it records the page's answer headers, every request made to
// another origin, every Content-Security-Policy violation and script error.
import puppeteer from 'puppeteer-core';

const [base, apiKey, advertiser] = process.argv.slice(2);
if (!base || !apiKey || !advertiser) {
  console.error('usage: docs_page.mjs <base URL> <API key> <advertiser id>');
  process.exit(2);
}
const TRY_PATH = '/api/v1/tiktok/identities/check';
const TIMEOUT_MS = 60_000;

const report = {
  pageStatus: 0, pageHeaders: {}, paths: [], foreignRequests: [],
  cspViolations: [], pageErrors: [], tryIt: null, error: null, stepsMs: {},
};
let last = Date.now();
const step = (name) => {
  report.stepsMs[name] = Date.now() - last;
  last = Date.now();
};

const browser = await puppeteer.launch({
  executablePath: process.env.TTADS_CHROMIUM,
  headless: true,
  // Root in CI and containers: Chromium's sandbox needs user namespaces.
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
         '--no-first-run', '--disable-extensions'],
});
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(TIMEOUT_MS);
  const origin = new URL(base).origin;
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(origin) && !url.startsWith('data:')) {
      report.foreignRequests.push(url);
    }
  });
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) {
      report.cspViolations.push(m.text());
    }
  });
  page.on('pageerror', (e) => report.pageErrors.push(String(e)));
  let tryItAnswer = null;
  page.on('response', async (r) => {
    if (new URL(r.url()).pathname === TRY_PATH) {
      tryItAnswer = {
        status: r.status(),
        authorization: r.request().headers()['authorization'] || '',
      };
    }
  });

  const response = await page.goto(`${base}/docs`, {waitUntil: 'load'});
  report.pageStatus = response.status();
  report.pageHeaders = response.headers();
  step('launch and load');

  // 1. The operations listed.
  await page.waitForSelector('.opblock-summary-path');
  report.paths = await page.$$eval('.opblock-summary-path',
      (els) => els.map((e) => e.getAttribute('data-path')));
  step('operations listed');

  // 2. Authorize with the key.
  await page.click('.auth-wrapper button.authorize');
  await page.waitForSelector('.modal-ux input');
  await page.type('.modal-ux input', apiKey);
  await page.click('.modal-ux .auth-btn-wrapper button.authorize');
  await page.waitForSelector('.modal-ux .auth-btn-wrapper button.btn-done');
  await page.click('.modal-ux .auth-btn-wrapper button.btn-done');
  step('authorized');

  // 3. Try the identity check.
  const op = await page.waitForSelector(
      `.opblock-get:has(.opblock-summary-path[data-path="${TRY_PATH}"])`);
  // DOM clicks: the section grows as it opens, so a click at the position
  // the button had a moment ago could land elsewhere.
  const click = async (root, selector) =>
    (await root.waitForSelector(selector)).evaluate((b) => b.click());
  await click(op, '.opblock-summary-control');
  await click(op, '.try-out__btn');
  await op.waitForSelector('.try-out__btn.cancel');
  await op.type('tr[data-param-name="advertiser_id"] input', advertiser);
  await click(op, '.execute');
  const status = await op.waitForSelector(
      '.live-responses-table tbody .response-col_status');
  const body = await op.waitForSelector(
      '.live-responses-table tbody .response-col_description pre');
  report.tryIt = {
    shownStatus: (await status.evaluate((e) => e.textContent)).trim(),
    shownBody: await body.evaluate((e) => e.textContent),
    request: tryItAnswer,
  };
  step('tried');
} catch (e) {
  report.error = String(e && e.stack || e);
  if (process.env.TTADS_DOCS_SCREENSHOT) {
    const page = (await browser.pages()).at(-1);
    await page.screenshot({path: process.env.TTADS_DOCS_SCREENSHOT,
                           fullPage: false});
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
