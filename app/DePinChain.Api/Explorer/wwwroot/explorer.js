// The DePinChain explorer: reads only the node's public REST API (the address /config.json gives), so it works against
// a remote node too. Views: #/ (map of located devices), #/device/<key> (owner, location, reward record), #/deny.
"use strict";
(function () {
  const POLL_MS = 3000;
  const REWARD_FIELDS = ["epoch", "owner", "beacon_units", "witness_units", "density_scale", "traffic_bytes", "traffic_dc",
    "beacon_amount", "witness_amount", "data_amount", "amount"];
  let api = "", map = null, markers = null, lastHeight = null, denied = new Set(), fitted = false;

  const $ = id => document.getElementById(id);
  const esc = s => String(s).replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  // Keys travel in JSON as standard base64, in paths and our URLs as URL-safe base64.
  const urlKey = b64 => b64.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  const stdKey = key => { let s = key.replace(/-/g, "+").replace(/_/g, "/"); while (s.length % 4) s += "="; return s; };
  const hex = b64 => Array.from(atob(b64), c => c.charCodeAt(0).toString(16).padStart(2, "0")).join("");
  const degrees = micro => (Number(micro) / 1e6).toFixed(6);

  async function get(path) {
    const response = await fetch(api + path);
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(`${path}: ${response.status} ${body.message || ""}`);
    return body;
  }

  function showError(e) { $("error").hidden = false; $("error").textContent = String(e.message || e); }

  function show(view) {
    for (const v of ["map", "device", "deny"]) $("view-" + v).hidden = v !== view;
    if (view === "map" && map) map.invalidateSize();
  }

  async function refreshStatus() {
    const block = await get("/cosmos/base/tendermint/v1beta1/blocks/latest");
    const header = (block.sdk_block || block.block).header;
    $("chain-id").textContent = header.chain_id;
    $("block-time").textContent = header.time;
    if (header.height !== lastHeight) {
      lastHeight = header.height;
      $("height").textContent = header.height;
      return true;
    }
    return false;
  }

  async function loadDenyList() {
    const list = await get("/depin/coverage/v1/deny_list");
    denied = new Set(list.entries.map(e => e.device_key));
    return list.entries;
  }

  function initMap(countries) {
    map = L.map("map", { worldCopyJump: true, minZoom: 1 }).setView([20, 0], 2);
    L.geoJSON(topoToGeo(countries, "countries"), {
      style: { color: "#457b9d", weight: 0.6, fillColor: "#f1faee", fillOpacity: 1 },
    }).addTo(map);
    markers = L.layerGroup().addTo(map);
  }

  async function refreshMap() {
    // Level 0 is the whole world: every active located device (at most 1000).
    const answer = await get("/depin/devices/v1/cells/0/devices?latitude_micro=0&longitude_micro=0&limit=1000");
    markers.clearLayers();
    let count = 0;
    for (const d of answer.devices) {
      if (!d.location) continue;
      const state = denied.has(d.key) ? "denied" : d.status === "DEVICE_STATUS_ACTIVE" ? "active" : "other";
      const colour = { active: "#2a9d8f", denied: "#e63946", other: "#888" }[state];
      L.circleMarker([d.location.latitude_micro / 1e6, d.location.longitude_micro / 1e6], {
        radius: 7, color: "#1d3557", weight: 1, fillColor: colour, fillOpacity: 0.9, className: `device-marker device-${state}`,
      }).bindTooltip(`${hex(d.key).slice(0, 16)}… (${state})`)
        .on("click", () => { location.hash = "#/device/" + urlKey(d.key); })
        .addTo(markers);
      count++;
    }
    $("device-count").textContent = count;
    if (!fitted && count > 0) { map.fitBounds(L.featureGroup(markers.getLayers()).getBounds().pad(0.5), { maxZoom: 6 }); fitted = true; }
  }

  async function renderDevice(key, epochText) {
    const view = $("view-device");
    const device = (await get(`/depin/devices/v1/devices/${key}`)).device;
    let epoch = epochText;
    if (epoch === undefined) {
      const current = await get("/depin/mint/v1/current_epoch");
      epoch = Math.max(0, Number(current.epoch) - 1); // the last finished epoch
    }
    let record = null, rewardError = "";
    try { record = (await get(`/depin/rewards/v1/devices/${key}/rewards?epoch=${epoch}`)).record; }
    catch (e) { rewardError = e.message; }
    const loc = device.location;
    view.innerHTML = `
      <h2>Device <code id="dev-key">${esc(hex(device.key))}</code></h2>
      <table>
        <tr><th>Owner</th><td id="dev-owner">${esc(device.owner)}</td></tr>
        <tr><th>Status</th><td id="dev-status">${esc(device.status)}${denied.has(device.key) ? " (deny-listed)" : ""}</td></tr>
        <tr><th>Mode</th><td>${esc(device.mode)}</td></tr>
        <tr><th>Maker</th><td>${esc(device.maker)}</td></tr>
        <tr><th>Onboarded at</th><td>${esc(device.onboarded_height)}</td></tr>
        <tr><th>Location</th><td id="dev-location">${loc ? `${degrees(loc.latitude_micro)}, ${degrees(loc.longitude_micro)}` +
          ` (gain ${loc.antenna_gain_tenths_dbi / 10} dBi, elevation ${loc.elevation_metres} m, asserted at ${esc(loc.asserted_height)})` : "not asserted"}</td></tr>
      </table>
      <h3>Reward record, epoch <span id="reward-epoch">${esc(epoch)}</span></h3>
      <form id="epoch-form">Epoch <input id="epoch-input" type="number" min="0" value="${esc(epoch)}"> <button>Show</button></form>
      ${record ? `<table id="reward">${REWARD_FIELDS.map(f =>
        `<tr><th>${f.replace(/_/g, " ")}</th><td data-field="${f}">${esc(record[f])}</td></tr>`).join("")}</table>
        <p>amount = beacon amount + witness amount + data amount (udpin), 0 when it went to the treasury.</p>`
        : `<p id="no-reward">No reward record for this epoch. ${esc(rewardError)}</p>`}`;
    $("epoch-form").onsubmit = ev => { ev.preventDefault(); location.hash = `#/device/${key}?epoch=${$("epoch-input").value}`; };
  }

  async function renderDeny() {
    const entries = await loadDenyList();
    $("view-deny").innerHTML = `<h2>Deny list</h2>
      <table id="deny-table"><tr><th>Device</th><th>Paired device</th><th>Reason</th><th>Evidence hash</th><th>Height</th></tr>
      ${entries.map(e => `<tr class="deny-entry"><td><a href="#/device/${urlKey(e.device_key)}">${esc(hex(e.device_key).slice(0, 16))}…</a></td>
        <td>${e.paired_device_key ? esc(hex(e.paired_device_key).slice(0, 16)) + "…" : ""}</td>
        <td class="deny-reason">${esc(e.reason)}</td><td>${e.evidence_hash ? esc(hex(e.evidence_hash)) : ""}</td><td>${esc(e.height)}</td></tr>`).join("")}
      </table>${entries.length === 0 ? "<p>No entries.</p>" : ""}`;
  }

  async function route() {
    $("error").hidden = true;
    const hash = location.hash || "#/";
    document.body.dataset.ready = "";
    try {
      let m;
      if ((m = hash.match(/^#\/device\/([A-Za-z0-9_-]+)(?:\?epoch=(\d+))?$/))) { show("device"); await renderDevice(m[1], m[2]); }
      else if (hash === "#/deny") { show("deny"); await renderDeny(); }
      else { show("map"); await loadDenyList(); await refreshMap(); }
    } catch (e) { showError(e); }
    document.body.dataset.ready = hash; // tests wait for this
  }

  async function poll() {
    try {
      if (await refreshStatus() && !$("view-map").hidden) { await loadDenyList(); await refreshMap(); }
    } catch (e) { showError(e); }
    setTimeout(poll, POLL_MS);
  }

  async function start() {
    api = (await (await fetch("config.json")).json()).api;
    initMap(await (await fetch("vendor/world-atlas/countries-110m.json")).json());
    window.addEventListener("hashchange", route);
    await refreshStatus().catch(showError);
    await route();
    setTimeout(poll, POLL_MS);
  }
  start().catch(showError);
})();
