// app.js - the tradewar dashboard: pick a world, set tariffs with sliders (the
// two focus countries, by sector) or a table (any pair), and see the
// equilibrium re-solved by the server as the controls move.
//
// Every number shown comes from the JSON API (docs/server.md); the page only
// formats it.  A control change schedules one solve; a newer change aborts the
// request in flight, so the charts always show the latest settings.
// window.tw exposes the last request, the last result and the timings (the
// browser test reads them).
'use strict';

const tw = (window.tw = {
  stats: { solves: 0, roundTripMs: null, solveMs: null },
  lastRequest: null,
  lastResult: null,
  ready: false,
});

const state = {
  world: null,
  info: null,
  pairs: [],          // the two focus directions: {importer, exporter, sectors, sliders, master, touched}
  extra: [],          // table rows, applied after the sliders: {importer, exporter, sector, rate}
  seq: 0,
  controller: null,
  timer: null,
  pendingSince: null,
  regionOf: new Map(), // map feature name -> world region code
  charts: {},
  geo: null,
  numToA3: null,
  shown: null,        // the result in the table (redrawn when the columns change)
  pinned: null,       // a result pinned for comparison: {res, label}
  restoring: null,    // the state read from the page's URL, applied once the world is loaded
  gameTouched: false, // the game panel's options were changed (or came from the URL): the URL keeps them
  sectorCountry: null, // the country of the sector table
  defaultWorld: null, // the server's default world
};

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

// A duration: "<1 ms" below a millisecond, never "0 ms" or "-0 ms".
function twMs(ms) {
  return !(ms >= 1) ? '<1 ms' : `${ms.toFixed(0)} ms`;
}

function setStatus(text, isError) {
  const s = $('status');
  s.textContent = text;
  s.classList.toggle('error', !!isError);
}

async function api(path, body, signal) {
  const opts = body
    ? { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), signal }
    : { signal };
  const r = await fetch('api/' + path, opts);
  const j = await r.json().catch(() => ({ error: `HTTP ${r.status}` }));
  if (!r.ok) throw new Error(j.error || `HTTP ${r.status}`);
  return j;
}

// ---- charts ----

function initCharts() {
  if (typeof echarts === 'undefined') {
    setStatus('chart library missing: run scripts/install-deps (npm ci in web/)', true);
    return false;
  }
  for (const id of ['map', 'bars', 'bilateral', 'timeline', 'sectors-chart']) state.charts[id] = echarts.init($(id));
  window.addEventListener('resize', () => Object.values(state.charts).forEach((c) => c.resize()));
  return true;
}

// Rings that cross the 180th meridian (Russia, Fiji) would be drawn as a band
// across the whole map: move their western points east of 180 instead.
function unwrapAntimeridian(g) {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
  for (const poly of polys)
    for (const ring of poly) {
      const lons = ring.map((p) => p[0]);
      if (Math.max(...lons) - Math.min(...lons) > 180) for (const p of ring) if (p[0] < 0) p[0] += 360;
    }
}

async function loadMap() {
  const [topo, codes] = await Promise.all([
    fetch('vendor/countries-110m.json').then((r) => r.json()),
    fetch('vendor/iso-codes.json').then((r) => r.json()),
  ]);
  const geo = topojson.feature(topo, topo.objects.countries);
  geo.features = geo.features.filter((f) => f.id !== '010'); // Antarctica: no trade data, much area
  for (const f of geo.features) unwrapAntimeridian(f.geometry);
  echarts.registerMap('tw-world', geo);
  state.geo = geo;
  state.numToA3 = twNumericToAlpha3(codes);
}

function mapRegions() {
  state.regionOf = new Map();
  if (!state.geo) return;
  const codes = new Set(state.info.countries.map((c) => c.code));
  for (const f of state.geo.features)
    state.regionOf.set(f.properties.name, twRegionOf(f.id, state.numToA3, codes));
}

// Resolves when the chart has finished drawing (or after a short wait).
function drawn(chart) {
  return new Promise((resolve) => {
    const done = () => { chart.off('finished', done); resolve(); };
    chart.on('finished', done);
    setTimeout(done, 400);
  });
}

// The results table: one row per country, the numbers people quote by default
// and the rest behind "more columns".  Money is in the world's units (meta.csv);
// a per-household figure is shown in the currency itself ("USD million" per
// household -> USD per household).  A null field is data the world lacks: it
// shows as a dash with the reason as its tooltip.  Negative numbers are red,
// except the consumer cost, where a negative number is a saving.
function moneyUnits(units) {
  const m = /^(.*\S)\s+(thousand|million|billion)$/i.exec(units || '');
  const factor = m ? { thousand: 1e3, million: 1e6, billion: 1e9 }[m[2].toLowerCase()] : 1;
  return { total: units || 'model units', household: `${m ? m[1] : units} per household`, factor };
}

function resultColumns(res, more) {
  const money = moneyUnits(res.units);
  const hasHousehold = res.countries.some((c) => c.ev_per_household != null || c.consumer_cost_per_household != null);
  const pct = (field, head, digits, title, core) => ({ field, head, unit: '%', digits, scale: 1, title, core });
  const cash = (field, head, title, core) => ({ field, head, unit: money.total, digits: 0, scale: 1, title, core });
  const perHh = (field, head, title) =>
    ({ field, head, unit: money.household, digits: 0, scale: money.factor, title, core: hasHousehold });
  const cols = [
    pct('welfare_pct', 'welfare', 4, 'exact change in real income', true),
    pct('real_gdp_pct', 'real GDP', 4, 'expenditure-side volume at baseline prices (Fisher index)', true),
    pct('price_index_pct', 'consumer prices', 4, 'change in the consumer price index', true),
    pct('etr_pre_pct', 'ETR pre', 2, 'effective tariff rate on goods imports: new rates, baseline imports', true),
    pct('etr_post_pct', 'ETR post', 2, 'effective tariff rate on goods imports: new rates, new imports', true),
    cash('consumer_cost', 'consumer cost', 'change in the cost of the baseline household basket, before any rebate', true),
    perHh('consumer_cost_per_household', 'consumer cost / household', 'consumer cost per household of the data year'),
    cash('ev', 'EV', 'equivalent variation: welfare change times baseline final expenditure', true),
    perHh('ev_per_household', 'EV / household', 'equivalent variation per household of the data year'),
    cash('tariff_revenue_change', 'tariff revenue change', 'new minus baseline tariff revenue', true),
    pct('real_wage_pct', 'real wage', 4, 'wage deflated by the consumer price index', false),
    pct('etr_base_pct', 'ETR base', 2, 'effective tariff rate of the baseline', false),
    pct('exports_pct', 'exports', 3, 'exports before tariffs', false),
    pct('imports_pct', 'imports', 3, 'imports before tariffs', false),
    cash('tariff_revenue', 'tariff revenue', 'new level of tariff revenue', false),
    pct('tariff_revenue_pct', 'tariff revenue change', 2, 'change in tariff revenue', false),
    pct('tariff_revenue_gdp_pct', 'tariff revenue / GDP', 3, 'tariff revenue over value added, new equilibrium', false),
    pct('tariff_revenue_gdp_base_pct', 'tariff revenue / GDP base', 3, 'tariff revenue over value added, baseline', false),
  ];
  return cols.filter((c) => more || c.core);
}

function missingReason(res, field) {
  if (res.units === 'model units' || !res.units) return 'not in this world: its levels are in model units, so no money figures';
  if (field.endsWith('_per_household')) return 'not in this world: it has no households.csv for its data year';
  if (field.startsWith('consumer_cost')) return 'not in this world: it has no household_consumption.csv';
  return 'not in this world\'s data';
}

// With a pinned result and "differences" ticked, each cell is this result
// minus the pinned one for the same country (a dash where either lacks it).
function comparing() {
  return state.pinned && $('compare').checked && state.pinned.res.world_name === state.shown?.world_name;
}

function fillResults(res) {
  state.shown = res;
  const diff = comparing();
  const base = diff ? new Map(state.pinned.res.countries.map((c) => [c.code, c])) : null;
  const cols = resultColumns(res, $('more-columns').checked);
  $('results').tHead.rows[0].replaceChildren(el('th', { text: 'country' }),
    ...cols.map((c) => el('th', { 'data-field': c.field, title: c.title }, (diff ? '\u0394 ' : '') + c.head, el('br'),
      el('span', { class: 'unit', text: diff && c.unit === '%' ? 'pp' : c.unit }))));
  const body = $('results').tBodies[0];
  body.replaceChildren();
  for (const c of res.countries) {
    const tr = el('tr', { 'data-code': c.code }, el('th', { text: c.code, title: c.name }));
    const b = base ? base.get(c.code) : null;
    for (const col of cols) {
      let v = c[col.field];
      if (diff) v = v == null || b == null || b[col.field] == null ? null : v - b[col.field];
      tr.append(fillCell(col, v, diff ? 'not in both results' : missingReason(res, col.field)));
    }
    tr.addEventListener('click', () => { $('sector-country').value = c.code; state.sectorCountry = c.code; fillSectors(res); });
    body.append(tr);
  }
  $('table-legend').textContent = diff
    ? `differences from the pinned result (${state.pinned.label}): this one minus the pinned one; \u2014 : not in both`
    : '\u2014 : the world lacks the data (levels in model units, or no household files)';
  const sel = $('sector-country');
  if (sel.options.length !== res.countries.length || !res.countries.some((c) => c.code === state.sectorCountry)) {
    sel.replaceChildren(...res.countries.map((c) => el('option', { value: c.code, text: `${c.code} ${c.name || ''}`.trim() })));
    state.sectorCountry = res.countries.some((c) => c.code === state.sectorCountry) ? state.sectorCountry
      : (res.countries.find((c) => c.code === 'USA') || res.countries[0]).code;
  }
  sel.value = state.sectorCountry;
  fillSectors(res);
}

// The sector table: the sector rows of the result for one country (a select,
// or a click on the country's row), every sector field of the API.
function sectorColumns() {
  const pct = (field, head, digits, title) => ({ field, head, unit: '%', digits, title });
  return [
    pct('price_pct', 'price', 4, 'change in the sector\'s price index (what buyers pay, sources combined)'),
    pct('producer_price_pct', 'producer price', 4, 'change in the unit cost of the country\'s producers'),
    pct('import_price_pct', 'import price', 4, 'change in the import price index over foreign sources, tariff included'),
    pct('import_price_cif_pct', 'import price before tariff', 4, 'the same before the tariff'),
    pct('output_pct', 'output', 3, 'change in nominal sales to every destination, before tariffs'),
    pct('employment_pct', 'jobs', 3, 'change in the sector\'s employment: output over the wage'),
    pct('etr_base_pct', 'ETR base', 2, 'effective tariff rate on the sector\'s imports, baseline'),
    pct('etr_pre_pct', 'ETR pre', 2, 'new rates, baseline import weights'),
    pct('etr_post_pct', 'ETR post', 2, 'new rates, new import weights'),
  ];
}

function fillCell(col, v, reason) {
  const attrs = { 'data-field': col.field, 'data-value': String(v) };
  if (v == null) return el('td', Object.assign(attrs, { class: 'na', title: reason, text: '\u2014' }));
  const text = twFmt(v * (col.scale ?? 1), col.digits); // never "-0.0000"
  const neg = text.startsWith('-') && !col.field.startsWith('consumer_cost');
  return el('td', Object.assign(attrs, { class: neg ? 'neg' : '', text }));
}

// The pair rows of the API (bilateral) for one importer: every pair field.
function partnerColumns(res) {
  const pct = (field, head, digits, title) => ({ field, head, unit: '%', digits, title });
  const cash = (field, head, title) => ({ field, head, unit: res.units || 'model units', digits: 0, title });
  return [
    cash('base', 'imports, baseline', 'imports from the partner in the baseline, before tariffs'),
    cash('new', 'imports, new', 'the same in the new equilibrium'),
    pct('change_pct', 'change', 3, 'change in the imports from the partner'),
    pct('etr_base_pct', 'ETR base', 2, 'effective tariff rate on the partner\'s goods, baseline'),
    pct('etr_pre_pct', 'ETR pre', 2, 'new rates, baseline import weights'),
    pct('etr_post_pct', 'ETR post', 2, 'new rates, new import weights'),
  ];
}

// One table of a country's rows (sectors or partners): key is the row's
// field that names it, cols its columns.
function fillRowsOf(table, rows, key, head, cols, title) {
  $(table).tHead.rows[0].replaceChildren(el('th', { text: head }),
    ...cols.map((c) => el('th', { 'data-field': c.field, title: c.title }, c.head, el('br'), el('span', { class: 'unit', text: c.unit }))));
  $(table).tBodies[0].replaceChildren(...rows.map((r) =>
    el('tr', { [`data-${head}`]: r[key] }, el('th', { text: r[key], title: title(r[key]) }),
      ...cols.map((col) => fillCell(col, r[col.field], 'no such flow in this world (no imports or no output)')))));
}

function fillSectors(res) {
  const code = state.sectorCountry;
  const names = new Map((state.info?.sectors || []).map((s) => [s.code, s.name]));
  const cnames = new Map((state.info?.countries || []).map((c) => [c.code, c.name]));
  const rows = (res.sectors || []).filter((r) => r.country === code);
  fillRowsOf('sector-results', rows, 'sector', 'sector', sectorColumns(), (s) => names.get(s) || s);
  if (state.charts['sectors-chart']) twDrawSectors(state.charts['sectors-chart'], rows, code, names);
  fillRowsOf('partner-results', (res.bilateral || []).filter((r) => r.importer === code), 'exporter', 'partner',
    partnerColumns(res), (c) => cnames.get(c) || c);
}

// A world whose baseline is not an equilibrium of the model: a zero shock
// moves welfare (baseline_gap of the API), and every change includes it.
function showBaselineNote(res) {
  const g = res.baseline_gap;
  const note = $('baseline-note');
  note.hidden = !(g && typeof g === 'object');
  if (!note.hidden)
    note.textContent = `The baseline of ${res.world_name || state.world} is not an equilibrium of the model: with nothing ` +
      `changed, ${g.country}'s welfare moves by ${twFmt(g.welfare_pct, 3)} % (the largest gap), and every change shown ` +
      'includes that move. Deficits purged (the command line\'s --deficits purge) start from an equilibrium.';
}

async function draw(res) {
  const ch = state.charts;
  showBaselineNote(res);
  const wait = drawn(ch.bars);
  if (state.geo) twDrawMap(ch.map, res, state.regionOf);
  twDrawBars(ch.bars, res);
  twDrawBilateral(ch.bilateral, res);
  fillResults(res);
  await wait;
}

// ---- tariffs ----

function currentTariffs() {
  const out = [];
  for (const p of state.pairs)
    for (const code of p.touched)
      out.push({ importer: p.importer, exporter: p.exporter, sector: code, rate: Number(p.sliders.get(code).value) / 100 });
  for (const r of state.extra) out.push({ importer: r.importer, exporter: r.exporter, sector: r.sector, rate: r.rate });
  return out;
}

function scheduleSolve() {
  if (state.pendingSince === null) state.pendingSince = performance.now();
  clearTimeout(state.timer);
  state.timer = setTimeout(solveNow, 30);
}

async function solveNow() {
  const seq = ++state.seq;
  if (state.controller) state.controller.abort();
  const ctl = (state.controller = new AbortController());
  const started = state.pendingSince ?? performance.now();
  const body = { world: state.world, elasticities: $('elasticities').value || undefined, tariffs: currentTariffs(),
    bilateral: true, sectors: true };
  tw.lastRequest = body;
  setStatus('solving\u2026');
  try {
    const res = await api('solve', body, ctl.signal);
    if (seq !== state.seq) return;
    await draw(res);
    const rt = performance.now() - started;
    state.pendingSince = null;
    tw.lastResult = res;
    tw.stats = { solves: tw.stats.solves + 1, roundTripMs: rt, solveMs: res.elapsed_ms };
    document.body.dataset.solves = String(tw.stats.solves);
    setStatus(`re-solved in ${twMs(rt)} (solve ${twMs(res.elapsed_ms)}, ` +
      `${res.iterations} iterations, residual ${res.residual.toExponential(1)}, ${res.cells_changed} cells set)`);
    writeUrl();
  } catch (e) {
    if (e.name === 'AbortError') return;
    state.pendingSince = null;
    setStatus(e.message, true);
  }
}

function sliderRow(id, label, title, value, onInput) {
  const input = el('input', { type: 'range', id, min: '0', max: '200', step: '0.5', value: String(value), 'aria-label': label });
  const out = el('output', { for: id, text: `${Number(input.value).toFixed(1)} %` });
  input.addEventListener('input', () => {
    out.textContent = `${Number(input.value).toFixed(1)} %`;
    onInput(input);
  });
  return { row: el('div', { class: 'slider' }, el('label', { for: id, text: label, title }), input, out), input, out };
}

function buildPair(p) {
  const box = el('fieldset', { class: 'pair' });
  box.append(el('legend', { text: `${p.importer} tariffs on goods from ${p.exporter}` }));
  const rounded = (r) => Math.round(r * 200) / 2; // fraction -> % on the slider's 0.5 grid
  const master = sliderRow(`rate-${p.importer}-${p.exporter}-all`, 'all goods',
    `one rate on every tradable sector (baseline average ${(100 * p.average).toFixed(2)} %)`,
    rounded(p.average), (input) => {
      for (const [code, s] of p.sliders) {
        s.value = input.value;
        s.dispatchEvent(new Event('sync'));
        p.touched.add(code);
      }
      scheduleSolve();
    });
  box.append(master.row);
  const details = el('details', {}, el('summary', { text: 'by sector' }));
  for (const s of p.sectors) {
    if (!s.tradable) continue;
    const r = sliderRow(`rate-${p.importer}-${p.exporter}-${s.code}`, s.code,
      `${s.name}: baseline ${(100 * s.rate).toFixed(2)} %, trade ${Math.round(s.trade)}`,
      rounded(s.rate), () => { p.touched.add(s.code); scheduleSolve(); });
    r.input.addEventListener('sync', () => { r.out.textContent = `${Number(r.input.value).toFixed(1)} %`; });
    p.sliders.set(s.code, r.input);
    details.append(r.row);
  }
  box.append(details);
  p.master = master.input;
  return box;
}

function renderExtra() {
  const body = $('extra-rows');
  body.replaceChildren();
  state.extra.forEach((r, k) => {
    const rate = el('input', { type: 'number', min: '0', step: '0.5', value: String(+(r.rate * 100).toFixed(3)), 'aria-label': 'rate %' });
    rate.addEventListener('change', () => {
      const v = Number(rate.value);
      if (!(v >= 0)) return;
      r.rate = v / 100;
      scheduleSolve();
    });
    const del = el('button', { type: 'button', text: '\u00d7', title: 'remove', onclick: () => { state.extra.splice(k, 1); renderExtra(); scheduleSolve(); } });
    body.append(el('tr', {}, el('td', { text: r.importer }), el('td', { text: r.exporter }), el('td', { text: r.sector }),
      el('td', {}, rate, ' %'), el('td', {}, del)));
  });
}

function buildTableEditor() {
  const countries = state.info.countries.map((c) => c.code);
  const sectors = ['*'].concat(state.info.sectors.filter((s) => s.tradable).map((s) => s.code));
  const fill = (sel, items) => sel.replaceChildren(...items.map((x) => el('option', { value: x, text: x })));
  fill($('t-imp'), countries);
  fill($('t-exp'), countries);
  fill($('t-sec'), sectors);
  if (countries.length > 1) $('t-exp').value = countries[1];
  state.extra = [];
  renderExtra();
}

async function loadWorld(name) {
  setStatus(`loading ${name}\u2026`);
  const info = await api(`world?name=${encodeURIComponent(name)}`);
  state.world = name;
  state.info = info;
  const codes = info.countries.map((c) => c.code);
  const a = codes.includes('USA') ? 'USA' : codes[0];
  const b = codes.includes('CHN') ? 'CHN' : codes.find((c) => c !== a);
  const pairs = await Promise.all([[a, b], [b, a]].map(([i, e]) =>
    api(`pair?world=${encodeURIComponent(name)}&importer=${i}&exporter=${e}`)));
  state.pairs = pairs.map((p) => ({
    importer: p.importer, exporter: p.exporter, sectors: p.sectors, average: p.average_tariff,
    sliders: new Map(), touched: new Set(), master: null,
  }));
  $('pairs').replaceChildren(...state.pairs.map(buildPair));
  state.charts.timeline.clear(); // the last world's timeline is not this world's
  $('timeline-status').textContent = '';
  const sets = info.elasticities || [];
  const es = $('elasticities');
  const want = state.restoring && state.restoring.world === name && state.restoring.elasticities;
  es.replaceChildren(...sets.map((x) => el('option', { value: x.name, title: x.source,
    text: x.default ? `${x.name} (default)` : x.name })));
  const dflt = sets.find((x) => x.default);
  es.value = want && sets.some((x) => x.name === want) ? want : dflt ? dflt.name : (sets[0] ? sets[0].name : '');
  es.disabled = sets.length < 2;
  $('world-info').textContent = `${info.countries.length} countries \u00d7 ${info.sectors.length} sectors, ` +
    `flows ${info.year || '?'}, tariffs ${info.tariff_year || '?'}, ${info.units || ''}; deficits kept`;
  $('world-info').title = info.source || '';
  buildTableEditor();
  fillGameCountries();
  const r = state.restoring;
  if (r && r.world === name) {
    applySliders(r.sliders);
    state.extra.push(...r.extra);
    renderExtra();
    if (r.country) state.sectorCountry = r.country;
  }
  mapRegions();
  await solveNow();
  if (tw.ready) timelineForWorld();
}

// ---- timeline, runs ----

async function loadScenarios() {
  const { scenarios } = await api('scenarios');
  state.scenarios = scenarios;
  const sel = $('scenario');
  sel.replaceChildren(...scenarios.map((s) => el('option', { value: s.name, text: s.title })));
  const showEvents = () => {
    const s = scenarios.find((x) => x.name === sel.value);
    $('events').replaceChildren(...(s ? s.events : []).map((e) =>
      el('label', { title: e.description }, el('input', { type: 'checkbox', value: e.name }), ` ${e.name}`)));
  };
  sel.addEventListener('change', showEvents);
  showEvents();
  return scenarios.length > 0;
}

// After a world is loaded: run the chosen scenario when it is written for this
// world or this is the server's default world (world2023, whose baseline holds
// the shipped scenario's status quo), else say so (it may still run here: "run
// timeline" tries).
function timelineForWorld() {
  const sc = (state.scenarios || []).find((x) => x.name === $('scenario').value);
  if (!sc) return false;
  if (!sc.world || sc.world === state.world || state.world === state.defaultWorld) return runTimeline(), true;
  $('timeline-status').textContent = `"${sc.title}" is written for ${sc.world}; "run timeline" tries it on ${state.world}`;
  return false;
}

async function runTimeline() {
  const scenario = $('scenario').value;
  if (!scenario) return;
  const set = [...$('events').querySelectorAll('input:checked')].map((x) => x.value);
  $('timeline-status').textContent = 'solving every step\u2026';
  try {
    const t0 = performance.now();
    const tl = await api('timeline', { world: state.world, elasticities: $('elasticities').value || undefined, scenario, set });
    writeUrl();
    twDrawTimeline(state.charts.timeline, tl);
    $('timeline-status').textContent = `${tl.steps.length} steps on ${tl.world_name} solved in ` +
      `${tl.elapsed_ms.toFixed(0)} ms (round trip ${(performance.now() - t0).toFixed(0)} ms)`;
  } catch (e) {
    state.charts.timeline.clear();
    $('timeline-status').textContent = `${scenario} on ${state.world}: ${e.message}`;
  }
}

async function loadRuns() {
  try {
    const { runs } = await api('runs?limit=8');
    $('runs').replaceChildren(...runs.map((r) => el('li', {},
      el('input', { type: 'checkbox', value: String(r.id), 'aria-label': `compare run ${r.id}` }), ' ',
      el('a', { href: `api/runs/${r.id}`, text: `#${r.id}` }),
      ` ${r.created.replace('T', ' ').replace('Z', '')} ${r.kind} ${r.world}: ${r.label}`)));
  } catch (e) {
    $('runs').replaceChildren(el('li', { text: e.message }));
  }
}

async function saveRun() {
  try {
    const res = await api('solve', Object.assign({}, tw.lastRequest || { world: state.world, tariffs: [] },
      { save: true, label: $('label').value || 'dashboard' }));
    setStatus(`saved as run ${res.run_id}`);
    loadRuns();
  } catch (e) {
    setStatus(e.message, true);
  }
}

// ---- the game: searches as server jobs, polled until they end ----

function fillGameCountries() {
  const codes = state.info.countries.map((c) => c.code);
  const fill = (sel, dflt) => {
    sel.replaceChildren(...codes.map((c) => el('option', { value: c, text: c })));
    sel.value = codes.includes(dflt) ? dflt : codes[0];
  };
  fill($('g-a'), 'USA');
  fill($('g-b'), codes.includes('CHN') ? 'CHN' : codes[1]);
}

function gameRequest() {
  const kind = $('g-kind').value, a = $('g-a').value, b = $('g-b').value;
  const base = { world: state.world, elasticities: $('elasticities').value || undefined, tariffs: currentTariffs() };
  if (kind === 'optimal') return { kind, body: Object.assign(base, { country: a, against: [b], instrument: $('g-instrument').value }) };
  if (kind === 'nash') return { kind, body: Object.assign(base, { players: [a, b], instrument: $('g-instrument').value }) };
  return twGame.request(kind, base, a, b); // talks, escalate: game.js
}

function fillGame(kind, out) {
  if (twGame.show(kind, out)) return; // game.js draws talks and escalation
  const talks = kind === 'talks';
  $('g-results').tHead.rows[0].replaceChildren(...['country', 'tariffs chosen', 'welfare']
    .concat(talks ? ['welfare at the threat (war)', 'gain from the deal'] : [])
    .map((h) => el('th', { text: h })));
  $('g-results').tBodies[0].replaceChildren(...out.players.map((p) => el('tr', { 'data-code': p.code },
    el('th', { text: p.code }),
    el('td', { class: 'rates', text: p.tariffs.map((t) => `${t.cells}: ${twFmt(100 * t.rate, 2)} %`).join('; ') }),
    el('td', { 'data-field': 'welfare_pct', text: `${twFmt(p.welfare_pct, 4)} %` }),
    ...(talks ? [el('td', { 'data-field': 'threat_welfare_pct', text: `${twFmt(p.threat_welfare_pct, 4)} %` }),
      el('td', { text: `${twFmt(p.welfare_pct - p.threat_welfare_pct, 4)} pp` })] : []))));
}

async function runGame() {
  const { kind, body } = gameRequest();
  if ($('g-a').value === $('g-b').value)
    return ($('g-status').textContent = 'choose two different countries');
  $('g-run').disabled = true;
  $('g-cancel').disabled = false;
  $('g-show').disabled = true;
  tw.game = { kind, request: body, job: null, result: null };
  try {
    const started = await api('jobs', { endpoint: kind, request: body });
    tw.game.job = started.id;
    let j = started;
    while (j.state === 'running') {
      $('g-status').textContent = `running ${(j.elapsed_ms / 1000).toFixed(1)} s` +
        (j.progress && j.progress.length ? `: ${j.progress[j.progress.length - 1]}` : '');
      await new Promise((r) => setTimeout(r, 250));
      j = await api(`jobs/${started.id}`);
    }
    if (j.state === 'done') {
      tw.game.result = j.result;
      fillGame(kind, j.result);
      $('g-show').disabled = false;
      $('g-status').textContent = `done in ${twMs(j.elapsed_ms)}: ` + (kind === 'escalate' ? twGame.summary(j.result)
        : `${j.result.solves} equilibria solved` + (j.result.rounds > 1 ? `, ${j.result.rounds} rounds` : ''));
    } else {
      $('g-status').textContent = j.state === 'cancelled' ? 'cancelled' : `failed: ${j.error || 'status ' + j.status}`;
    }
    tw.game.state = j.state;
  } catch (e) {
    $('g-status').textContent = e.message;
    tw.game.state = 'error';
  } finally {
    $('g-run').disabled = false;
    $('g-cancel').disabled = true;
  }
}

async function cancelGame() {
  if (!tw.game || !tw.game.job) return;
  try {
    await fetch(`api/jobs/${tw.game.job}`, { method: 'DELETE' });
    $('g-status').textContent = 'cancelling\u2026';
  } catch (e) {
    $('g-status').textContent = e.message;
  }
}

// ---- pin and compare, downloads, the shareable URL ----

function pinResult() {
  if (!state.shown) return;
  const cells = tw.lastRequest ? tw.lastRequest.tariffs.length : 0;
  state.pinned = { res: state.shown, label: `${state.shown.world_name || state.world}, ${cells} cells set, ` +
    new Date().toLocaleTimeString() };
  $('compare').disabled = false;
  $('compare').checked = true;
  $('pin-label').textContent = `pinned: ${state.pinned.label}`;
  fillResults(state.shown);
}

function download(name, type, text) {
  const a = el('a', { href: URL.createObjectURL(new Blob([text], { type })), download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

// One rectangular table: the keys, then every field the rows have, in order.
function toCsv(rows) {
  const fields = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!fields.includes(k)) fields.push(k);
  const cell = (v) => (v == null ? '' : typeof v === 'string' && /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : String(v));
  return [fields.join(',')].concat(rows.map((r) => fields.map((f) => cell(r[f])).join(','))).join('\n') + '\n';
}

function downloadResult(kind) {
  const res = tw.lastResult;
  if (!res) return;
  const stem = `tradewar-${res.world_name || state.world}`;
  if (kind === 'json') download(`${stem}.json`, 'application/json', JSON.stringify(res, null, 1));
  else download(`${stem}-${kind}.csv`, 'text/csv', toCsv(res[kind] || []));
}

// The page's state in the URL's fragment: world, the tariff cells set with the
// sliders (s) and in the table (x) as IMPORTER.EXPORTER.SECTOR.PERCENT joined
// by "~", the scenario and its events, the sector table's country, and, once
// the game panel's options were changed, those options (g: the values of
// GAME_FIELDS joined by "~"; a link sets them, and the reader starts the game,
// which is a job).
const GAME_FIELDS = ['g-kind', 'g-a', 'g-b', 'g-instrument', 'g-threat', 'g-frontier', 'g-giver', 'g-cvalue',
  'g-rule', 'g-rounds', 'g-step'];
function writeUrl() {
  const cells = (list) => list.map((c) => `${c.importer}.${c.exporter}.${c.sector}.${+(100 * c.rate).toFixed(4)}`).join('~');
  const sliders = [];
  for (const p of state.pairs)
    for (const code of p.touched)
      sliders.push({ importer: p.importer, exporter: p.exporter, sector: code, rate: Number(p.sliders.get(code).value) / 100 });
  const q = new URLSearchParams({ w: state.world });
  if (sliders.length) q.set('s', cells(sliders));
  if (state.extra.length) q.set('x', cells(state.extra));
  if ($('scenario').value) q.set('sc', $('scenario').value);
  const ev = [...$('events').querySelectorAll('input:checked')].map((x) => x.value);
  if (ev.length) q.set('ev', ev.join('~'));
  if (state.sectorCountry) q.set('c', state.sectorCountry);
  const es = $('elasticities');
  if (es.value && !es.selectedOptions[0]?.text.endsWith('(default)')) q.set('e', es.value);
  if (state.gameTouched) q.set('g', GAME_FIELDS.map((id) => $(id).value).join('~'));
  history.replaceState(null, '', `#${q}`);
}

function readUrl() {
  const q = new URLSearchParams(location.hash.slice(1));
  const cells = (text) => (text || '').split('~').filter(Boolean).map((t) => {
    const [importer, exporter, sector, pct] = t.split('.').length > 4
      ? [...t.split('.').slice(0, 3), t.split('.').slice(3).join('.')] : t.split('.');
    return { importer, exporter, sector, rate: Number(pct) / 100 };
  }).filter((c) => c.importer && c.exporter && c.sector && c.rate >= 0);
  return q.has('w') ? { world: q.get('w'), sliders: cells(q.get('s')), extra: cells(q.get('x')),
    scenario: q.get('sc'), events: (q.get('ev') || '').split('~').filter(Boolean), country: q.get('c'),
    elasticities: q.get('e'), game: q.has('g') ? q.get('g').split('~') : null } : null;
}

// Set the game panel's options from a shared link (values a field does not
// offer are skipped), then let the panel show the options of its kind.
function restoreGame(values) {
  if (!values) return;
  GAME_FIELDS.forEach((id, k) => {
    const f = $(id), v = values[k];
    if (v === undefined || v === '') return;
    if (f.tagName === 'SELECT' ? [...f.options].some((o) => o.value === v) : f.type !== 'number' || Number.isFinite(Number(v)))
      f.value = v;
  });
  state.gameTouched = true;
  for (const id of ['g-kind', 'g-a', 'g-b']) $(id).dispatchEvent(new Event('change'));
}

// Apply the slider cells of a shared link to the pairs just built.
function applySliders(cells) {
  for (const c of cells) {
    const p = state.pairs.find((x) => x.importer === c.importer && x.exporter === c.exporter);
    const input = p && p.sliders.get(c.sector);
    if (!input) { state.extra.push(c); continue; }
    input.value = String(100 * c.rate);
    input.dispatchEvent(new Event('sync'));
    p.touched.add(c.sector);
  }
}

async function compareRuns() {
  const ids = [...$('runs').querySelectorAll('input:checked')].map((x) => Number(x.value)).sort((a, b) => a - b);
  const box = $('runs-diff');
  if (ids.length !== 2) { box.replaceChildren(el('p', { class: 'note', text: 'tick two runs to compare them' })); return; }
  try {
    const d = await api(`runs/diff?a=${ids[0]}&b=${ids[1]}`);
    const fields = ['welfare_pct', 'real_gdp_pct', 'price_index_pct', 'etr_pre_pct', 'etr_post_pct'];
    const opts = Object.entries(d.options || {}).map(([k, v]) => `${k}: ${JSON.stringify(v[0])} \u2192 ${JSON.stringify(v[1])}`);
    box.replaceChildren(
      el('p', { class: 'note', text: `run ${d.a} \u2192 run ${d.b}: same world ${d.same_world ? 'yes' : 'no'}, ` +
        `same inputs ${d.same_inputs ? 'yes' : 'no'}${opts.length ? '; ' + opts.join('; ') : ''}; run ${d.b} minus run ${d.a}, pp` }),
      el('table', { class: 'results', id: 'runs-diff-table' },
        el('thead', {}, el('tr', {}, el('th', { text: 'country' }), ...fields.map((f) => el('th', { 'data-field': f, text: f.replace(/_pct$/, '') })))),
        el('tbody', {}, ...(d.countries || []).map((c) => el('tr', { 'data-code': c.code }, el('th', { text: c.code }),
          ...fields.map((f) => el('td', { 'data-field': f, text: c[f] ? twFmt(c[f][2], 4) : '\u2014' })))))));
  } catch (e) {
    box.replaceChildren(el('p', { class: 'note', text: e.message }));
  }
}

async function main() {
  if (!initCharts()) return;
  try {
    await loadMap();
  } catch (e) {
    setStatus('map data missing: run scripts/install-deps (npm ci in web/)', true);
  }
  const { worlds, default: dflt } = await api('worlds');
  state.defaultWorld = dflt;
  const sel = $('world');
  sel.replaceChildren(...worlds.map((w) => el('option', { value: w.name, text: w.name })));
  state.restoring = readUrl();
  const first = state.restoring && worlds.some((w) => w.name === state.restoring.world) ? state.restoring.world : dflt;
  sel.value = first;
  sel.addEventListener('change', () => loadWorld(sel.value).catch((e) => setStatus(e.message, true)));
  $('reset').addEventListener('click', () => loadWorld(state.world));
  $('t-add').addEventListener('click', () => {
    const rate = Number($('t-rate').value);
    if (!(rate >= 0)) return setStatus('rate must be a number >= 0', true);
    state.extra.push({ importer: $('t-imp').value, exporter: $('t-exp').value, sector: $('t-sec').value, rate: rate / 100 });
    renderExtra();
    scheduleSolve();
  });
  $('save').addEventListener('click', saveRun);
  $('more-columns').addEventListener('change', () => { if (state.shown) fillResults(state.shown); });
  $('sector-country').addEventListener('change', (e) => { state.sectorCountry = e.target.value; if (state.shown) fillSectors(state.shown); });
  $('run-timeline').addEventListener('click', runTimeline);
  $('pin').addEventListener('click', pinResult);
  $('compare').addEventListener('change', () => { if (state.shown) fillResults(state.shown); });
  $('dl-json').addEventListener('click', () => downloadResult('json'));
  $('dl-csv').addEventListener('click', () => downloadResult('countries'));
  $('dl-sectors').addEventListener('click', () => downloadResult('sectors'));
  $('share').addEventListener('click', async () => {
    writeUrl();
    try { await navigator.clipboard.writeText(location.href); setStatus('link copied'); } catch (e) { setStatus('link: ' + location.href); }
  });
  $('runs-compare').addEventListener('click', compareRuns);
  $('elasticities').addEventListener('change', () => { scheduleSolve(); if (state.scenarios) timelineForWorld(); });
  $('g-run').addEventListener('click', runGame);
  $('g-cancel').addEventListener('click', cancelGame);
  $('g-show').addEventListener('click', () => { if (tw.game && tw.game.result) draw(tw.game.result.result); });
  $('g-kind').addEventListener('change', () => { $('g-instrument').disabled = ['talks', 'escalate'].includes($('g-kind').value); });
  await loadWorld(first);
  restoreGame(state.restoring && state.restoring.game);
  for (const id of GAME_FIELDS)
    for (const ev of ['change', 'input'])
      $(id).addEventListener(ev, () => { if (state.restoring) return; state.gameTouched = true; writeUrl(); });
  tw.ready = true;
  document.body.dataset.ready = '1';
  if (await loadScenarios().catch(() => false)) {
    const r = state.restoring;
    if (r && r.scenario && [...$('scenario').options].some((o) => o.value === r.scenario)) {
      $('scenario').value = r.scenario;
      $('scenario').dispatchEvent(new Event('change'));
      for (const x of $('events').querySelectorAll('input')) x.checked = r.events.includes(x.value);
    }
    timelineForWorld();
  }
  state.restoring = null;
  loadRuns();
}

main().catch((e) => setStatus(e.message, true));
