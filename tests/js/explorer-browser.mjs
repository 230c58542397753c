// Drives the explorer in headless Chromium (Debian's chromium, via puppeteer-core) and prints what a user sees, as JSON.
// stdin: {"url": explorer base URL, "device": URL-safe base64 key, "epoch": n, "screenshots": directory, "chromium": path?}
//        "nextHeight": a height to wait for the status line to reach (the page polls the latest block)
// stdout: {"markers": n, "mapStates": [...], "reward": {field: text}, "owner": text, "denyReasons": [...], "chainId", "height",
//          "nextHeight", "errors": [...]}
import puppeteer from "puppeteer-core";
import fs from "node:fs";
import path from "node:path";

const input = JSON.parse(fs.readFileSync(0, "utf8"));
const executablePath = input.chromium || ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find(p => fs.existsSync(p));
if (!executablePath) { console.error("no chromium: run `make setup`"); process.exit(2); }
fs.mkdirSync(input.screenshots, { recursive: true });

const browser = await puppeteer.launch({
  executablePath, headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-proxy-server"],
});
const errors = [];
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 800 });
  page.on("pageerror", e => errors.push("pageerror: " + e.message));
  page.on("console", m => { if (m.type() === "error") errors.push("console: " + m.text()); });
  const ready = async hash => page.waitForFunction(h => document.body.dataset.ready === h, { timeout: 20000 }, hash);

  // The map: one marker per located device.
  await page.goto(input.url + "/#/", { waitUntil: "load" });
  await ready("#/");
  await page.waitForFunction(() => document.querySelectorAll("path.device-marker").length > 0, { timeout: 20000 });
  const mapStates = await page.$$eval("path.device-marker", els => els.map(e =>
    [...e.classList].find(c => c.startsWith("device-") && c !== "device-marker").slice("device-".length)));
  const countries = await page.$$eval("path.leaflet-interactive:not(.device-marker)", els => els.length);
  await page.screenshot({ path: path.join(input.screenshots, "map.png") });

  // A device page: owner and the reward record's numbers.
  await page.goto(`${input.url}/#/device/${input.device}?epoch=${input.epoch}`, { waitUntil: "load" });
  await ready(`#/device/${input.device}?epoch=${input.epoch}`);
  const owner = await page.$eval("#dev-owner", e => e.textContent);
  const location = await page.$eval("#dev-location", e => e.textContent);
  const reward = Object.fromEntries(await page.$$eval("[data-field]", els => els.map(e => [e.dataset.field, e.textContent])));
  await page.screenshot({ path: path.join(input.screenshots, "device.png"), fullPage: true });

  // The deny list with reasons.
  await page.goto(input.url + "/#/deny", { waitUntil: "load" });
  await ready("#/deny");
  const denyReasons = await page.$$eval("tr.deny-entry .deny-reason", els => els.map(e => e.textContent));
  await page.screenshot({ path: path.join(input.screenshots, "deny.png"), fullPage: true });

  // The status line, and its live update when the node's latest block moves on.
  const chainId = await page.$eval("#chain-id", e => e.textContent);
  const height = await page.$eval("#height", e => e.textContent);
  let nextHeight = null;
  if (input.nextHeight) {
    await page.waitForFunction(h => document.getElementById("height").textContent === h, { timeout: 20000 }, input.nextHeight);
    nextHeight = await page.$eval("#height", e => e.textContent);
  }
  console.log(JSON.stringify({ markers: mapStates.length, mapStates, countries, owner, location, reward, denyReasons, chainId, height, nextHeight, errors }));
} finally {
  await browser.close();
}
