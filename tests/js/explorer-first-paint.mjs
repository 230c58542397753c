// The explorer's first paint in headless Chromium (Debian's chromium, via puppeteer-core), for the api bench.
// stdin: {"url": explorer base URL, "devices": n located devices expected on the map, "runs": n, "chromium": path?}
// stdout: {"ms": [each run: navigation start to every device marker painted on the map], "markers": n,
//          "phases": [each run: {the page's performance marks: ms from navigation start}]}
// Each run is a fresh page (no cache): config, basemap, every device page by page, the deny list, units and cells.
import puppeteer from "puppeteer-core";
import fs from "node:fs";

const input = JSON.parse(fs.readFileSync(0, "utf8"));
const executablePath = input.chromium || ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find(p => fs.existsSync(p));
if (!executablePath) { console.error("no chromium: run `make setup`"); process.exit(2); }
const browser = await puppeteer.launch({
  executablePath, headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-proxy-server"],
});
try {
  const ms = [], phases = [];
  let markers = 0;
  for (let run = 0; run < (input.runs || 3); run++) {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport({ width: 1280, height: 800 });
    await page.setCacheEnabled(false);
    const start = Date.now();
    await page.goto(input.url + "/#/", { waitUntil: "domcontentloaded" });
    // Painted: every device marker on the map's canvas (drawn in the animation frame after they are added); the density
    // cells follow.
    await page.waitForFunction(n => (window.explorerMarkers || []).length === n, { timeout: 60000, polling: "raf" }, input.devices);
    await page.evaluate(() => new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    ms.push(Date.now() - start);
    await page.waitForFunction(() => document.body.dataset.ready === "#/", { timeout: 60000 });
    markers = await page.evaluate(() => window.explorerMarkers.length);
    phases.push(await page.evaluate(() => Object.fromEntries(performance.getEntriesByType("mark").map(m => [m.name, Math.round(m.startTime)]))));
    // EXPLORER_SHOT=file.png: a screenshot of the painted map (the last run's).
    if (process.env.EXPLORER_SHOT) await page.screenshot({ path: process.env.EXPLORER_SHOT });
    // EXPLORER_TIMING=file.json: where the time went (the resource fetches of the last run).
    if (process.env.EXPLORER_TIMING) fs.writeFileSync(process.env.EXPLORER_TIMING, JSON.stringify(await page.evaluate(() => performance.getEntriesByType("resource")
      .map(r => `${r.name.replace(/^http:\/\/[^/]+/, "")} start ${r.startTime.toFixed(0)} took ${r.duration.toFixed(0)}`)
      .concat(performance.getEntriesByType("mark").map(m => `${m.name} at ${m.startTime.toFixed(0)}`))), null, 1));
    await context.close();
  }
  console.log(JSON.stringify({ ms, markers, phases }));
} finally {
  await browser.close();
}
