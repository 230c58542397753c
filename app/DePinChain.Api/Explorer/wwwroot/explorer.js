// The DePinChain explorer: reads only the node's public REST API (the address /config.json gives), so it works against
// a remote node too. Views: #/ (map of every device and the density cells), #/chain (recent blocks and txs),
// #/device/<key>[?epoch=n] (owner, location history, beacons and witnesses, reward record), #/epoch[/n] (emission, split,
// supply against the hard cap), #/deny. The header's status line and the open view follow new blocks.
"use strict";
(function () {
  const POLL_MS = 3000;
  const PAGE_LIMIT = 2000;     // devices per AllDevices page
  const RECENT_BLOCKS = 10;
  const REWARD_FIELDS = ["epoch", "owner", "beacon_units", "witness_units", "density_scale", "traffic_bytes", "traffic_dc",
    "beacon_amount", "witness_amount", "data_amount", "amount"];
  const SPLIT_FIELDS = ["minted", "beacon_pool", "witness_pool", "data_pool", "validator_pool", "treasury_pool", "data_cap",
    "data_overflow", "paid_to_devices", "paid_to_validators", "to_treasury", "devices_rewarded", "total_beacon_units",
    "total_witness_units", "total_traffic_dc", "dc_per_dpin"];
  const POOLS = [["beacon_pool", "#2a9d8f"], ["witness_pool", "#8ab17d"], ["data_pool", "#e9c46a"], ["validator_pool", "#457b9d"], ["treasury_pool", "#e76f51"]];
  const COLOURS = { active: "#2a9d8f", located: "#f4a261", denied: "#e63946", decommissioned: "#6c757d" };
  let api = "", map = null, deviceLayer = null, cellLayer = null, countries = null;
  let lastHeight = null, denied = new Map();
  let fitted = false, coverageParams = null, blocks = [], txs = [];

  const $ = id => document.getElementById(id);
  const esc = s => String(s ?? "").replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  // Keys travel in JSON as standard base64, in paths and our URLs as URL-safe base64.
  const urlKey = b64 => b64.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  const hex = b64 => Array.from(atob(b64 || ""), c => c.charCodeAt(0).toString(16).padStart(2, "0")).join("");
  const short = b64 => hex(b64).slice(0, 16) + "…";
  const degrees = micro => (Number(micro) / 1e6).toFixed(6);
  const fixed = units => (Number(BigInt(units || "0")) / 1e9).toFixed(4); // coverage units: 1.0 = 10^9
  const deviceLink = b64 => `<a href="#/device/${urlKey(b64)}">${esc(short(b64))}</a>`;

  async function get(path, height) {
    const response = await fetch(api + path, height ? { headers: { "x-cosmos-block-height": String(height) } } : undefined);
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(`${path}: ${response.status} ${body.message || ""}`);
    return body;
  }

  function showError(e) { $("error").hidden = false; $("error").textContent = String(e.message || e); }

  function show(view) {
    for (const v of ["map", "chain", "device", "epoch", "deny"]) $("view-" + v).hidden = v !== view;
    if (view === "map" && map) map.invalidateSize();
  }

  // ---- status line and recent blocks ----

  async function latestBlock() {
    const block = await get("/cosmos/base/tendermint/v1beta1/blocks/latest");
    return block.sdk_block || block.block;
  }

  async function refreshStatus() {
    const block = await latestBlock();
    const header = block.header;
    $("chain-id").textContent = header.chain_id;
    $("block-time").textContent = header.time;
    if (header.height === lastHeight) return false;
    const previous = lastHeight;
    lastHeight = header.height;
    $("height").textContent = header.height;
    await loadBlocks(Number(header.height), previous === null ? null : Number(previous));
    return true;
  }

  async function sha256Hex(b64) {
    if (!window.crypto || !crypto.subtle) return "";
    const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
    const digest = await crypto.subtle.digest("SHA-256", bytes);
    return Array.from(new Uint8Array(digest), b => b.toString(16).padStart(2, "0")).join("").toUpperCase();
  }

  // The blocks after `previous` up to `latest` (at most RECENT_BLOCKS), newest first, with their decoded txs.
  async function loadBlocks(latest, previous) {
    const from = Math.max(1, latest - RECENT_BLOCKS + 1, previous === null ? 1 : previous + 1);
    for (let h = latest; h >= from; h--) {
      let block;
      // A block the node no longer keeps: the ones below it are gone too.
      try { block = (await get(`/cosmos/base/tendermint/v1beta1/blocks/${h}`)); } catch { break; }
      const b = block.sdk_block || block.block;
      if (blocks.some(x => x.height === b.header.height)) continue;
      const rawTxs = (b.data && b.data.txs) || [];
      blocks.push({ height: b.header.height, time: b.header.time, txs: rawTxs.length, proposer: b.header.proposer_address, hash: block.block_id ? hex(block.block_id.hash) : "" });
      if (rawTxs.length > 0) {
        let decoded = [];
        try { decoded = (await get(`/cosmos/tx/v1beta1/txs/block/${h}?pagination.limit=${rawTxs.length}`)).txs || []; } catch { decoded = []; }
        for (let i = rawTxs.length - 1; i >= 0; i--) {
          const tx = decoded[i];
          txs.push({ height: b.header.height, hash: await sha256Hex(rawTxs[i]),
            msgs: tx ? tx.body.messages.map(m => m["@type"]).join(", ") : "(not decoded)", memo: tx ? tx.body.memo : "" });
        }
      }
    }
    blocks.sort((x, y) => Number(y.height) - Number(x.height));
    blocks = blocks.slice(0, RECENT_BLOCKS);
    txs.sort((x, y) => Number(y.height) - Number(x.height));
    txs = txs.slice(0, 25);
    renderBlocks();
  }

  function renderBlocks() {
    $("blocks").tBodies[0].innerHTML = blocks.map(b => `<tr class="block-row"><td class="block-height">${esc(b.height)}</td><td>${esc(b.time)}</td>
      <td>${b.txs}</td><td>${esc(b.proposer)}</td><td>${esc(b.hash.slice(0, 16))}…</td></tr>`).join("");
    $("txs").tBodies[0].innerHTML = txs.map(t => `<tr class="tx-row"><td>${esc(t.height)}</td><td>${esc(t.hash)}</td><td>${esc(t.msgs)}</td>
      <td>${esc(t.memo)}</td></tr>`).join("") || `<tr><td colspan="4">No transactions in the recent blocks.</td></tr>`;
  }

  // ---- the map ----

  async function loadDenyList() {
    const list = await get("/depin/coverage/v1/deny_list");
    denied = new Map(list.entries.filter(e => !e.paired_device_key).map(e => [e.device_key, e]));
    return list.entries;
  }

  // Every device: the count (one device and the total) beside the first page, then every other page side by side (by
  // offset). onRequested runs once every page is asked for.
  async function allDevices(onRequested) {
    const path = "/depin/devices/v1/devices?pagination.limit=";
    const page = offset => get(`${path}${PAGE_LIMIT}&pagination.offset=${offset}`);
    const first = page(0);
    const total = Number((await get(path + "1&pagination.count_total=true")).pagination.total);
    const pages = [first];
    for (let offset = PAGE_LIMIT; offset < total; offset += PAGE_LIMIT) pages.push(page(offset));
    performance.mark("device-pages-requested");
    onRequested();
    return [].concat(...(await Promise.all(pages)).map(p => p.devices));
  }

  // Devices that took part in proof of coverage in the current or the last epoch.
  async function activeKeys() {
    const epoch = Number((await get("/depin/mint/v1/current_epoch")).epoch);
    const keys = new Set();
    for (const e of [epoch, epoch - 1].filter(e => e >= 0))
      for (const u of (await get(`/depin/coverage/v1/units/${e}`)).units) keys.add(u.device_key);
    return keys;
  }

  function stateOf(device, active) {
    if (device.status === "DEVICE_STATUS_DECOMMISSIONED") return "decommissioned";
    if (denied.has(device.key)) return "denied";
    return active.has(device.key) ? "active" : "located";
  }

  // Made the first time the map view is shown: Leaflet measures its container, which a hidden view does not have. The
  // basemap is drawn once the device pages are asked for (drawing it takes the page's thread ~100 ms; the server needs
  // longer for the pages).
  function initMap(devicePagesRequested) {
    map = L.map("map", { worldCopyJump: true, minZoom: 1 }).setView([20, 0], 2);
    window.explorerMap = map; // for tests and the console
    // The basemap in a pane of its own, under the cells and the devices (where tiles would be).
    map.createPane("basemap").style.zIndex = 200;
    Promise.all([countries, devicePagesRequested]).then(([topology]) => {
      const basemap = new PolygonLayer(topoToGeo(topology, "countries").features, { pane: "basemap" }).addTo(map);
      window.explorerCountries = basemap.shapes; // for tests and the console
      performance.mark("basemap-drawn");
    }).catch(showError);
    // Cells and devices on canvases of their own (canvas-layers.js), cells below devices; the devices' canvas is on top,
    // so it shows the tooltip of the cell under the pointer too.
    map.createPane("cells").style.zIndex = 350;
    cellLayer = new CellLayer({ pane: "cells" }).addTo(map);
    deviceLayer = new DeviceLayer(COLOURS, {
      click: device => { location.hash = "#/device/" + urlKey(device.key); },
      tooltip: device => `${esc(short(device.key))} (${device.state})`,
      beneath: latlng => cellLayer.tooltipAt(latlng),
    }).addTo(map);
    $("cell-level").onchange = () => refreshCells().catch(showError);
  }

  // The devices with their states, asked for side by side; requested resolves once every device page is asked for.
  function fetchMapData() {
    let onRequested;
    const requested = new Promise(resolve => { onRequested = resolve; });
    return { devices: Promise.all([allDevices(onRequested), activeKeys(), loadDenyList()]), requested };
  }

  async function refreshMap(prefetched) {
    const data = prefetched || fetchMapData();
    const [devices, active] = await data.devices;
    performance.mark("devices-fetched");
    // Asked for after the device pages, so that it does not take the server from them; drawn after the devices.
    const cells = cellData();
    const shown = [];
    let south = 90e6, north = -90e6, west = 180e6, east = -180e6;
    for (const d of devices) {
      if (!d.location) continue;
      const lat = d.location.latitude_micro, lon = d.location.longitude_micro;
      shown.push({ key: d.key, state: stateOf(d, active), lat, lon });
      south = Math.min(south, lat); north = Math.max(north, lat); west = Math.min(west, lon); east = Math.max(east, lon);
    }
    // The view is set before the devices are drawn (no zoom animation, each device projected once).
    if (!fitted && shown.length > 0) {
      map.fitBounds(L.latLngBounds([south / 1e6, west / 1e6], [north / 1e6, east / 1e6]).pad(0.5), { maxZoom: 9, animate: false });
      fitted = true;
    }
    performance.mark("view-fitted");
    deviceLayer.setDevices(shown);
    window.explorerMarkers = shown; // what the map shows, for tests and the console
    $("device-count").textContent = shown.length;
    $("device-total").textContent = devices.length;
    performance.mark("markers-added");
    // Let the markers paint before the cells are drawn.
    await new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve)));
    drawCells(await cells);
    performance.mark("cells-drawn");
  }

  async function loadCoverageParams() {
    if (coverageParams) return coverageParams;
    coverageParams = (await get("/depin/coverage/v1/params")).params;
    const levels = (coverageParams.density_levels || []).map(l => Number(l.level));
    const select = $("cell-level");
    const options = levels.length ? levels.sort((a, b) => a - b) : [8];
    select.innerHTML = options.map(l => `<option value="${l}">${l}</option>`).join("");
    select.value = String(options[0]); // the coarsest: few cells, readable from afar
    return coverageParams;
  }

  // The grid cells of the chosen level that hold active located devices, coloured by their count against the coverage
  // density table's target and max for the level (HIP-17 scaling reduces rewards past the target).
  async function cellData() {
    const params = await loadCoverageParams();
    const level = Number($("cell-level").value);
    return { params, level, cells: (await get(`/depin/devices/v1/cells/${level}`)).cells };
  }

  async function refreshCells() { drawCells(await cellData()); }

  function drawCells({ params, level, cells }) {
    const row = (params.density_levels || []).find(l => Number(l.level) === level);
    const target = row ? Number(row.target) : null, max = row ? Number(row.max) : null;
    cellLayer.setCells(cells.map(c => {
      const n = Number(c.devices);
      return {
        south: c.south_micro / 1e6, west: c.west_micro / 1e6, north: c.north_micro / 1e6, east: c.east_micro / 1e6,
        colour: target === null || n <= target ? "#2a9d8f" : n <= max ? "#f4a261" : "#e63946",
        tip: `level ${level} cell ${c.index}: ${n} device${n === 1 ? "" : "s"}` + (row ? ` (target ${target}, max ${max})` : ""),
      };
    }));
    $("cell-note").textContent = `${cells.length} cells` + (row ? `, target ${target} / max ${max} devices per cell` : "");
    document.body.dataset.cells = String(cells.length);
  }

  // ---- a device ----

  async function renderDevice(key, epochText) {
    const view = $("view-device");
    const device = (await get(`/depin/devices/v1/devices/${key}`)).device;
    let epoch = epochText;
    if (epoch === undefined) epoch = Math.max(0, Number((await get("/depin/mint/v1/current_epoch")).epoch) - 1); // the last finished epoch
    await loadDenyList();
    const [history, reports] = await Promise.all([
      get(`/depin/devices/v1/devices/${key}/locations`).then(r => r.locations),
      get(`/depin/coverage/v1/reports/${key}?epoch=${epoch}`).then(r => r.reports).catch(() => []),
    ]);
    let record = null, rewardError = "";
    try { record = (await get(`/depin/rewards/v1/devices/${key}/rewards?epoch=${epoch}`)).record; }
    catch (e) { rewardError = e.message; }
    const loc = device.location;
    const deny = denied.get(device.key);
    const where = l => `${degrees(l.latitude_micro)}, ${degrees(l.longitude_micro)}`;
    view.innerHTML = `
      <h2>Device <code id="dev-key">${esc(hex(device.key))}</code></h2>
      <table>
        <tr><th>Owner</th><td id="dev-owner">${esc(device.owner)}</td></tr>
        <tr><th>Status</th><td id="dev-status">${esc(device.status)}${deny ? ` (deny-listed: ${esc(deny.reason)})` : ""}</td></tr>
        <tr><th>Mode</th><td>${esc(device.mode)}</td></tr>
        <tr><th>Maker</th><td>${esc(device.maker)}</td></tr>
        <tr><th>Onboarded at</th><td>${esc(device.onboarded_height)}</td></tr>
        <tr><th>Location</th><td id="dev-location">${loc ? where(loc) +
          ` (gain ${loc.antenna_gain_tenths_dbi / 10} dBi, elevation ${loc.elevation_metres} m, asserted at ${esc(loc.asserted_height)})` : "not asserted"}</td></tr>
      </table>
      <h3>Location history</h3>
      <table id="location-history"><tr><th>Nonce</th><th>Location</th><th>Region</th><th>Gain (dBi)</th><th>Elevation (m)</th><th>Asserted at</th></tr>
        ${history.map(l => `<tr class="location-entry"><td>${esc(l.nonce)}</td><td>${where(l)}</td><td>${esc(l.region)}</td>
          <td>${l.antenna_gain_tenths_dbi / 10}</td><td>${esc(l.elevation_metres)}</td><td>${esc(l.asserted_height)}</td></tr>`).join("")}
      </table>
      <form id="epoch-form">Epoch <input id="epoch-input" type="number" min="0" value="${esc(epoch)}"> <button>Show</button></form>
      <h3>Reward record, epoch <span id="reward-epoch">${esc(epoch)}</span></h3>
      ${record ? `<table id="reward">${REWARD_FIELDS.map(f =>
        `<tr><th>${f.replace(/_/g, " ")}</th><td data-field="${f}">${esc(record[f])}</td></tr>`).join("")}</table>
        <p>amount = beacon amount + witness amount + data amount (udpin), 0 when it went to the treasury. Units are fixed point
        (beacon ${fixed(record.beacon_units)}, witness ${fixed(record.witness_units)}, density scale ${fixed(record.density_scale)}).</p>`
        : `<p id="no-reward">No reward record for this epoch. ${esc(rewardError)}</p>`}
      <h3>Proof of coverage, epoch ${esc(epoch)}: <span id="report-count">${reports.length}</span> reports</h3>
      ${reports.map(r => `<div class="report">
        <p>Beacon by ${deviceLink(r.beaconer_key)} at height ${esc(r.height)}: <b class="beacon-verdict">${esc(r.beacon_verdict_name)}</b>
          ${r.beacon_reason ? `(${esc(r.beacon_reason)})` : ""} · beacon units ${fixed(r.beacon_units)} · density scale ${fixed(r.density_scale)}
          · witness units ${fixed(r.witness_units)}</p>
        <table class="witnesses"><tr><th>Witness</th><th>Verdict</th><th>Reason</th><th>Distance (m)</th><th>RSSI (dBm)</th><th>SNR (dB)</th><th>Units</th></tr>
        ${r.witnesses.map(w => `<tr class="witness"><td>${deviceLink(w.witness_key)}</td><td class="witness-verdict">${esc(w.verdict_name)}</td>
          <td class="witness-reason">${esc(w.reason)}</td><td>${esc(w.distance_metres)}</td><td>${w.rssi_tenths_dbm / 10}</td><td>${w.snr_tenths_db / 10}</td>
          <td>${fixed(w.units)}</td></tr>`).join("")}</table></div>`).join("")}`;
    $("epoch-form").onsubmit = ev => { ev.preventDefault(); location.hash = `#/device/${key}?epoch=${$("epoch-input").value}`; };
  }

  // ---- an epoch: emission, split, supply against the cap ----

  async function renderEpoch(epochText) {
    const view = $("view-epoch");
    const current = Number((await get("/depin/mint/v1/current_epoch")).epoch);
    const epoch = epochText === undefined ? Math.max(0, current - 1) : Number(epochText);
    const [minted, emission, schedule] = await Promise.all([
      get("/depin/mint/v1/minted"), get("/depin/mint/v1/epoch_emission"), get(`/depin/mint/v1/schedule?from_epoch=${current}&count=24`)]);
    let summary = null, summaryError = "";
    try { summary = (await get(`/depin/rewards/v1/epochs/${epoch}`)).summary; } catch (e) { summaryError = e.message; }
    // Supply after each of the last finished epochs: the minted query at the height the epoch ended (skipped where pruned).
    const past = [];
    for (let e = Math.max(0, current - 12); e < current; e++) {
      try {
        const s = (await get(`/depin/rewards/v1/epochs/${e}`)).summary;
        const m = await get("/depin/mint/v1/minted", s.height);
        past.push({ epoch: e, supply: Number(m.supply) });
      } catch { /* not kept */ }
    }
    past.push({ epoch: current, supply: Number(minted.supply) });
    const projected = schedule.epochs.map(s => ({ epoch: Number(s.epoch) + 1, supply: Number(s.supply_after) }));
    view.innerHTML = `
      <h2>Epoch <span id="epoch-number">${epoch}</span> <small>(current: ${current})</small></h2>
      <form id="epoch-pick">Epoch <input id="epoch-pick-input" type="number" min="0" value="${epoch}"> <button>Show</button></form>
      <h3>Emission</h3>
      <table id="emission">
        <tr><th>Supply</th><td id="supply">${esc(minted.supply)}</td></tr>
        <tr><th>Hard cap</th><td id="max-supply">${esc(minted.max_supply)}</td></tr>
        <tr><th>Remaining to cap</th><td>${esc(minted.remaining_to_cap)}</td></tr>
        <tr><th>Current epoch's scheduled emission</th><td>${esc(emission.scheduled)} (after cap ${esc(emission.scheduled_after_cap)})</td></tr>
        ${emission.last_emission ? `<tr><th>Last emission (epoch ${esc(emission.last_emission.epoch)})</th><td>${esc(emission.last_emission.total)}
          (scheduled ${esc(emission.last_emission.scheduled_minted)}, re-emitted ${esc(emission.last_emission.reemitted)})</td></tr>` : ""}
      </table>
      <h3>Supply against the hard cap</h3>
      ${supplyChart(past, projected, Number(minted.max_supply))}
      <h3>Split of epoch ${epoch}</h3>
      ${summary ? splitBar(summary) + `<table id="split">${SPLIT_FIELDS.map(f =>
        `<tr><th>${f.replace(/_/g, " ")}</th><td data-split="${f}">${esc(summary[f])}</td></tr>`).join("")}</table>`
        : `<p id="no-summary">No summary for this epoch. ${esc(summaryError)}</p>`}`;
    $("epoch-pick").onsubmit = ev => { ev.preventDefault(); location.hash = `#/epoch/${$("epoch-pick-input").value}`; };
  }

  // A plain SVG line chart: supply so far (solid), the schedule's projection (dashed), the hard cap (red).
  function supplyChart(past, projected, cap) {
    const W = 760, H = 280, left = 90, right = 20, top = 20, bottom = 40;
    const all = past.concat(projected);
    const minEpoch = Math.min(...all.map(p => p.epoch)), maxEpoch = Math.max(minEpoch + 1, ...all.map(p => p.epoch));
    const yMax = Math.max(cap, ...all.map(p => p.supply)) * 1.05 || 1;
    const x = e => left + (e - minEpoch) / (maxEpoch - minEpoch) * (W - left - right);
    const y = v => top + (1 - v / yMax) * (H - top - bottom);
    const line = points => points.map((p, i) => `${i ? "L" : "M"}${x(p.epoch).toFixed(1)},${y(p.supply).toFixed(1)}`).join(" ");
    const ticks = [0, 0.25, 0.5, 0.75, 1].map(f => yMax * f);
    const label = v => v >= 1e12 ? (v / 1e12).toFixed(2) + "M DPIN" : (v / 1e6).toFixed(2) + " DPIN";
    return `<svg id="supply-chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="supply against the hard cap">
      <rect x="${left}" y="${top}" width="${W - left - right}" height="${H - top - bottom}" fill="#fff" stroke="#ccc"/>
      ${ticks.map(t => `<g><line x1="${left}" x2="${W - right}" y1="${y(t)}" y2="${y(t)}" stroke="#eee"/>
        <text x="${left - 6}" y="${y(t) + 4}" text-anchor="end" font-size="11">${label(t)}</text></g>`).join("")}
      <text x="${left}" y="${H - 12}" font-size="11">epoch ${minEpoch}</text>
      <text x="${W - right}" y="${H - 12}" font-size="11" text-anchor="end">epoch ${maxEpoch}</text>
      <line id="cap-line" x1="${left}" x2="${W - right}" y1="${y(cap)}" y2="${y(cap)}" stroke="#e63946" stroke-width="2"/>
      <text x="${W - right - 4}" y="${y(cap) - 5}" font-size="11" text-anchor="end" fill="#e63946">hard cap ${label(cap)}</text>
      <path id="supply-line" d="${line(past)}" fill="none" stroke="#1d3557" stroke-width="2.5"/>
      ${past.map(p => `<circle class="supply-point" cx="${x(p.epoch)}" cy="${y(p.supply)}" r="3.5" fill="#1d3557"><title>epoch ${p.epoch}: ${p.supply} udpin</title></circle>`).join("")}
      <path id="projection-line" d="${line(past.slice(-1).concat(projected))}" fill="none" stroke="#457b9d" stroke-width="2" stroke-dasharray="6 4"/>
    </svg><p class="legend">solid: supply at each epoch end; dashed: the schedule's projection with no further burns; red: the hard cap.</p>`;
  }

  // The epoch's pools as one stacked bar (plain SVG).
  function splitBar(summary) {
    const W = 760, H = 36;
    const values = POOLS.map(([f, c]) => [f, c, Number(summary[f] || 0)]);
    const total = values.reduce((s, v) => s + v[2], 0) || 1;
    let at = 0;
    const parts = values.map(([f, c, v]) => {
      const w = v / total * W;
      const part = `<rect class="split-part" data-pool="${f}" x="${at}" y="0" width="${w}" height="${H}" fill="${c}"><title>${f.replace(/_/g, " ")}: ${v}</title></rect>`;
      at += w;
      return part;
    });
    return `<svg id="split-chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}">${parts.join("")}</svg>
      <p class="legend">${values.map(([f, c, v]) => `<span class="dot" style="background:${c}"></span> ${f.replace(/_/g, " ")} ${v}`).join(" ")}</p>`;
  }

  // ---- the deny list ----

  async function renderDeny() {
    const entries = await loadDenyList();
    $("view-deny").innerHTML = `<h2>Deny list</h2>
      <table id="deny-table"><tr><th>Device</th><th>Paired device</th><th>Reason</th><th>Evidence hash</th><th>Height</th></tr>
      ${entries.map(e => `<tr class="deny-entry"><td>${deviceLink(e.device_key)}</td>
        <td>${e.paired_device_key ? deviceLink(e.paired_device_key) : ""}</td>
        <td class="deny-reason">${esc(e.reason)}</td><td class="deny-evidence">${e.evidence_hash ? esc(hex(e.evidence_hash)) : ""}</td><td>${esc(e.height)}</td></tr>`).join("")}
      </table>${entries.length === 0 ? "<p>No entries.</p>" : ""}`;
  }

  async function route(prefetched) {
    $("error").hidden = true;
    const hash = location.hash || "#/";
    document.body.dataset.ready = "";
    try {
      let m;
      if ((m = hash.match(/^#\/device\/([A-Za-z0-9_-]+)(?:\?epoch=(\d+))?$/))) { show("device"); await renderDevice(m[1], m[2]); }
      else if ((m = hash.match(/^#\/epoch(?:\/(\d+))?$/))) { show("epoch"); await renderEpoch(m[1]); }
      else if (hash === "#/deny") { show("deny"); await renderDeny(); }
      else if (hash === "#/chain") { show("chain"); renderBlocks(); }
      else {
        show("map");
        const data = prefetched || fetchMapData();
        if (!map) initMap(data.requested);
        await refreshMap(data);
      }
    } catch (e) { showError(e); }
    document.body.dataset.ready = hash; // tests wait for this
  }

  async function poll() {
    try {
      if (await refreshStatus()) {
        if (!$("view-map").hidden) await refreshMap();
        else if (!$("view-epoch").hidden && !/^#\/epoch\/\d+$/.test(location.hash)) await renderEpoch();
      }
    } catch (e) { showError(e); }
    setTimeout(poll, POLL_MS);
  }

  async function start() {
    countries = fetch("vendor/world-atlas/countries-110m.json").then(r => r.json());
    api = (await (await fetch("config.json")).json()).api;
    performance.mark("config-fetched");
    const hash = location.hash || "#/";
    const prefetched = hash === "#/" ? fetchMapData() : undefined;
    window.addEventListener("hashchange", () => route());
    // The map does not wait for CometBFT: the status line fills in when it answers.
    const status = refreshStatus().catch(showError);
    await route(prefetched);
    await status;
    setTimeout(poll, POLL_MS);
  }
  start().catch(showError);
})();
