// load.mjs - the load client of tests/server/load.sh (see there for the why).
//
// CLIENTS virtual clients, each on its own keep-alive connection, send a mix
// of POST /api/solve (bodies whose answers the command line gave) and GET
// /api/world (checked against the first answer) back to back for a warm-up
// and then for SECONDS.  Meanwhile a few other clients misbehave: two send
// their request a byte at a time, and in turn others send oversized bodies
// (by Content-Length and chunked), malformed JSON, bytes that are not HTTP,
// and solves they hang up on before the answer.  The server's RSS is read
// from /proc after the warm-up and after the run.
//
// usage: node load.mjs URL PID SECONDS CLIENTS CASES.json OUT.json
// CASES.json: [{body, expect: CLI --json answer}]; OUT.json gets the figures.
import http from 'node:http';
import net from 'node:net';
import fs from 'node:fs';

const [url, pid, seconds, clients, casesFile, outFile] = process.argv.slice(2);
const base = new URL(url);
const cases = JSON.parse(fs.readFileSync(casesFile, 'utf8'));
const SECONDS = Number(seconds), CLIENTS = Number(clients);
const WARMUP = Math.max(2, Math.min(10, SECONDS / 5));
const WAIT_S = Number(process.env.TW_WAIT_S || 600); // longest wait for one answer

const stats = {
  requests: 0, solves: 0, worlds: 0, errors: 0, wrong: 0, latencies: [],
  slow: 0, oversized: 0, chunked_oversized: 0, malformed: 0, not_http: 0, hung_up: 0,
  misbehaving_failures: 0, messages: [],
};
function note(kind, msg) {
  if (stats.messages.length < 20) stats.messages.push(`${kind}: ${msg}`);
}

function rss() {
  const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return m ? Number(m[1]) : NaN;
}

// Compare an API answer with the command line's: every country, to 1e-9.
function sameAnswer(got, want) {
  if (!got || !Array.isArray(got.countries) || got.countries.length !== want.countries.length)
    return 'country list differs';
  for (const c of want.countries) {
    const d = got.countries.find((x) => x.code === c.code);
    if (!d) return `no ${c.code}`;
    for (const k of ['welfare_pct', 'real_wage_pct', 'price_index_pct', 'tariff_revenue']) {
      if (!(Math.abs(d[k] - c[k]) <= 1e-9 * Math.max(1, Math.abs(c[k]))))
        return `${c.code} ${k}: ${d[k]} != ${c[k]}`;
    }
  }
  return null;
}

function request(agent, method, path, body) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const req = http.request({ host: base.hostname, port: base.port, method, path, agent,
      headers: body ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } : {} },
    (res) => {
      const parts = [];
      res.on('data', (d) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(parts).toString(),
        ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
      res.on('error', (e) => resolve({ status: 0, text: String(e), ms: 0 }));
    });
    req.on('error', (e) => resolve({ status: 0, text: String(e), ms: 0 }));
    // a bound on the wait, generous for a sanitized build on a busy machine
    req.setTimeout(WAIT_S * 1000, () => req.destroy(new Error(`no answer in ${WAIT_S} s`)));
    if (body) req.write(body);
    req.end();
  });
}

let worldRef = null;
let counting = false;

async function client(k, until) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  for (let q = k; Date.now() < until; q++) {
    const world = q % 4 === 3;
    const c = cases[q % cases.length];
    const r = world ? await request(agent, 'GET', '/api/world')
                    : await request(agent, 'POST', '/api/solve', c.body);
    if (!counting) continue;
    stats.requests++;
    if (r.status !== 200) {
      stats.errors++;
      note('error', `${world ? 'GET /api/world' : 'POST /api/solve'} -> ${r.status} ${r.text.slice(0, 200)}`);
      continue;
    }
    stats.latencies.push(r.ms);
    let why;
    try {
      const j = JSON.parse(r.text);
      if (world) { stats.worlds++; why = r.text === worldRef ? null : 'world answer changed'; }
      else { stats.solves++; why = sameAnswer(j, c.expect); }
    } catch (e) { why = `not JSON: ${e}`; }
    if (why) { stats.wrong++; note('wrong', why); }
  }
  agent.destroy();
}

// A raw exchange: write the chunks (with a pause after each), read until the
// server closes; the status code and body, or status 0.
function raw(chunks, pauseMs, hangUpAfterMs) {
  return new Promise((resolve) => {
    const sock = net.connect(Number(base.port), base.hostname);
    sock.setNoDelay(true); // one byte, one segment
    const parts = [];
    let done = false;
    const finish = (status, text) => { if (!done) { done = true; sock.destroy(); resolve({ status, text }); } };
    // the answer is complete at its Content-Length (the server may keep the
    // connection open, e.g. after a 413 for a body that never comes)
    const answer = (closed) => {
      const s = Buffer.concat(parts).toString('latin1');
      const head = s.indexOf('\r\n\r\n');
      const m = s.match(/^HTTP\/1\.[01] (\d{3})/);
      const len = s.slice(0, head).match(/\r\ncontent-length: *(\d+)/i);
      if (closed || (m && head >= 0 && len && s.length - head - 4 >= Number(len[1])))
        finish(m ? Number(m[1]) : 0, Buffer.from(s.slice(head + 4), 'latin1').toString());
    };
    sock.on('data', (d) => { parts.push(d); answer(false); });
    sock.on('error', () => finish(0, ''));
    sock.on('close', () => answer(true));
    sock.setTimeout(WAIT_S * 1000, () => finish(0, `no answer in ${WAIT_S} s`));
    sock.on('connect', async () => {
      for (const c of chunks) {
        if (done) return;
        sock.write(c);
        if (pauseMs) await new Promise((r) => setTimeout(r, pauseMs));
      }
      if (hangUpAfterMs !== undefined) setTimeout(() => finish(-1, ''), hangUpAfterMs);
    });
  });
}

function httpText(method, path, body, extra = '') {
  return `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;
}

async function slowClient(k, until) {
  while (Date.now() < until) {
    const c = cases[k % cases.length];
    const text = httpText('POST', '/api/solve', c.body);
    const r = await raw([...text], 5);
    if (!counting) continue;
    stats.slow++;
    let why = r.status === 200 ? null : `status ${r.status}`;
    if (!why) { try { why = sameAnswer(JSON.parse(r.text), c.expect); } catch (e) { why = `not JSON: ${e}`; } }
    if (why) { stats.misbehaving_failures++; note('slow client', why); }
  }
}

async function misbehave(until) {
  const big = '{"tariffs":[' + Array(30000).fill('{"importer":"USA","exporter":"CHN","rate":0.1}').join(',') + ']}';
  for (let q = 0; Date.now() < until; q++) {
    let r, want, kind;
    switch (q % 5) {
      case 0: // Content-Length over the limit: 413 from the header alone
        kind = 'oversized';
        r = await raw(['POST /api/solve HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n' +
          'Content-Type: application/json\r\nContent-Length: 5000000\r\n\r\n'], 0);
        want = 413;
        break;
      case 1: { // chunked, passing the limit
        kind = 'chunked_oversized';
        r = await new Promise((resolve) => {
          const req = http.request({ host: base.hostname, port: base.port, method: 'POST', path: '/api/solve',
            headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' } }, (res) => {
            const parts = [];
            res.on('data', (d) => parts.push(d));
            res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(parts).toString() }));
          });
          req.on('error', (e) => resolve({ status: 0, text: String(e) }));
          for (let o = 0; o < big.length; o += 65536) req.write(big.slice(o, o + 65536));
          req.end();
        });
        want = 413;
        break;
      }
      case 2: // malformed JSON: the exact message
        kind = 'malformed';
        r = await raw([httpText('POST', '/api/solve', '{"tariffs":[')], 0);
        want = 400;
        if (r.status === 400 && !r.text.includes('malformed JSON at byte 12 of 12')) r.status = -2;
        break;
      case 3: // not HTTP at all: an answer, a closed or a waiting connection
        kind = 'not_http'; // (given up after 1 s), but no crash
        r = await raw(['\x00\x01\x02 GARBAGE /// \xff\xfe\r\n\r\n'], 0, 1000);
        want = r.status;
        break;
      default: // a solve the client hangs up on before the answer
        kind = 'hung_up';
        r = await raw([httpText('POST', '/api/solve', cases[q % cases.length].body)], 0, 3);
        want = -1;
        if (r.status > 0) want = r.status; // answered within 3 ms: fine too
    }
    if (!counting) continue;
    stats[kind]++;
    if (r.status !== want) { stats.misbehaving_failures++; note(kind, `status ${r.status}, expected ${want}: ${r.text.slice(0, 200)}`); }
  }
}

async function phase(secs) {
  const until = Date.now() + secs * 1000;
  const jobs = [];
  for (let k = 0; k < CLIENTS; k++) jobs.push(client(k, until));
  for (let k = 0; k < 2; k++) jobs.push(slowClient(k, until));
  jobs.push(misbehave(until));
  await Promise.all(jobs);
}

const first = await request(undefined, 'GET', '/api/world');
if (first.status !== 200) { console.error(`GET /api/world -> ${first.status}`); process.exit(2); }
worldRef = first.text;

await phase(WARMUP);
const rssWarm = rss();
counting = true;
const t0 = Date.now();
let rssPeak = rssWarm;
const sampler = setInterval(() => { rssPeak = Math.max(rssPeak, rss()); }, 500);
await phase(SECONDS);
clearInterval(sampler);
const elapsed = (Date.now() - t0) / 1000;
// requests a hung-up client left behind finish before the final reading:
// wait until the server has none in flight (polls on one keep-alive
// connection, so each poll has finished before the next arrives)
const pollAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const drainEnd = Date.now() + WAIT_S * 1000;
let health, drained = false;
for (;;) {
  health = await request(pollAgent, 'GET', '/api/health');
  try { drained = health.status === 200 && JSON.parse(health.text).in_flight === 0; } catch (e) { drained = false; }
  if (drained || Date.now() >= drainEnd) break;
  await new Promise((r) => setTimeout(r, 50));
}
pollAgent.destroy();
if (!drained) note('drain', `requests still in flight after ${WAIT_S} s: ${health.status} ${health.text.slice(0, 200)}`);
const rssAfter = rss();
const last = await request(undefined, 'POST', '/api/solve', cases[0].body);

const lat = stats.latencies.sort((a, b) => a - b);
const pctl = (p) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] : NaN);
const out = {
  clients: CLIENTS, seconds: elapsed, warmup_seconds: WARMUP,
  requests: stats.requests, solves: stats.solves, worlds: stats.worlds,
  rate_per_s: stats.requests / elapsed, errors: stats.errors, wrong: stats.wrong,
  latency_ms: { p50: pctl(0.5), p95: pctl(0.95), p99: pctl(0.99), max: lat[lat.length - 1] },
  misbehaving: { slow: stats.slow, oversized: stats.oversized, chunked_oversized: stats.chunked_oversized,
    malformed: stats.malformed, not_http: stats.not_http, hung_up: stats.hung_up,
    failures: stats.misbehaving_failures },
  rss_kb: { warm: rssWarm, peak: rssPeak, after: rssAfter },
  drained,
  still_serving: health.status === 200 && last.status === 200 && sameAnswer(JSON.parse(last.text), cases[0].expect) === null,
  messages: stats.messages,
};
fs.writeFileSync(outFile, JSON.stringify(out, null, 1));
