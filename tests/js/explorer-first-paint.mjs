// The explorer's first paint in headless Chromium (Debian's chromium, via puppeteer-core), for the api bench.
// stdin: {"url": explorer base URL, "devices": n located devices expected on the map, "runs": n, "chromium": path?}
// stdout: {"ms": [each run: navigation start to the map drawn with every device marker, the page's own ready mark], "markers": n}
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
  const ms = [];
  let markers = 0;
  for (let run = 0; run < (input.runs || 3); run++) {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport({ width: 1280, height: 800 });
    await page.setCacheEnabled(false);
    const start = Date.now();
    await page.goto(input.url + "/#/", { waitUntil: "domcontentloaded" });
    await page.waitForFunction(n => document.body.dataset.ready === "#/" && (window.explorerMarkers || []).length === n,
      { timeout: 60000, polling: "raf" }, input.devices);
    ms.push(Date.now() - start);
    markers = await page.evaluate(() => window.explorerMarkers.length);
    await context.close();
  }
  console.log(JSON.stringify({ ms, markers }));
} finally {
  await browser.close();
}
