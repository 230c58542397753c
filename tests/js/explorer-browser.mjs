// Drives the explorer in headless Chromium (Debian's chromium, via puppeteer-core) and prints what a user sees, as JSON.
// stdin: {"url": explorer base URL, "device": URL-safe base64 key, "epoch": n, "screenshots": directory, "chromium": path?,
//         "nextHeight": a height to wait for the status line and the recent blocks to reach (the page polls the latest block)
//         after asking the recorded node, "comet", to move on (GET /advance)}
// stdout: {"markers": [{key, state}], "canvasDrawn": pixels, "basemapDrawn": pixels, "markerTooltip": text on hovering the last
//          marker, "markerClick": {key: its key, hash: the location a click on it went to}, "cells": n, "countries": n, "owner", "location", "history": [nonce...], "reward": {field: text},
//          "reports": n, "witnessVerdicts": [...], "denyReasons": [...], "denyEvidence": [...], "epoch": {...}, "chainId", "height",
//          "blocksBefore": [...], "blocksAfter": [...], "nextHeight", "errors": [...]}
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
  await page.setViewport({ width: 1280, height: 900 });
  page.on("pageerror", e => errors.push("pageerror: " + e.message));
  page.on("console", m => { if (m.type() === "error") errors.push("console: " + m.text()); });
  page.on("response", r => { if (r.status() >= 400) errors.push(`HTTP ${r.status()} ${r.url()}`); });
  const ready = async hash => page.waitForFunction(h => document.body.dataset.ready === h, { timeout: 30000 }, hash);
  // Full-page shots resize the window, which makes Leaflet clear and redraw its canvases: the map is shot as it is shown.
  const shot = (name, fullPage = true) => page.screenshot({ path: path.join(input.screenshots, name), fullPage });

  // Recent blocks, and the status line and block list following the node's latest block.
  await page.goto(input.url + "/#/chain", { waitUntil: "load" });
  await ready("#/chain");
  await page.waitForFunction(() => document.querySelectorAll("tr.block-row").length > 0, { timeout: 30000 });
  const blockHeights = () => page.$$eval("tr.block-row .block-height", els => els.map(e => e.textContent));
  const blocksBefore = await blockHeights();
  const chainId = await page.$eval("#chain-id", e => e.textContent);
  const height = await page.$eval("#height", e => e.textContent);
  let nextHeight = null, blocksAfter = [];
  if (input.nextHeight) {
    await fetch(input.comet + "/advance"); // the node's next block
    await page.waitForFunction(h => document.getElementById("height").textContent === h
      && document.querySelector("tr.block-row .block-height")?.textContent === h, { timeout: 30000 }, input.nextHeight);
    nextHeight = await page.$eval("#height", e => e.textContent);
    blocksAfter = await blockHeights();
  }
  await shot("blocks.png");

  // The map: one marker per located device, with its state; the density cells.
  await page.goto(input.url + "/#/", { waitUntil: "load" });
  await ready("#/");
  const markers = await page.evaluate(() => (window.explorerMarkers || []).map(m => ({ key: m.key, state: m.state })));
  const cells = Number(await page.evaluate(() => document.body.dataset.cells));
  // The country shapes the basemap layer drew (one canvas).
  const countries = await page.evaluate(() => window.explorerCountries || 0);
  // Pixels drawn on a pane's canvas: the devices' has markers, the basemap's has land.
  const drawnPixels = pane => page.evaluate(selector => {
    const canvas = document.querySelector(selector);
    if (!canvas) return 0;
    const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    let drawn = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) drawn++;
    return drawn;
  }, `.leaflet-${pane}-pane canvas`);
  const canvasDrawn = await drawnPixels("overlay");
  const basemapDrawn = await drawnPixels("basemap");
  // The canvases paint in the next animation frames.
  await page.evaluate(() => new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  await shot("map.png", false);

  // The pointer on the last marker (the one drawn on top): its tooltip, and a click opens its device page.
  const target = await page.evaluate(() => {
    const m = window.explorerMarkers[window.explorerMarkers.length - 1];
    const p = window.explorerMap.latLngToContainerPoint([m.lat / 1e6, m.lon / 1e6]);
    const box = document.getElementById("map").getBoundingClientRect();
    return { x: box.left + p.x, y: box.top + p.y, key: m.key };
  });
  await page.mouse.move(target.x, target.y);
  const markerTooltip = await (await page.waitForSelector(".leaflet-tooltip", { timeout: 30000 })).evaluate(e => e.textContent);
  await page.mouse.click(target.x, target.y);
  await page.waitForFunction(() => location.hash.startsWith("#/device/"), { timeout: 30000 });
  const markerClick = { key: target.key, hash: await page.evaluate(() => location.hash) };

  // A device page: owner, location history, the epoch's reports with witness verdicts, the reward record's numbers.
  await page.goto(`${input.url}/#/device/${input.device}?epoch=${input.epoch}`, { waitUntil: "load" });
  await ready(`#/device/${input.device}?epoch=${input.epoch}`);
  const owner = await page.$eval("#dev-owner", e => e.textContent);
  const location = await page.$eval("#dev-location", e => e.textContent);
  const history = await page.$$eval("tr.location-entry td:first-child", els => els.map(e => e.textContent));
  const reward = Object.fromEntries(await page.$$eval("[data-field]", els => els.map(e => [e.dataset.field, e.textContent])));
  const reports = Number(await page.$eval("#report-count", e => e.textContent));
  const witnessVerdicts = await page.$$eval("tr.witness .witness-verdict", els => els.map(e => e.textContent));
  await shot("device.png");

  // The deny list with reasons and evidence hashes.
  await page.goto(input.url + "/#/deny", { waitUntil: "load" });
  await ready("#/deny");
  const denyReasons = await page.$$eval("tr.deny-entry .deny-reason", els => els.map(e => e.textContent));
  const denyEvidence = await page.$$eval("tr.deny-entry .deny-evidence", els => els.map(e => e.textContent));
  await shot("deny.png");

  // The epoch view: the supply chart and the split.
  await page.goto(`${input.url}/#/epoch/${input.epoch}`, { waitUntil: "load" });
  await ready(`#/epoch/${input.epoch}`);
  const epoch = await page.evaluate(() => ({
    chart: !!document.getElementById("supply-chart"),
    supplyLine: document.getElementById("supply-line")?.getAttribute("d") || "",
    projectionLine: document.getElementById("projection-line")?.getAttribute("d") || "",
    capLine: !!document.getElementById("cap-line"),
    points: document.querySelectorAll("circle.supply-point").length,
    splitParts: document.querySelectorAll("rect.split-part").length,
    supply: document.getElementById("supply")?.textContent,
    maxSupply: document.getElementById("max-supply")?.textContent,
    split: Object.fromEntries([...document.querySelectorAll("[data-split]")].map(e => [e.dataset.split, e.textContent])),
  }));
  await shot("epoch.png");

  console.log(JSON.stringify({ markers, canvasDrawn, basemapDrawn, markerTooltip, markerClick, cells, countries, owner, location, history, reward, reports, witnessVerdicts,
    denyReasons, denyEvidence, epoch, chainId, height, blocksBefore, blocksAfter, nextHeight, errors }));
} finally {
  await browser.close();
}
