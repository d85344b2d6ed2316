// browser.mjs - the dashboard in a real browser: headless Chromium
// (tests/common/chromium.mjs) loads the page, moves the USA-on-CHN "all goods"
// slider, waits for the charts to be redrawn, checks that the numbers shown
// (table and chart data) equal what the API answers for the same request, and
// saves a screenshot.  It checks what the page shows, not how fast: the slider
// round trip is timed by make bench (bench/web.sh).  Each wait is for a state
// of the page, bounded by TW_WAIT_S seconds (default 120) only so that a
// broken page cannot hang the suite.
//
// usage: node browser.mjs URL SCREENSHOT.png
import { launchChromium, openPage } from '../common/chromium.mjs';

const [url, shot] = process.argv.slice(2);
const WAIT_MS = 1000 * Number(process.env.TW_WAIT_S || 120);
let failures = 0;
let passes = 0;
const check = (ok, what) => {
  if (ok) passes++;
  else {
    failures++;
    console.log(`FAIL: ${what}`);
  }
};

const browser = await launchChromium(WAIT_MS);
try {
  const page = await openPage(browser, WAIT_MS);
  page.setDefaultNavigationTimeout(WAIT_MS);
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('requestfailed', (r) => {
    if (!/net::ERR_ABORTED/.test(r.failure()?.errorText || '')) problems.push(`request failed: ${r.url()}`);
  });
  // nothing may leave the machine: the page must work offline
  await page.route((u) => !u.href.startsWith(url), (route) => {
    problems.push(`off-site request: ${route.request().url()}`);
    return route.abort();
  });

  await page.goto(url);
  await page.waitForFunction(() => window.tw && window.tw.ready && window.tw.stats.solves >= 1, null, { timeout: WAIT_MS });
  check(await page.evaluate(() => document.querySelector('#world').value) === 'world2011', 'default world is world2011');

  const barsData = () => page.evaluate(() => {
    const o = echarts.getInstanceByDom(document.getElementById('bars')).getOption();
    return { codes: o.xAxis[0].data, series: o.series.map((s) => s.data) };
  });
  const before = await barsData();
  const solves0 = await page.evaluate(() => window.tw.stats.solves);

  // move the slider: USA's tariff on all goods from China to 60 %
  const slider = page.locator('#rate-USA-CHN-all');
  await slider.fill('60');
  await page.waitForFunction((n) => window.tw.stats.solves > n &&
    window.tw.lastRequest.tariffs.some((t) => t.importer === 'USA' && t.exporter === 'CHN' && Math.abs(t.rate - 0.6) < 1e-12),
  solves0, { timeout: WAIT_MS });
  const after = await barsData();

  const usa = after.codes.indexOf('USA');
  const chn = after.codes.indexOf('CHN');
  check(usa >= 0 && chn >= 0, 'bar chart lists USA and CHN');
  check(Math.abs(after.series[0][chn] - before.series[0][chn]) > 1e-6, 'CHN welfare bar changed after the slider moved');
  check(after.series[0][chn] < before.series[0][chn], 'a higher US tariff lowers China\'s welfare');

  // the same request, straight to the API
  const request = await page.evaluate(() => window.tw.lastRequest);
  const api = await (await fetch(new URL('api/solve', url), {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(request),
  })).json();
  check(Array.isArray(api.countries), 'API answers the page\'s request');
  const shown = await page.evaluate(() => [...document.querySelectorAll('#results tbody tr')].map((tr) => ({
    code: tr.dataset.code,
    cells: [...tr.querySelectorAll('td')].map((td) => ({ field: td.dataset.field, text: td.textContent })),
  })));
  check(shown.length === api.countries.length, `table has a row per country (${shown.length})`);
  const digits = { welfare_pct: 4, real_wage_pct: 4, price_index_pct: 4, exports_pct: 3, imports_pct: 3, tariff_revenue: 0 };
  let compared = 0;
  for (const row of shown) {
    const c = api.countries.find((x) => x.code === row.code);
    if (!c) { check(false, `API has ${row.code}`); continue; }
    for (const cell of row.cells) {
      const want = c[cell.field].toFixed(digits[cell.field]);
      check(cell.text === want, `${row.code} ${cell.field}: page shows ${cell.text}, API says ${want}`);
      compared++;
    }
  }
  after.codes.forEach((code, k) => {
    const c = api.countries.find((x) => x.code === code);
    check(Math.abs(after.series[0][k] - c.welfare_pct) < 1e-9, `${code} welfare bar equals the API's`);
    check(Math.abs(after.series[1][k] - c.real_wage_pct) < 1e-9, `${code} real-wage bar equals the API's`);
    check(Math.abs(after.series[2][k] - c.price_index_pct) < 1e-9, `${code} price bar equals the API's`);
  });
  const mapOk = await page.evaluate(() => {
    const o = echarts.getInstanceByDom(document.getElementById('map')).getOption();
    const d = o.series[0].data;
    const us = d.find((x) => x.region === 'USA');
    return { n: d.length, usa: us ? us.value : null };
  });
  check(mapOk.n > 100, `map colours the countries (${mapOk.n})`);
  check(Math.abs(mapOk.usa - api.countries.find((x) => x.code === 'USA').welfare_pct) < 1e-9, 'map shows the USA welfare of the API');
  const bil = await page.evaluate(() => echarts.getInstanceByDom(document.getElementById('bilateral')).getOption().series[0].data.length);
  check(bil === (api.bilateral || []).length && bil > 0, `bilateral chart has every pair with trade (${bil})`);

  // the timeline the page runs on load
  await page.waitForFunction(() => /steps on/.test(document.getElementById('timeline-status').textContent), null, { timeout: WAIT_MS })
    .catch(() => check(false, 'timeline drawn'));
  const tlSeries = await page.evaluate(() => {
    const o = echarts.getInstanceByDom(document.getElementById('timeline')).getOption();
    return o.series ? o.series.length : 0;
  });
  check(tlSeries >= 2, `timeline chart has the focus countries and tariffs (${tlSeries} series)`);

  check(problems.length === 0, `no page errors: ${problems.join('; ')}`);
  await page.screenshot({ path: shot, fullPage: true });
  console.log(`${compared} numbers compared with the API; screenshot ${shot}`);
} finally {
  await browser.close();
}
console.log(`${passes} passed, ${failures} failed`);
process.exit(failures ? 1 : 0);
