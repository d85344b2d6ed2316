// game.js - the game panel's views of trade talks and escalation: the talks'
// frontier drawn with the threat point, the bargain, the status quo and the
// bargain with a concession (and what the concession is worth: how far it
// moves each bargained tariff), and an escalation path round by round
// (each round's tariffs and welfare).  app.js runs the searches as server
// jobs and calls twGame.request for the request of talks and escalation and
// twGame.show with each answer (the objects of /api/talks and /api/escalate,
// docs/server.md).  Every number drawn is also in a table cell, with the
// field of the answer it comes from in data-field.
'use strict';

const twGame = (window.twGame = (() => {
  const byId = (id) => document.getElementById(id);
  let chart = null;

  // the talks and escalation options shown only for their kind
  function showOptions() {
    const kind = byId('g-kind').value;
    byId('g-talks-opts').hidden = kind !== 'talks';
    byId('g-esc-opts').hidden = kind !== 'escalate';
    byId('g-giver').options[0].text = byId('g-b').value || 'B';
    byId('g-giver').options[1].text = byId('g-a').value || 'A';
  }
  for (const id of ['g-kind', 'g-a', 'g-b']) byId(id).addEventListener('change', showOptions);
  showOptions();

  function request(kind, base, a, b) {
    const body = Object.assign(base, { players: [a, b] });
    if (kind === 'escalate')
      return { kind, body: Object.assign(body, { rule: byId('g-rule').value, rounds: Number(byId('g-rounds').value),
        step: Number(byId('g-step').value) / 100 }) };
    Object.assign(body, { threat: byId('g-threat').value, frontier: Number(byId('g-frontier').value) });
    const v = Number(byId('g-cvalue').value);
    if (v) body.concession = { giver: byId('g-giver').value === 'b' ? b : a, value_pct: v };
    return { kind, body };
  }

  function getChart() {
    const box = byId('g-chart');
    box.hidden = false;
    if (!chart) {
      chart = echarts.init(box);
      window.addEventListener('resize', () => chart.resize());
    } else {
      chart.resize();
    }
    return chart;
  }

  // a table of rows; each cell [field, value, digits, unit] or text
  function fillTable(head, rows) {
    const t = byId('g-detail');
    t.hidden = false;
    t.tHead.rows[0].replaceChildren(...head.map((h) => el('th', { text: h })));
    t.tBodies[0].replaceChildren(...rows.map((r) => el('tr', { 'data-point': r.point },
      el('th', { text: r.label }),
      ...r.cells.map(([field, v, digits, unit]) => el('td', { 'data-field': field, 'data-value': String(v),
        text: v == null ? '\u2014' : `${twFmt(v, digits)}${unit}` })))));
  }

  function axis(name, extra) {
    return Object.assign({ type: 'value', name, nameLocation: 'middle', nameGap: 34, scale: true,
      axisLabel: { formatter: (v) => twFmt(v, 3) } }, extra);
  }

  // ---- talks ----

  function showTalks(out) {
    const t = out.talks, [A, B] = t.players;
    const pts = {
      status_quo: [A.status_quo_welfare_pct, B.status_quo_welfare_pct],
      threat: [A.threat_welfare_pct, B.threat_welfare_pct],
      bargain: [A.bargain_welfare_pct, B.bargain_welfare_pct],
    };
    if ('with_concession_welfare_pct' in A) pts.with_concession = [A.with_concession_welfare_pct, B.with_concession_welfare_pct];
    const frontier = (t.frontier || []).map((f) => [f.welfare_a_pct, f.welfare_b_pct, f.weight_a]).sort((p, q) => p[0] - q[0]);
    const names = { status_quo: 'status quo', threat: `threat (${t.threat === 'nash' ? 'the war' : 'status quo'})`,
      bargain: 'bargain', with_concession: 'bargain + concession' };
    const colours = { status_quo: '#7f7f7f', threat: '#d62728', bargain: '#2ca02c', with_concession: '#9467bd' };
    const c = getChart(), head = twTitle(c, `Talks ${A.code}\u2013${B.code}: welfare at each point`, 14);
    c.setOption({
      title: head.title, toolbox: TW_TOOLBOX, animation: false,
      legend: { bottom: 0, type: 'scroll' },
      grid: { left: 70, right: 24, top: head.top + 40, bottom: 76 },
      tooltip: { trigger: 'item', formatter: (p) => `${p.seriesName}<br>${A.code} ${twFmt(p.value[0], 4)} %, ${B.code} ${twFmt(p.value[1], 4)} %` },
      xAxis: axis(`${A.code} welfare, % change from baseline`, { splitNumber: head.narrow ? 3 : 5 }),
      yAxis: axis(`${B.code} welfare, %`, { nameGap: 52 }),
      series: [
        { name: 'frontier', type: 'line', data: frontier.map((p) => [p[0], p[1]]), symbolSize: 7, color: '#1f77b4' },
        ...Object.keys(pts).map((k) => ({ name: names[k], type: 'scatter', data: [pts[k]], symbolSize: 12, color: colours[k] })),
      ],
    }, true);
    const row = (point, label, wt, ta, tb, wa, wb) => ({ point, label, cells: [
      ['weight_a', wt, 2, ''], ['tariff_a', ta == null ? null : 100 * ta, 2, ' %'], ['tariff_b', tb == null ? null : 100 * tb, 2, ' %'],
      ['welfare_a_pct', wa, 4, ' %'], ['welfare_b_pct', wb, 4, ' %']] });
    const rows = [
      row('status_quo', names.status_quo, null, null, null, ...pts.status_quo),
      row('threat', names.threat, null, null, null, ...pts.threat),
      row('bargain', names.bargain, null, A.bargain_tariff, B.bargain_tariff, ...pts.bargain),
    ];
    if (pts.with_concession)
      rows.push(row('with_concession', names.with_concession, null, A.with_concession_tariff, B.with_concession_tariff, ...pts.with_concession));
    (t.frontier || []).forEach((f, k) => rows.push(row(`frontier-${k}`, `frontier ${k + 1}`,
      f.weight_a, f.tariff_a, f.tariff_b, f.welfare_a_pct, f.welfare_b_pct)));
    fillTable(['point', `weight on ${A.code}`, `${A.code} tariff on ${B.code}`, `${B.code} tariff on ${A.code}`,
      `${A.code} welfare`, `${B.code} welfare`], rows);
    const note = byId('g-note');
    if (pts.with_concession) {
      const giver = A.bonus_pct > 0 ? B : A, recv = giver === A ? B : A;
      note.replaceChildren('What the concession is worth (the bargain + concession point counts the payment in ' +
        `the receiver's welfare): ${giver.code} pays ${recv.code} `,
        el('span', { 'data-field': 'bonus_pct', text: `${twFmt(recv.bonus_pct, 4)} %` }),
        ` of ${recv.code}'s real income; at the bargain this moves ${A.code}'s tariff by `,
        el('span', { 'data-code': A.code, 'data-field': 'concession_tariff_change_pp', text: `${twFmt(A.concession_tariff_change_pp, 2)} pp` }),
        ` and ${B.code}'s by `,
        el('span', { 'data-code': B.code, 'data-field': 'concession_tariff_change_pp', text: `${twFmt(B.concession_tariff_change_pp, 2)} pp` }),
        '.');
    } else {
      note.textContent = 'No concession on the table (set a value to see what one is worth).';
    }
    note.append(' The frontier\'s points (each the best tariffs for a weight on the two welfares) are joined by ' +
      'straight lines; between them the frontier itself bows outward, so the bargain may lie above a line.');
    if (!t.converged) note.append(` The frontier failed its check: ${t.error}`);
  }

  // ---- escalation ----

  function showEscalation(out) {
    const R = out.rounds, a = out.a, b = out.b, x = R.map((r) => String(r.round));
    const c = getChart(), narrow = c.getWidth() < 520;
    const head = twTitle(c, narrow ? `Escalation ${a}\u2013${b} (${out.rule})` : `Escalation ${a}\u2013${b} (${out.rule}): tariffs and welfare by round`, 14);
    c.setOption({
      title: head.title, toolbox: TW_TOOLBOX, animation: false,
      legend: { bottom: 0, type: 'scroll' },
      grid: { left: 62, right: 62, top: head.top + 40, bottom: 76 },
      tooltip: { trigger: 'axis', valueFormatter: (v) => `${twFmt(v, 3)} %` },
      xAxis: { type: 'category', data: x, name: 'round', nameLocation: 'middle', nameGap: 26 },
      yAxis: [axis('tariff, %', { scale: false, nameGap: 40, axisLabel: { formatter: (v) => twFmt(v, 0) } }),
        axis('welfare, % change', { nameGap: 48 })],
      series: [
        { name: `${a} tariff on ${b}`, type: 'line', data: R.map((r) => 100 * r.tariff_a), color: '#1f77b4' },
        { name: `${b} tariff on ${a}`, type: 'line', data: R.map((r) => 100 * r.tariff_b), color: '#ff7f0e' },
        { name: `${a} welfare`, type: 'line', yAxisIndex: 1, data: R.map((r) => r.welfare_a_pct), color: '#1f77b4', lineStyle: { type: 'dashed' } },
        { name: `${b} welfare`, type: 'line', yAxisIndex: 1, data: R.map((r) => r.welfare_b_pct), color: '#ff7f0e', lineStyle: { type: 'dashed' } },
      ],
    }, true);
    fillTable(['round', `${a} tariff on ${b}`, `${b} tariff on ${a}`, `${a} welfare`, `${b} welfare`,
      `${b}\u2192${a} trade`, `${a}\u2192${b} trade`],
    R.map((r) => ({ point: `round-${r.round}`, label: String(r.round), cells: [
      ['tariff_a', 100 * r.tariff_a, 2, ' %'], ['tariff_b', 100 * r.tariff_b, 2, ' %'],
      ['welfare_a_pct', r.welfare_a_pct, 4, ' %'], ['welfare_b_pct', r.welfare_b_pct, 4, ' %'],
      ['trade_b_to_a_pct', r.trade_b_to_a_pct, 2, ' %'], ['trade_a_to_b_pct', r.trade_a_to_b_pct, 2, ' %']] })));
    byId('g-note').replaceChildren(`Start: ${a} on ${b} `,
      el('span', { 'data-field': 'start_tariff_a', text: `${twFmt(100 * out.start_tariff_a, 2)} %` }),
      `, ${b} on ${a} `, el('span', { 'data-field': 'start_tariff_b', text: `${twFmt(100 * out.start_tariff_b, 2)} %` }),
      ` (trade-weighted averages). Stopped after ${R.length} rounds: ${out.stopped}. Trade: the exporter's goods sold ` +
      'to the other, before tariffs, % change from the baseline.');
  }

  // Draw the answer of a game; true when the panel's own table is not used.
  function show(kind, out) {
    byId('g-chart').hidden = byId('g-detail').hidden = true;
    byId('g-note').textContent = '';
    if (kind === 'talks' && out.talks) showTalks(out);
    if (kind !== 'escalate') return false;
    byId('g-results').tHead.rows[0].replaceChildren();
    byId('g-results').tBodies[0].replaceChildren();
    showEscalation(out);
    return true;
  }

  function summary(out) {
    return `${out.rounds.length} rounds, ${out.stopped}`;
  }

  return { request, show, summary };
})());
