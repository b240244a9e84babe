// Measures the web app in Chromium (see scripts/bench-web.sh). Prints
// figures; asserts nothing but that the pages work.
import { launch } from './lib.mjs';

const base = process.env.STRATUS_URL;
const browser = await launch();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await ctx.newPage();
  await page.goto(base + '/session');
  await page.getByLabel('E-mail').fill(process.env.STRATUS_EMAIL);
  await page.getByLabel('Password').fill(process.env.STRATUS_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/home/);
  await page.evaluate(() => localStorage.setItem('stratus.layout', 'list'));

  // Time to first rows: navigation start to the first row in the DOM,
  // noted by a MutationObserver installed before the app runs.
  await ctx.addInitScript(() => {
    new MutationObserver((_, obs) => {
      if (document.querySelector('[role=option]')) {
        window.__firstRow = performance.now();
        obs.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  const folder = (name) => base + '/home?path=' + encodeURIComponent('cloudreve://my/' + name);
  const firstRows = [];
  let transfer = null;
  for (let i = 0; i < 7; i++) {
    const cold = i === 0;
    const p = await ctx.newPage();
    const cdp = await ctx.newCDPSession(p);
    if (cold) await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await p.goto(folder('f10000'));
    await p.waitForFunction(() => window.__firstRow);
    if (!cold) firstRows.push(await p.evaluate(() => window.__firstRow));
    if (cold) {
      transfer = await p.evaluate(() => {
        const r = performance.getEntriesByType('resource').filter((e) => /\.(js|css)$/.test(new URL(e.name).pathname));
        return { bytes: r.reduce((n, e) => n + e.transferSize - 0, 0), encoded: r.reduce((n, e) => n + e.encodedBodySize, 0),
          decoded: r.reduce((n, e) => n + e.decodedBodySize, 0), files: r.map((e) => new URL(e.name).pathname) };
      });
    }
    await p.close();
  }
  console.log(`first load JS+CSS (browser, no cache): ${transfer.encoded} bytes compressed, ${transfer.decoded} bytes uncompressed, ${transfer.files.length} files (${transfer.files.join(', ')})`);
  console.log(`navigation to first rows, 10,000-file folder: median ${median(firstRows).toFixed(0)} ms of ${firstRows.length} warm loads (${firstRows.map((x) => x.toFixed(0)).join(', ')})`);

  // Scroll a 100,000-file folder to its end, counting DOM nodes on the way.
  const p = await ctx.newPage();
  await p.goto(folder('f100000'));
  await p.waitForSelector('[role=option]');
  const t0 = Date.now();
  const samples = [];
  for (;;) {
    const s = await p.evaluate(() => {
      const v = document.querySelector('.vview');
      v.scrollTop += v.clientHeight * 4;
      return { nodes: document.getElementsByTagName('*').length, rows: document.querySelectorAll('[role=option]').length,
        atEnd: v.scrollTop + v.clientHeight >= v.scrollHeight - 2, text: document.querySelector('.toolbar .count')?.textContent ?? '' };
    });
    samples.push(s);
    if (s.atEnd && !/\+/.test(s.text)) break;
    if (Date.now() - t0 > 180_000) throw new Error('scrolling did not reach the end');
    await p.waitForTimeout(16);
  }
  await p.waitForTimeout(200); // let the last scroll render
  const last = await p.evaluate(() => [...document.querySelectorAll('[role=option]')].map((e) => e.getAttribute('aria-label')).at(-1));
  console.log(`scrolling 100,000 files to the end (${last}) in ${((Date.now() - t0) / 1000).toFixed(1)} s: DOM nodes max ${Math.max(...samples.map((s) => s.nodes))}, rows in DOM max ${Math.max(...samples.map((s) => s.rows))}, over ${samples.length} scroll steps`);
} finally {
  await browser.close();
}
