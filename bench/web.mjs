// web.mjs - the dashboard's slider round trip (called by bench/web.sh).
// Headless Chromium (tests/common/chromium.mjs) loads the page, waits until it
// has drawn its first solve and its timeline, then moves the USA-on-CHN "all
// goods" slider to each value of MOVES in turn.  For each move it reads the
// page's own round trip (input event -> re-solve -> charts drawn,
// window.tw.stats.roundTripMs) and the server's solve time, and prints the
// median against the goal.
//
// usage: node bench/web.mjs URL
import { launchChromium, openPage } from '../tests/common/chromium.mjs';

const [url] = process.argv.slice(2);
const GOAL_MS = 1000; // slider change on world2011, input to redrawn chart
const MOVES = [60, 80, 40, 100, 20, 70, 90, 30, 50];
const WAIT_MS = 120000; // only so that a broken page cannot hang the bench

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const browser = await launchChromium(WAIT_MS);
try {
  const page = await openPage(browser, WAIT_MS);
  await page.route((u) => !u.href.startsWith(url), (route) => route.abort());
  await page.goto(url);
  await page.waitForFunction(() => window.tw && window.tw.ready && window.tw.stats.solves >= 1 &&
    /steps on/.test(document.getElementById('timeline-status').textContent));
  const slider = page.locator('#rate-USA-CHN-all');
  const trips = [], solves = [], seen = [];
  for (const pct of MOVES) {
    const n = await page.evaluate(() => window.tw.stats.solves);
    const t0 = Date.now();
    await slider.fill(String(pct));
    await page.waitForFunction(([k, rate]) => window.tw.stats.solves > k &&
      window.tw.lastRequest.tariffs.some((t) => t.importer === 'USA' && t.exporter === 'CHN' &&
        Math.abs(t.rate - rate) < 1e-12), [n, pct / 100]);
    seen.push(Date.now() - t0);
    const st = await page.evaluate(() => window.tw.stats);
    trips.push(st.roundTripMs);
    solves.push(st.solveMs);
  }
  const rt = median(trips);
  console.log(`  ${MOVES.length} slider moves on world2011: round trip in the page min ${Math.min(...trips).toFixed(0)}, ` +
    `median ${rt.toFixed(0)}, max ${Math.max(...trips).toFixed(0)} ms; median ${median(seen).toFixed(0)} ms seen ` +
    `by the driver; server solve median ${median(solves).toFixed(1)} ms`);
  console.log(`slider round trip ${rt.toFixed(0)} ms (goal ${GOAL_MS} ms)`);
} finally {
  await browser.close();
}
