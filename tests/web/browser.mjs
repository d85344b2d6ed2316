// browser.mjs - the dashboard in a real browser: headless Chromium
// (tests/common/chromium.mjs) loads the page, moves the USA-on-CHN "all goods"
// slider, waits for the charts to be redrawn, checks that the numbers shown
// (table and chart data) equal what the API answers for the same request, and
// saves a screenshot; checks the sector table, pin and compare, the shared
// link (a second page at the page's URL shows the same state), the downloads
// and the comparison of two saved runs; the game panel (a best response, the
// talks with their frontier and a concession, an escalation path: every
// number shown against the API); switches to a world in model units (no
// money figures: dashes; the timeline of the last world is cleared) and to one
// whose baseline is not an equilibrium (the note above the charts); then loads
// the page at a phone's width (390 px), checks that only the table scrolls
// sideways, never the page, and saves a phone screenshot.  It checks what the page
// shows, not how fast: the slider round trip is timed by make bench
// (bench/web.sh).  Each wait is for a state of the page, bounded by TW_WAIT_S
// seconds (default 120) only so that a broken page cannot hang the suite.
//
// usage: node browser.mjs URL SCREENSHOT.png
import { launchChromium, openPage } from '../common/chromium.mjs';

const [url, shot] = process.argv.slice(2);
const WAIT_MS = 1000 * Number(process.env.TW_WAIT_S || 600);
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
  // the page opens on the server's default world, world2023; the others stay in the menu
  const worldMenu = await page.evaluate(() => ({ value: document.querySelector('#world').value,
    options: [...document.querySelectorAll('#world option')].map((o) => o.value) }));
  const apiWorlds = await (await fetch(new URL('api/worlds', url))).json();
  check(worldMenu.value === 'world2023' && apiWorlds.default === 'world2023', `default world is world2023 (${worldMenu.value})`);
  check(['world2011', 'cp1993', 'cp1993-balanced'].every((w) => worldMenu.options.includes(w)),
    `world2011 and cp1993 stay selectable (${worldMenu.options})`);
  check(/short-run \(default\)/.test(await page.evaluate(() => document.querySelector('#elasticities').selectedOptions[0].text)),
    'world2023 opens with its default set, short-run');

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
  // world2023 has a household count for the USA (households.csv), not for every region
  const usaRow = full.rows.find((r) => r.code === 'USA');
  check(usaRow && /\d/.test(usaRow.cells.find((x) => x.field === 'ev_per_household')?.text), 'USA EV per household is a number on world2023');
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
    partnerHeads: [...document.querySelectorAll('#partner-results thead th')].map((th) => th.dataset.field),
    partners: [...document.querySelectorAll('#partner-results tbody tr')].map((tr) => ({
      partner: tr.dataset.partner,
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
    // and the partner table: the pair rows of the importer
    const pw = api.bilateral.filter((r) => r.importer === code);
    check(t.partners.length === pw.length && pw.length > 0, `${code}: a partner row per pair (${t.partners.length} of ${pw.length})`);
    for (const f of ['base', 'new', 'change_pct', 'etr_base_pct', 'etr_pre_pct', 'etr_post_pct'])
      check(t.partnerHeads.includes(f), `partner table shows ${f}`);
    let np = 0;
    for (const row of t.partners) {
      const r = pw.find((x) => x.exporter === row.partner);
      for (const cell of row.cells) {
        const v = r ? r[cell.field] : undefined;
        const m = /^-?\d+(?:\.(\d+))?$/.exec(cell.text);
        const ok = v === null ? cell.text === '\u2014'
          : m && Math.abs(Number(cell.text) - v) <= 0.5 * 10 ** -(m[1] || '').length + 1e-9 * Math.abs(v);
        if (!ok) check(false, `${code} from ${row.partner} ${cell.field}: page shows ${cell.text}, API says ${v}`);
        np++;
      }
    }
    check(np > 0, `${code}: ${np} partner cells equal the API's`);
  };
  // the sector chart: output and jobs by sector of the same country, the API's
  // numbers, printed on the bars, units on the axis
  const checkSectorChart = async (code) => {
    const o = await page.evaluate(() => {
      const x = echarts.getInstanceByDom(document.getElementById('sectors-chart')).getOption();
      return { title: x.title[0].text, sectors: x.yAxis[0].data, axis: x.xAxis[0].name,
        series: x.series.map((s) => ({ name: s.name, data: s.data, label: s.label && s.label.show })) };
    });
    const want = api.sectors.filter((r) => r.country === code);
    check(o.title.includes(code) && o.title.includes('%') && o.axis === '% change',
      `sector chart: ${code}, units in the title and on the axis (${o.title}; ${o.axis})`);
    check(o.series.map((s) => s.name).join() === 'output,jobs' && o.series.every((s) => s.label),
      'sector chart: output and jobs, numbers shown on the bars');
    check(o.sectors.length === want.length && want.length > 0, `sector chart: a bar pair per sector (${o.sectors.length} of ${want.length})`);
    let n = 0;
    o.sectors.forEach((sec, k) => {
      const r = want.find((x) => x.sector === sec);
      for (const [s, field] of [[0, 'output_pct'], [1, 'employment_pct']]) {
        const v = o.series[s].data[k];
        if (!r || !(r[field] === null ? v == null : Math.abs(v - r[field]) <= 1e-9 * Math.max(1, Math.abs(r[field]))))
          check(false, `sector chart ${code} ${sec} ${field}: chart ${v}, API ${r && r[field]}`);
        n++;
      }
    });
    check(n === 2 * want.length, `sector chart ${code}: ${n} bars equal the API's`);
    return want;
  };
  checkSectors(await readSectors(), 'USA');
  const usaSectors = await checkSectorChart('USA');
  check(usaSectors.some((r) => Math.abs(r.output_pct) > 1e-3), 'USA sector output moves under the 60 % tariff');
  await page.locator('#sector-country').selectOption('CHN');
  checkSectors(await readSectors(), 'CHN');
  await checkSectorChart('CHN');
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
  // the scenario is written for world2011; on the default world it runs at once
  const tlStatus = await page.locator('#timeline-status').textContent();
  check(/ steps on world2023 /.test(tlStatus), `the timeline runs on the default world: ${tlStatus}`);

  await page.screenshot({ path: shot, fullPage: true });

  // no number reads "-0": table cells and the bar chart's axis labels
  const negZero = await page.evaluate(() => [...document.querySelectorAll('.results td')].map((td) => td.textContent)
    .filter((t) => /^-0(\.0*)?$/.test(t)).length);
  check(negZero === 0, `no "-0" cells (${negZero})`);
  check(/^re-solved in (<1|\d+) ms \(solve (<1|\d+) ms/.test(await page.locator('#status').textContent()),
    `status gives the times: ${await page.locator('#status').textContent()}`);
  // the colour bars carry numbers
  const mapText = await page.evaluate(() => echarts.getInstanceByDom(document.getElementById('map')).getOption().visualMap[0].text);
  check(mapText.every((t) => /\d/.test(t)), `map colour bar has numbers: ${mapText}`);
  check(await page.locator('#baseline-note').isHidden(), 'world2023: no baseline note (its baseline is an equilibrium)');

  // pin and compare: the pinned result against itself is all zeros, then each
  // cell is the new result minus the pinned one
  await page.locator('#pin').click();
  const zeros = await readTable();
  check(zeros.rows.every((r) => r.cells.every((c) => c.text === '\u2014' || Number(c.text) === 0)), 'pinned against itself: zeros');
  const pinned = await page.evaluate(() => window.tw.lastResult);
  const solves2 = await page.evaluate(() => window.tw.stats.solves);
  await slider.fill('100');
  await page.waitForFunction((n) => window.tw.stats.solves > n &&
    window.tw.lastRequest.tariffs.some((t) => t.importer === 'USA' && t.exporter === 'CHN' && Math.abs(t.rate - 1) < 1e-12),
  solves2, { timeout: WAIT_MS });
  const now = await page.evaluate(() => window.tw.lastResult);
  const diffTable = await readTable();
  let diffs = 0;
  for (const row of diffTable.rows) {
    const a = pinned.countries.find((c) => c.code === row.code), b = now.countries.find((c) => c.code === row.code);
    for (const cell of row.cells) {
      if (a[cell.field] == null || b[cell.field] == null) { check(cell.text === '\u2014', `${row.code} ${cell.field}: dash`); continue; }
      // per household: in the currency itself (world2023 has households.csv)
      const money = /^(.*\S)\s+(thousand|million|billion)$/i.exec(now.units || '');
      const scale = cell.field.endsWith('_per_household') && money ? { thousand: 1e3, million: 1e6, billion: 1e9 }[money[2].toLowerCase()] : 1;
      const want = scale * (b[cell.field] - a[cell.field]);
      const m = /^-?\d+(?:\.(\d+))?$/.exec(cell.text);
      check(m && Math.abs(Number(cell.text) - want) <= 0.5 * 10 ** -(m[1] || '').length + 1e-9 * Math.abs(want),
        `compare ${row.code} ${cell.field}: page ${cell.text}, API difference ${want}`);
      diffs++;
    }
  }
  check(diffs > 0 && diffTable.heads.some((h) => /^\u0394 welfare/.test(h.text)), `compare: ${diffs} differences checked`);
  await page.locator('#compare').uncheck();

  // the shared link: a new page at the page's URL shows the same state
  await page.locator('#sector-country').selectOption('CHN');
  await page.locator('#t-imp').selectOption('CHN');
  await page.locator('#t-exp').selectOption('USA');
  await page.locator('#t-rate').fill('42.5');
  const solves3 = await page.evaluate(() => window.tw.stats.solves);
  await page.locator('#t-add').click();
  await page.waitForFunction((n) => window.tw.stats.solves > n, solves3, { timeout: WAIT_MS });
  const shared = page.url();
  check(/#w=world2023&s=/.test(shared) && /x=CHN\.USA\.\*\.42\.5/.test(shared) && /c=CHN/.test(shared), `the URL holds the state: ${shared}`);
  const request0 = await page.evaluate(() => window.tw.lastRequest);
  const table0 = await readTable();
  const other = await openPage(browser, WAIT_MS);
  other.on('pageerror', (e) => problems.push(`page error (shared link): ${e.message}`));
  await other.goto(shared);
  await other.waitForFunction(() => window.tw && window.tw.ready && window.tw.stats.solves >= 1, null, { timeout: WAIT_MS });
  const request1 = await other.evaluate(() => window.tw.lastRequest);
  const key = (t) => t.map((c) => `${c.importer}.${c.exporter}.${c.sector}.${c.rate.toFixed(9)}`).sort().join(' ');
  check(request1.world === request0.world && key(request1.tariffs) === key(request0.tariffs),
    `the shared link sends the same cells (${request1.tariffs.length} of ${request0.tariffs.length})`);
  const table1 = await other.evaluate(() => [...document.querySelectorAll('#results tbody td')].map((td) => td.textContent));
  check(JSON.stringify(table1) === JSON.stringify(table0.rows.flatMap((r) => r.cells.map((c) => c.text))), 'the shared link shows the same table');
  check(await other.evaluate(() => document.getElementById('sector-country').value) === 'CHN', 'the shared link keeps the sector country');
  await other.close();

  // another elasticity set: the request names it, the answer's meta says so,
  // the table equals the API's answer to the same request, the URL keeps it
  const solves5 = await page.evaluate(() => window.tw.stats.solves);
  await page.locator('#elasticities').selectOption('uniform4');
  await page.waitForFunction((n) => window.tw.stats.solves > n && window.tw.lastRequest.elasticities === 'uniform4',
    solves5, { timeout: WAIT_MS });
  const u4 = await (await fetch(new URL('api/solve', url), {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(await page.evaluate(() => window.tw.lastRequest)),
  })).json();
  check(u4.meta.elasticities === 'uniform4' &&
    await page.evaluate(() => window.tw.lastResult.meta.elasticities) === 'uniform4', 'the uniform4 set is solved with');
  checkTable(await readTable(), 'uniform4', u4);
  check(/[#&]e=uniform4/.test(page.url()), `the URL keeps the set: ${page.url()}`);
  const solves6 = await page.evaluate(() => window.tw.stats.solves);
  await page.locator('#elasticities').selectOption('cp2015');
  await page.waitForFunction((n) => window.tw.stats.solves > n && window.tw.lastRequest.elasticities === 'cp2015',
    solves6, { timeout: WAIT_MS });

  // downloads: the result as JSON and the countries as one rectangular CSV
  const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('#dl-csv').click()]);
  const csvText = await (await import('node:fs/promises')).readFile(await dl.path(), 'utf8');
  const lines = csvText.trim().split('\n');
  const fieldsOf = (l) => l.match(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g).length - (l.endsWith(',') ? 0 : 1);
  const widths = new Set(lines.map(fieldsOf));
  check(lines.length === now.countries.length + 1 && widths.size === 1 && lines[0].startsWith('code,'),
    `countries CSV: a header and a row per country of one width (${lines.length} lines, widths ${[...widths]})`);
  const [dj] = await Promise.all([page.waitForEvent('download'), page.locator('#dl-json').click()]);
  const json = JSON.parse(await (await import('node:fs/promises')).readFile(await dj.path(), 'utf8'));
  check(Array.isArray(json.countries) && json.countries.length === now.countries.length, 'the JSON download is the result');

  // saved runs: save two, tick them, compare: the page's differences are the API's
  for (const label of ['first', 'second']) {
    const before = await page.locator('#runs li').count();
    if (label === 'second') await slider.fill('20');
    await page.locator('#label').fill(label);
    await page.locator('#save').click();
    await page.waitForFunction((n) => document.querySelectorAll('#runs li').length > n ||
      /saved as run/.test(document.getElementById('status').textContent), before, { timeout: WAIT_MS });
    await page.waitForFunction(() => /saved as run/.test(document.getElementById('status').textContent), null, { timeout: WAIT_MS });
    await page.waitForFunction((l) => [...document.querySelectorAll('#runs li')].some((li) => li.textContent.endsWith(': ' + l)), label, { timeout: WAIT_MS });
  }
  const ids = await page.evaluate(() => [...document.querySelectorAll('#runs li')].slice(0, 2).map((li) => Number(li.querySelector('input').value)));
  for (const id of ids) await page.locator(`#runs input[value="${id}"]`).check();
  await page.locator('#runs-compare').click();
  await page.waitForSelector('#runs-diff-table tbody tr', { timeout: WAIT_MS });
  const apiDiff = await (await fetch(new URL(`api/runs/diff?a=${Math.min(...ids)}&b=${Math.max(...ids)}`, url))).json();
  const pageDiff = await page.evaluate(() => [...document.querySelectorAll('#runs-diff-table tbody tr')].map((tr) =>
    ({ code: tr.dataset.code, welfare: tr.querySelector('td[data-field="welfare_pct"]').textContent })));
  check(pageDiff.length === apiDiff.countries.length && pageDiff.every((r) => {
    const c = apiDiff.countries.find((x) => x.code === r.code);
    return c && Math.abs(Number(r.welfare) - c.welfare_pct[2]) <= 0.5e-4 + 1e-12;
  }), `runs compared: ${pageDiff.length} welfare differences equal the API's`);

  // the game panel: a best response run as a job shows /api/optimal's answer;
  // talks show the threat point and a deal no player loses by; a long Nash war
  // with sector tariffs is cancelled
  const runGame = async (kind, instrument) => {
    await page.locator('#g-kind').selectOption(kind);
    await page.locator('#g-a').selectOption('USA');
    await page.locator('#g-b').selectOption('CHN');
    if (instrument) await page.locator('#g-instrument').selectOption(instrument);
    await page.locator('#g-run').click();
  };
  const gameEnded = () => page.waitForFunction(() => window.tw.game && window.tw.game.state, null, { timeout: WAIT_MS });
  const readGame = () => page.evaluate(() => [...document.querySelectorAll('#g-results tbody tr')].map((tr) => ({
    code: tr.dataset.code,
    rates: tr.querySelector('td.rates').textContent,
    welfare: parseFloat(tr.querySelector('td[data-field="welfare_pct"]').textContent),
    threat: parseFloat(tr.querySelector('td[data-field="threat_welfare_pct"]')?.textContent),
  })));
  await runGame('optimal', 'uniform');
  await gameEnded();
  const game = await page.evaluate(() => window.tw.game);
  check(game.state === 'done', `best response job done (${game.state})`);
  const direct = await (await fetch(new URL('api/optimal', url), {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(game.request),
  })).json();
  const shownGame = await readGame();
  check(shownGame.length === 1 && shownGame[0].code === 'USA' &&
    Math.abs(shownGame[0].welfare - direct.players[0].welfare_pct) <= 0.5e-4 + 1e-12 &&
    shownGame[0].rates === direct.players[0].tariffs.map((t) => `${t.cells}: ${(100 * t.rate).toFixed(2)} %`).join('; '),
  `game panel shows /api/optimal's answer (${JSON.stringify(shownGame)} vs ${direct.players[0].welfare_pct})`);
  await runGame('talks');
  await gameEnded();
  const talks = await readGame();
  check(talks.length === 2 && talks.every((r) => r.welfare >= r.threat - 1e-4),
    `talks: two players, neither below its threat point (${JSON.stringify(talks)}; ${await page.locator("#g-status").textContent()})`);
  // the talks view: every number of the point table, the concession's value
  // and the chart's points equal /api/talks's answer to the page's request
  const near = (text, v) => {
    if (v == null) return text === '\u2014';
    const m = /^(-?\d+(?:\.(\d+))?)/.exec(text || '');
    return !!m && Math.abs(Number(m[1]) - v) <= 0.5 * 10 ** -(m[2] || '').length + 1e-12;
  };
  const post = async (path, body) => (await fetch(new URL(path, url), {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  })).json();
  const readDetail = () => page.evaluate(() => [...document.querySelectorAll('#g-detail tbody tr')].map((tr) => ({
    point: tr.dataset.point,
    cells: Object.fromEntries([...tr.querySelectorAll('td')].map((td) => [td.dataset.field, td.textContent])),
  })));
  const chartSeries = () => page.evaluate(() => echarts.getInstanceByDom(document.getElementById('g-chart')).getOption().series
    .map((x) => ({ name: x.name, data: x.data })));
  const talksReq = await page.evaluate(() => window.tw.game.request);
  check(talksReq.frontier === 5 && talksReq.concession && talksReq.concession.giver === 'CHN', `talks request: frontier and concession (${JSON.stringify(talksReq)})`);
  const talksApi = (await post('api/talks', talksReq)).talks;
  const [TA, TB] = talksApi.players;
  const want = {
    status_quo: { welfare_a_pct: TA.status_quo_welfare_pct, welfare_b_pct: TB.status_quo_welfare_pct },
    threat: { welfare_a_pct: TA.threat_welfare_pct, welfare_b_pct: TB.threat_welfare_pct },
    bargain: { tariff_a: 100 * TA.bargain_tariff, tariff_b: 100 * TB.bargain_tariff,
      welfare_a_pct: TA.bargain_welfare_pct, welfare_b_pct: TB.bargain_welfare_pct },
    with_concession: { tariff_a: 100 * TA.with_concession_tariff, tariff_b: 100 * TB.with_concession_tariff,
      welfare_a_pct: TA.with_concession_welfare_pct, welfare_b_pct: TB.with_concession_welfare_pct },
  };
  talksApi.frontier.forEach((f, k) => (want[`frontier-${k}`] = { weight_a: f.weight_a, tariff_a: 100 * f.tariff_a,
    tariff_b: 100 * f.tariff_b, welfare_a_pct: f.welfare_a_pct, welfare_b_pct: f.welfare_b_pct }));
  const detail = await readDetail();
  let talkNumbers = 0;
  const talkBad = [];
  check(detail.length === Object.keys(want).length && talksApi.frontier.length === 5, `talks table: ${detail.length} points`);
  for (const r of detail) {
    const w = want[r.point] || {};
    for (const [field, text] of Object.entries(r.cells)) {
      talkNumbers += text !== '\u2014';
      if (!near(text, w[field])) talkBad.push(`${r.point}.${field}: ${text} vs ${w[field]}`);
    }
  }
  check(talkBad.length === 0 && talkNumbers === 37, `talks table equals the API (${talkNumbers} numbers; ${talkBad.join('; ')})`);
  const concession = await page.evaluate(() => [...document.querySelectorAll('#g-note span')].map((x) => [x.dataset.field, x.dataset.code, x.textContent]));
  check(concession.length === 3 && near(concession[0][2], TA.bonus_pct) &&
    concession.slice(1).every(([, code, text]) => near(text, talksApi.players.find((p) => p.code === code).concession_tariff_change_pp)),
  `the concession's value equals the API's (${JSON.stringify(concession)})`);
  const talkChart = await chartSeries();
  const frontierDrawn = talkChart.find((x) => x.name === 'frontier').data;
  const frontierApi = talksApi.frontier.map((f) => [f.welfare_a_pct, f.welfare_b_pct]).sort((p, q) => p[0] - q[0]);
  check(frontierDrawn.length === 5 && frontierDrawn.every((p, k) => Math.abs(p[0] - frontierApi[k][0]) < 1e-12 && Math.abs(p[1] - frontierApi[k][1]) < 1e-12) &&
    talkChart.some((x) => x.name === 'bargain' && Math.abs(x.data[0][0] - TA.bargain_welfare_pct) < 1e-12 && Math.abs(x.data[0][1] - TB.bargain_welfare_pct) < 1e-12) &&
    talkChart.some((x) => /^threat /.test(x.name) && Math.abs(x.data[0][1] - TB.threat_welfare_pct) < 1e-12),
  'the talks chart draws the API\'s frontier, bargain and threat point');
  // escalation round by round: the table and the chart equal /api/escalate
  await page.locator('#g-kind').selectOption('escalate');
  await page.locator('#g-rule').selectOption('mirror');
  await page.locator('#g-rounds').fill('3');
  await runGame('escalate');
  await gameEnded();
  const escReq = await page.evaluate(() => window.tw.game.request);
  const escApi = await post('api/escalate', escReq);
  const escRows = await readDetail();
  const escBad = [];
  let escNumbers = 0;
  check(escRows.length === 3 && escApi.rounds.length === 3, `escalation: ${escRows.length} rounds shown`);
  escRows.forEach((r, k) => {
    const a = escApi.rounds[k] || {};
    const w = Object.assign({}, a, { tariff_a: 100 * a.tariff_a, tariff_b: 100 * a.tariff_b });
    for (const [field, text] of Object.entries(r.cells)) {
      escNumbers++;
      if (!near(text, w[field])) escBad.push(`round ${k + 1} ${field}: ${text} vs ${w[field]}`);
    }
  });
  check(escBad.length === 0 && escNumbers === 18, `escalation table equals the API (${escNumbers} numbers; ${escBad.join('; ')})`);
  const escNote = await page.evaluate(() => [...document.querySelectorAll('#g-note span')].map((x) => x.textContent));
  check(near(escNote[0], 100 * escApi.start_tariff_a) && near(escNote[1], 100 * escApi.start_tariff_b), `escalation start tariffs (${escNote})`);
  const escChart = await chartSeries();
  check(escChart.length === 4 && escChart[0].data.every((v, k) => Math.abs(v - 100 * escApi.rounds[k].tariff_a) < 1e-9) &&
    escChart[3].data.every((v, k) => Math.abs(v - escApi.rounds[k].welfare_b_pct) < 1e-12), 'the escalation chart draws the API\'s rounds');
  check(await page.evaluate(() => document.querySelectorAll('#g-results tbody tr').length) === 0, 'escalation: the players\' table is empty');
  compared += talkNumbers + escNumbers;
  // a shared link keeps the game panel's options (the reader starts the game)
  const gameUrl = page.url();
  check(/[#&]g=escalate(~|%7E)/i.test(gameUrl), `the URL holds the game options: ${gameUrl}`);
  const gameIds = ['g-kind', 'g-a', 'g-b', 'g-rule', 'g-rounds', 'g-step'];
  const gameWant = await page.evaluate((ids) => ids.map((id) => document.getElementById(id).value), gameIds);
  const gp = await openPage(browser, WAIT_MS);
  gp.on('pageerror', (e) => problems.push(`page error (shared game link): ${e.message}`));
  await gp.goto(gameUrl);
  await gp.waitForFunction(() => window.tw && window.tw.ready, null, { timeout: WAIT_MS });
  const gameGot = await gp.evaluate((ids) => ids.map((id) => document.getElementById(id).value), gameIds);
  const escShown = await gp.evaluate(() => !document.getElementById('g-esc-opts').hidden);
  check(JSON.stringify(gameGot) === JSON.stringify(gameWant) && escShown,
    `the shared link sets the game panel: ${gameGot} (want ${gameWant}), escalation options shown: ${escShown}`);
  await gp.close();
  await runGame('nash', 'sector');
  await page.waitForFunction(() => window.tw.game && window.tw.game.job, null, { timeout: WAIT_MS });
  await page.locator('#g-cancel').click();
  await gameEnded();
  check(await page.evaluate(() => window.tw.game.state) === 'cancelled' &&
    await page.locator('#g-status').textContent() === 'cancelled', 'a running game is cancelled');

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
  // the last world's timeline is gone; the scenario says which world it is for
  const tlAfter = await page.evaluate(() => (echarts.getInstanceByDom(document.getElementById('timeline')).getOption()?.series || []).length);
  check(tlAfter === 0, `switching world clears the timeline (${tlAfter} series left)`);
  check(/written for world2011/.test(await page.locator('#timeline-status').textContent()), 'the timeline status names the scenario\'s world');
  // a baseline that is not an equilibrium is said so above the charts
  const solves4 = await page.evaluate(() => window.tw.stats.solves);
  await page.locator('#world').selectOption('cp1993');
  await page.waitForFunction((n) => window.tw.stats.solves > n && window.tw.lastRequest.world === 'cp1993', solves4, { timeout: WAIT_MS });
  const gap = await page.evaluate(() => window.tw.lastResult.baseline_gap);
  const note = await page.locator('#baseline-note').textContent();
  check(gap && await page.locator('#baseline-note').isVisible() && note.includes(gap.country) && note.includes(gap.welfare_pct.toFixed(3)),
    `cp1993: the baseline note names the gap (${note})`);

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
  // the phone's screenshot shows a tariff (USA on Chinese goods at 60 %) and its sector chart
  const phoneSolves = await phone.evaluate(() => window.tw.stats.solves);
  await phone.locator('#rate-USA-CHN-all').fill('60');
  await phone.waitForFunction((n) => window.tw.stats.solves > n &&
    window.tw.lastRequest.tariffs.some((t) => t.importer === 'USA' && t.exporter === 'CHN' && Math.abs(t.rate - 0.6) < 1e-12),
  phoneSolves, { timeout: WAIT_MS });
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
  // the escalation view on a phone: its controls, chart and table fit too
  await phone.locator('#g-kind').selectOption('escalate');
  await phone.locator('#g-rounds').fill('2');
  await phone.locator('#g-run').click();
  await phone.waitForFunction(() => window.tw.game && window.tw.game.state, null, { timeout: WAIT_MS });
  const wg = await phone.evaluate(() => ({
    state: window.tw.game.state,
    page: document.documentElement.scrollWidth,
    view: document.documentElement.clientWidth,
    chart: document.getElementById('g-chart').getBoundingClientRect().right,
  }));
  check(wg.state === 'done' && wg.page <= wg.view && wg.chart <= wg.view,
    `390 px, escalation shown: the page does not scroll sideways (${JSON.stringify(wg)})`);
  await phone.screenshot({ path: shot.replace(/\.png$/, '-phone.png'), fullPage: true });
  check(problems.length === 0, `no page errors at 390 px: ${problems.join('; ')}`);
  await phone.close();
} finally {
  await browser.close();
}
console.log(`${passes} passed, ${failures} failed`);
process.exit(failures ? 1 : 0);
