// browser.mjs - the dashboard in a real browser: headless Chromium
// (tests/common/chromium.mjs) loads the page, moves the USA-on-CHN "all goods"
// slider, waits for the charts to be redrawn, checks that the numbers shown
// (table and chart data) equal what the API answers for the same request, and
// saves a screenshot; switches to a world in model units (no money figures:
// dashes); then loads the page at a phone's width (390 px) and checks that
// only the table scrolls sideways, never the page.  It checks what the page
// shows, not how fast: the slider round trip is timed by make bench
// (bench/web.sh).  Each wait is for a state of the page, bounded by TW_WAIT_S
// seconds (default 120) only so that a broken page cannot hang the suite.
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
  // the table: every cell, default columns and "more columns", against the
  // API within the rounding shown (the decimals of the cell text); a null is
  // a dash with the reason as its tooltip
  const readTable = () => page.evaluate(() => ({
    heads: [...document.querySelectorAll('#results thead th')].map((th) => ({ field: th.dataset.field, text: th.textContent })),
    rows: [...document.querySelectorAll('#results tbody tr')].map((tr) => ({
      code: tr.dataset.code,
      cells: [...tr.querySelectorAll('td')].map((td) => ({ field: td.dataset.field, text: td.textContent, title: td.title })),
    })),
  }));
  let compared = 0;
  let dashes = 0;
  const checkTable = (table, what, answer) => {
    const money = /^(.*\S)\s+(thousand|million|billion)$/i.exec(answer.units || '');
    const perHousehold = money ? { thousand: 1e3, million: 1e6, billion: 1e9 }[money[2].toLowerCase()] : 1;
    check(table.rows.length === answer.countries.length, `${what}: a row per country (${table.rows.length})`);
    for (const row of table.rows) {
      const c = answer.countries.find((x) => x.code === row.code);
      if (!c) { check(false, `API has ${row.code}`); continue; }
      for (const cell of row.cells) {
        const want = c[cell.field];
        check(want !== undefined, `${row.code} ${cell.field}: the API has the field`);
        if (want === null) {
          check(cell.text === '\u2014' && /not in this world/.test(cell.title),
            `${row.code} ${cell.field}: null shows as a dash with the reason (${cell.text}, '${cell.title}')`);
          dashes++;
          continue;
        }
        const scale = cell.field.endsWith('_per_household') ? perHousehold : 1;
        const m = /^-?\d+(?:\.(\d+))?$/.exec(cell.text);
        const tol = m ? 0.5 * 10 ** -(m[1] || '').length + 1e-9 * Math.abs(want * scale) : 0;
        check(m && Math.abs(Number(cell.text) - want * scale) <= tol,
          `${row.code} ${cell.field}: page shows ${cell.text}, API says ${want * scale}`);
        compared++;
      }
    }
  };
  const compact = await readTable();
  const compactFields = compact.heads.slice(1).map((h) => h.field);
  for (const f of ['welfare_pct', 'real_gdp_pct', 'price_index_pct', 'etr_pre_pct', 'etr_post_pct', 'consumer_cost', 'ev', 'tariff_revenue_change'])
    check(compactFields.includes(f), `the default table shows ${f}`);
  check(compact.heads.some((h) => h.field === 'ev' && h.text.includes(api.units)), `the EV heading gives the units (${api.units})`);
  check(compact.heads.some((h) => h.field === 'etr_pre_pct' && h.text.includes('%')), 'the ETR heading gives the unit %');
  checkTable(compact, 'default columns', api);
  await page.locator('#more-columns').check();
  const full = await readTable();
  const fullFields = full.heads.slice(1).map((h) => h.field);
  for (const f of ['etr_base_pct', 'ev_per_household', 'consumer_cost_per_household', 'real_wage_pct', 'exports_pct',
    'imports_pct', 'tariff_revenue', 'tariff_revenue_pct', 'tariff_revenue_gdp_pct', 'tariff_revenue_gdp_base_pct'])
    check(fullFields.includes(f), `"more columns" shows ${f}`);
  checkTable(full, 'more columns', api);
  // world2011 has household consumption but no household count
  const usaRow = full.rows.find((r) => r.code === 'USA');
  check(usaRow && usaRow.cells.find((x) => x.field === 'ev_per_household')?.text === '\u2014', 'USA EV per household is a dash on world2011');
  check(dashes > 0, `null cells checked (${dashes})`);
  check(/lacks the data/.test(await page.locator('#table-legend').textContent()), 'the legend says what a dash means');
  await page.locator('#more-columns').uncheck();

  // the sector table: USA's sector rows by default, then China's when chosen;
  // every cell against the API's sector rows
  const readSectors = () => page.evaluate(() => ({
    country: document.getElementById('sector-country').value,
    heads: [...document.querySelectorAll('#sector-results thead th')].map((th) => th.dataset.field),
    rows: [...document.querySelectorAll('#sector-results tbody tr')].map((tr) => ({
      sector: tr.dataset.sector,
      cells: [...tr.querySelectorAll('td')].map((td) => ({ field: td.dataset.field, text: td.textContent })),
    })),
  }));
  const checkSectors = (t, code) => {
    const want = api.sectors.filter((r) => r.country === code);
    check(t.country === code && t.rows.length === want.length && want.length > 0,
      `sector table: ${code}, a row per sector (${t.rows.length} of ${want.length})`);
    for (const f of ['price_pct', 'producer_price_pct', 'import_price_pct', 'import_price_cif_pct', 'output_pct',
      'employment_pct', 'etr_base_pct', 'etr_pre_pct', 'etr_post_pct'])
      check(t.heads.includes(f), `sector table shows ${f}`);
    let n = 0;
    for (const row of t.rows) {
      const r = want.find((x) => x.sector === row.sector);
      for (const cell of row.cells) {
        const v = r ? r[cell.field] : undefined;
        const m = /^-?\d+(?:\.(\d+))?$/.exec(cell.text);
        const ok = v === null ? cell.text === '\u2014'
          : m && Math.abs(Number(cell.text) - v) <= 0.5 * 10 ** -(m[1] || '').length + 1e-9 * Math.abs(v);
        if (!ok) check(false, `${code} ${row.sector} ${cell.field}: page shows ${cell.text}, API says ${v}`);
        n++;
      }
    }
    check(n > 0, `${code}: ${n} sector cells equal the API's`);
  };
  checkSectors(await readSectors(), 'USA');
  await page.locator('#sector-country').selectOption('CHN');
  checkSectors(await readSectors(), 'CHN');
  await page.locator('#results tbody tr[data-code="USA"] th').click();
  check((await readSectors()).country === 'USA', 'a click on a country row shows its sectors');

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

  await page.screenshot({ path: shot, fullPage: true });

  // a world in model units has no money figures: EV and consumer cost are dashes
  const solves1 = await page.evaluate(() => window.tw.stats.solves);
  await page.locator('#world').selectOption('cp1993-balanced');
  await page.waitForFunction((n) => window.tw.stats.solves > n && window.tw.lastRequest.world === 'cp1993-balanced',
    solves1, { timeout: WAIT_MS });
  const unitless = await (await fetch(new URL('api/solve', url), {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(await page.evaluate(() => window.tw.lastRequest)),
  })).json();
  const dashes0 = dashes;
  const model = await readTable();
  checkTable(model, 'cp1993-balanced', unitless);
  check(model.rows.every((r) => r.cells.filter((x) => x.field === 'ev' || x.field === 'consumer_cost')
    .every((x) => x.text === '\u2014' && /model units/.test(x.title))), 'cp1993-balanced: EV and consumer cost are dashes (model units)');
  check(dashes - dashes0 >= 2 * unitless.countries.length, `cp1993-balanced: dashes checked (${dashes - dashes0})`);

  check(problems.length === 0, `no page errors: ${problems.join('; ')}`);
  console.log(`${compared} numbers and ${dashes} dashes compared with the API; screenshot ${shot}`);

  // a phone: the page itself does not scroll sideways, the table may inside its box
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
  phone.setDefaultTimeout(WAIT_MS);
  phone.on('pageerror', (e) => problems.push(`page error (390 px): ${e.message}`));
  await phone.route((u) => !u.href.startsWith(url), (route) => route.abort());
  await phone.goto(url);
  await phone.waitForFunction(() => window.tw && window.tw.ready && window.tw.stats.solves >= 1 &&
    /steps on/.test(document.getElementById('timeline-status').textContent), null, { timeout: WAIT_MS });
  for (const more of [false, true]) {
    if (more) await phone.locator('#more-columns').check();
    const w = await phone.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      view: document.documentElement.clientWidth,
      box: document.querySelector('.table-box').getBoundingClientRect().right,
    }));
    check(w.page <= w.view && w.box <= w.view, `390 px${more ? ', more columns' : ''}: the page does not scroll sideways ` +
      `(page ${w.page} px, table box ends at ${w.box} px, view ${w.view} px)`);
  }
  check(problems.length === 0, `no page errors at 390 px: ${problems.join('; ')}`);
  await phone.close();
} finally {
  await browser.close();
}
console.log(`${passes} passed, ${failures} failed`);
process.exit(failures ? 1 : 0);
