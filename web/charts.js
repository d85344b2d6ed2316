// charts.js - the dashboard's charts, all drawn by Apache ECharts: the world
// map coloured by welfare change, welfare / real wage / prices by country,
// bilateral trade changes, and a timeline's path over its dates.
//
// Each function takes the chart and the API's JSON and sets a complete option
// (notMerge), so a chart always shows exactly the last answer.  Animation is
// off: the dashboard re-solves while a slider moves and must show the new
// equilibrium at once.
'use strict';

const TW_DIVERGING = ['#b2182b', '#ef8a62', '#fddbc7', '#f7f7f7', '#d1e5f0', '#67a9cf', '#2166ac'];
const TW_SERIES = ['#1f77b4', '#ff7f0e', '#7f7f7f'];
// timeline: five focus countries, then the two tariff lines
const TW_LINES = ['#d62728', '#2ca02c', '#9467bd', '#17becf', '#bcbd22', '#1f77b4', '#ff7f0e'];

// A number with the given decimals; a value that rounds to zero prints
// without a sign ("0.00", never "-0.00").
function twFmt(v, digits) {
  if (v == null || !isFinite(v)) return 'n/a';
  const t = v.toFixed(digits);
  return /^-0(\.0*)?$/.test(t) ? t.slice(1) : t;
}

// A chart title that wraps on a narrow chart (a phone) instead of being cut
// off; top is where the chart's content can start below it.
function twTitle(chart, text, size, extra) {
  const narrow = chart.getWidth() < 520;
  return {
    narrow,
    top: narrow ? 24 : 0,
    title: Object.assign({ text, left: 'center', textStyle: { fontSize: narrow ? 12 : size, width: chart.getWidth() - 70, overflow: 'break' } }, extra),
  };
}

// Every chart can be saved as a PNG (ECharts' toolbox, white background).
const TW_TOOLBOX = { right: 6, top: 2, feature: { saveAsImage: { title: 'PNG', pixelRatio: 2, backgroundColor: '#fff' } } };

// Largest |v| rounded up to a tidy number, for symmetric colour scales.
function twSymmetric(values, floor) {
  let m = floor;
  for (const v of values) if (isFinite(v)) m = Math.max(m, Math.abs(v));
  const p = Math.pow(10, Math.floor(Math.log10(m)));
  return Math.ceil(m / p) * p;
}

// A quantile of |v|, so that one huge cell does not wash out the others.
function twQuantileAbs(values, q, floor) {
  const a = values.filter(isFinite).map(Math.abs).sort((x, y) => x - y);
  if (!a.length) return floor;
  return Math.max(floor, a[Math.min(a.length - 1, Math.floor(q * a.length))]);
}

// map: features carry their world region in regionOf (name -> code).
function twDrawMap(chart, result, regionOf) {
  const byCode = new Map(result.countries.map((c) => [c.code, c]));
  const data = [];
  for (const [name, code] of regionOf) {
    const c = code ? byCode.get(code) : undefined;
    if (c) data.push({ name, value: c.welfare_pct, region: code, regionName: c.name });
  }
  const m = twSymmetric(result.countries.map((c) => c.welfare_pct), 0.01);
  chart.setOption({
    animation: false,
    title: twTitle(chart, 'Welfare change by country (%)', 14).title,
    toolbox: TW_TOOLBOX,
    tooltip: {
      trigger: 'item',
      formatter: (p) => p.data
        ? `${p.name} (${p.data.region}${p.data.region !== p.data.regionName ? ': ' + p.data.regionName : ''})<br>welfare ${twFmt(p.data.value, 3)} %`
        : p.name,
    },
    visualMap: {
      type: 'continuous', min: -m, max: m, left: 8, bottom: 8, calculable: false,
      text: [`gain +${twFmt(m, 2)} %`, `loss \u2212${twFmt(m, 2)} %`], inRange: { color: TW_DIVERGING },
      itemHeight: 90, formatter: (v) => twFmt(v, 2),
    },
    series: [{
      type: 'map', map: 'tw-world', roam: false, top: 44, bottom: 12, left: 70, right: 10,
      itemStyle: { borderColor: '#999', borderWidth: 0.4, areaColor: '#eee' },
      emphasis: { label: { show: false }, itemStyle: { areaColor: '#ffd54f' } },
      select: { disabled: true },
      data,
    }],
  }, { notMerge: true });
}

function twDrawBars(chart, result) {
  const cs = result.countries;
  const t = twTitle(chart, 'Welfare, real wage and consumer prices (% change)', 14);
  // at the baseline every bar is zero: a fixed axis, not one of rounding noise
  const flat = cs.every((c) => [c.welfare_pct, c.real_wage_pct, c.price_index_pct].every((v) => !(Math.abs(v) > 1e-6)));
  chart.setOption({
    animation: false,
    title: t.title,
    toolbox: TW_TOOLBOX,
    tooltip: { trigger: 'axis', valueFormatter: (v) => twFmt(v, 4) + ' %' },
    legend: { top: 30 + t.top },
    grid: { left: 56, right: 16, top: 70 + t.top, bottom: 44 },
    xAxis: { type: 'category', data: cs.map((c) => c.code), axisLabel: { interval: cs.length > 60 ? 'auto' : 0, rotate: cs.length > 12 ? 90 : 0, fontSize: 10 } },
    yAxis: Object.assign({ type: 'value', name: '% change', axisLabel: { formatter: (v) => twFmt(v, 2) } },
      flat ? { min: -0.1, max: 0.1, interval: 0.05 } : {}),
    series: [
      { name: 'welfare', type: 'bar', data: cs.map((c) => c.welfare_pct), itemStyle: { color: TW_SERIES[0] } },
      { name: 'real wage', type: 'bar', data: cs.map((c) => c.real_wage_pct), itemStyle: { color: TW_SERIES[1] } },
      { name: 'consumer prices', type: 'bar', data: cs.map((c) => c.price_index_pct), itemStyle: { color: TW_SERIES[2] } },
    ],
  }, { notMerge: true });
}

// Heatmap of the change in each importer's purchases from each exporter.  A
// large world shows its TW_HEATMAP_MAX largest traders (new exports + imports),
// in the world's order; the table and the other charts keep every country.
const TW_HEATMAP_MAX = 40;
function twDrawBilateral(chart, result) {
  let cs = result.countries;
  if (cs.length > TW_HEATMAP_MAX) {
    const keep = new Set([...cs].sort((a, b) => (b.exports + b.imports) - (a.exports + a.imports))
      .slice(0, TW_HEATMAP_MAX).map((c) => c.code));
    cs = cs.filter((c) => keep.has(c.code));
  }
  const codes = cs.map((c) => c.code);
  const ix = new Map(codes.map((c, k) => [c, k]));
  const rows = (result.bilateral || []).filter((b) => ix.has(b.importer) && ix.has(b.exporter));
  const m = twQuantileAbs(rows.map((b) => b.change_pct), 0.97, 0.01);
  const data = rows.map((b) => ({
    value: [ix.get(b.exporter), ix.get(b.importer), Math.max(-m, Math.min(m, b.change_pct))],
    change: b.change_pct, base: b.base, now: b.new, importer: b.importer, exporter: b.exporter,
  }));
  const t = twTitle(chart, 'Bilateral trade: change in imports by source (%)', 14, {
    subtext: 'rows: importer, columns: exporter' +
      (codes.length < result.countries.length ? ` (the ${codes.length} largest traders)` : ''),
    subtextStyle: { fontSize: 11 }, itemGap: 4,
  });
  chart.setOption({
    animation: false,
    title: t.title,
    tooltip: {
      formatter: (p) => `${p.data.exporter} \u2192 ${p.data.importer}: ${twFmt(p.data.change, 2)} %` +
        `<br>${twFmt(p.data.base, 0)} \u2192 ${twFmt(p.data.now, 0)}`,
    },
    toolbox: TW_TOOLBOX,
    grid: { left: 56, right: 16, top: 56 + t.top, bottom: 96 },
    xAxis: { type: 'category', name: 'exporter', nameLocation: 'middle', nameGap: 36, data: codes, axisLabel: { interval: 0, rotate: 90, fontSize: 9 } },
    yAxis: { type: 'category', name: 'importer', nameLocation: 'middle', nameGap: 40, data: codes, axisLabel: { interval: 0, fontSize: 9 } },
    visualMap: {
      min: -m, max: m, calculable: false, orient: 'horizontal', left: 'center', bottom: 0,
      itemWidth: 10, itemHeight: 120, inRange: { color: TW_DIVERGING }, formatter: (v) => twFmt(v, 1),
      text: [`+${twFmt(m, 1)} % or more`, `\u2212${twFmt(m, 1)} % or less`],
    },
    series: [{ type: 'heatmap', data, emphasis: { itemStyle: { borderColor: '#000', borderWidth: 1 } } }],
  }, { notMerge: true });
}

// Timeline: welfare of the focus countries and the two bilateral effective
// tariff rates, as step lines (a policy holds until the next date); the
// baseline is drawn a month before the first date.
function twDrawTimeline(chart, tl) {
  const steps = tl.steps || [];
  const firstDated = steps.find((s) => /^\d{4}-\d\d-\d\d$/.test(s.date));
  const first = firstDated ? Date.parse(firstDated.date) : Date.now();
  const when = (s) => (/^\d{4}-\d\d-\d\d$/.test(s.date) ? Date.parse(s.date) : first - 30 * 864e5);
  const focus = tl.focus || [];
  const series = focus.map((code, k) => ({
    name: code, type: 'line', step: 'end', showSymbol: true, symbolSize: 4,
    xAxisIndex: 0, yAxisIndex: 0, itemStyle: { color: TW_LINES[k % 5] },
    data: steps.map((s) => {
      const c = s.countries.find((x) => x.code === code);
      return { value: [when(s), c ? c.welfare_pct : null], label: s.label, date: s.date };
    }),
  }));
  if (focus.length >= 2) {
    const names = [`${focus[0]} on ${focus[1]}`, `${focus[1]} on ${focus[0]}`];
    const keys = ['etr_pre_a_on_b_pct', 'etr_pre_b_on_a_pct'];
    for (let k = 0; k < 2; k++) {
      series.push({
        name: names[k], type: 'line', step: 'end', showSymbol: false, xAxisIndex: 1, yAxisIndex: 1,
        itemStyle: { color: TW_LINES[5 + k] }, lineStyle: { type: k ? 'dashed' : 'solid' },
        data: steps.map((s) => ({ value: [when(s), s[keys[k]]], label: s.label, date: s.date })),
      });
    }
  }
  const t = twTitle(chart, tl.scenario || 'timeline', 13);
  chart.setOption({
    animation: false,
    title: t.title,
    toolbox: TW_TOOLBOX,
    tooltip: {
      trigger: 'axis',
      formatter: (ps) => {
        const d = ps[0] && ps[0].data;
        const head = d ? `${d.date}: ${d.label}` : '';
        return [head].concat(ps.map((p) => `${p.marker}${p.seriesName}: ${twFmt(p.data.value[1], 3)} %`)).join('<br>');
      },
    },
    legend: { top: 26 + t.top, type: 'scroll' },
    grid: [{ left: 60, right: 20, top: 66 + t.top, height: '36%' }, { left: 60, right: 20, bottom: 30, height: '26%' }],
    xAxis: [{ type: 'time', gridIndex: 0, axisLabel: { show: false } }, { type: 'time', gridIndex: 1 }],
    yAxis: [
      { type: 'value', gridIndex: 0, name: 'welfare %', axisLabel: { formatter: (v) => twFmt(v, 2) } },
      { type: 'value', gridIndex: 1, name: 'ETR %', axisLabel: { formatter: (v) => twFmt(v, 0) } },
    ],
    axisPointer: { link: [{ xAxisIndex: 'all' }] },
    series,
  }, { notMerge: true });
}

// Output and jobs by sector for one country: the sector rows of the answer
// (output_pct, employment_pct), as horizontal bars with their values printed;
// names maps a sector code to its name (tooltip).
function twDrawSectors(chart, rows, country, names) {
  const codes = rows.map((r) => r.sector);
  const t = twTitle(chart, `Output and jobs by sector, ${country} (% change)`, 14);
  const values = rows.flatMap((r) => [r.output_pct, r.employment_pct]);
  const flat = values.every((v) => !(Math.abs(v) > 1e-6));
  const label = { show: true, position: 'right', fontSize: 9, formatter: (p) => twFmt(p.value, 2) };
  chart.setOption({
    animation: false,
    title: t.title,
    toolbox: TW_TOOLBOX,
    tooltip: {
      trigger: 'axis', axisPointer: { type: 'shadow' },
      formatter: (ps) => [`${ps[0].name}${names.get(ps[0].name) ? ': ' + names.get(ps[0].name) : ''}`]
        .concat(ps.map((p) => `${p.marker}${p.seriesName}: ${twFmt(p.value, 3)} %`)).join('<br>'),
    },
    legend: { top: 26 + t.top },
    grid: { left: 8, right: 44, top: 56 + t.top, bottom: 36, containLabel: true },
    yAxis: { type: 'category', inverse: true, data: codes, axisLabel: { interval: 0, fontSize: 10 } },
    xAxis: Object.assign({ type: 'value', name: '% change', nameLocation: 'middle', nameGap: 22,
      axisLabel: { formatter: (v) => twFmt(v, 1), hideOverlap: true } },
    flat ? { min: -0.1, max: 0.1, interval: 0.05 } : {}),
    series: [
      { name: 'output', type: 'bar', data: rows.map((r) => r.output_pct), itemStyle: { color: TW_SERIES[0] }, label },
      { name: 'jobs', type: 'bar', data: rows.map((r) => r.employment_pct), itemStyle: { color: TW_SERIES[1] }, label },
    ],
  }, { notMerge: true });
}
