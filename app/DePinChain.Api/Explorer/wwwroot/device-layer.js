// Every device as a dot on one canvas, drawn in a few batched paths (one per colour) instead of one Leaflet path object per
// device: 10,000 L.circleMarkers cost ~150 ms to create and ~50 ms per redraw on a 2-core machine, and a zoom re-projects
// each of them. The canvas follows the map as Leaflet's own renderers do (padding around the view, scaled during zoom
// animations, redrawn after a move or zoom); the pointer finds the topmost dot under it for the tooltip and the click.
"use strict";
window.DeviceLayer = L.Layer.extend({
  options: { pane: "overlayPane", padding: 0.2, radius: 6, weight: 1, stroke: "#1d3557", fillOpacity: 0.9 },

  // colours: state → fill colour, in drawing order (later states are drawn over earlier ones).
  initialize(colours, handlers, options) {
    L.setOptions(this, options);
    this._colours = colours;
    this._handlers = handlers; // { click(device), tooltip(device) → text }
    this._devices = [];        // { key, state, lat, lon } (micro-degrees)
    this._x = new Float64Array(0);
    this._y = new Float64Array(0);
  },

  // Replaces the devices shown and draws them at once.
  setDevices(devices) {
    this._devices = devices;
    this._x = new Float64Array(devices.length);
    this._y = new Float64Array(devices.length);
    if (this._map) { this._project(); this._draw(); }
    return this;
  },

  onAdd(map) {
    const canvas = this._canvas = L.DomUtil.create("canvas", "leaflet-zoom-animated");
    this._ctx = canvas.getContext("2d");
    this.getPane().appendChild(canvas);
    L.DomEvent.on(canvas, "mousemove", this._onMouseMove, this);
    L.DomEvent.on(canvas, "mouseout", this._hideTooltip, this);
    L.DomEvent.on(canvas, "click", this._onClick, this);
    this._tooltip = L.tooltip();
    this._update();
  },

  onRemove() {
    this._hideTooltip();
    L.DomEvent.off(this._canvas);
    L.DomUtil.remove(this._canvas);
    this._canvas = this._ctx = null;
  },

  getEvents() {
    // A zoom ends with a moveend too: one redraw.
    const events = { viewreset: this._reset, zoom: this._onZoom, moveend: this._update };
    if (this._zoomAnimated) events.zoomanim = this._onAnimZoom;
    return events;
  },

  _onAnimZoom(e) { this._updateTransform(e.center, e.zoom); },

  _onZoom() { this._updateTransform(this._map.getCenter(), this._map.getZoom()); },

  _reset() {
    this._update();
    this._updateTransform(this._center, this._zoom);
  },

  // Leaflet's Renderer._updateTransform: the canvas scaled and moved while the map animates a zoom.
  _updateTransform(center, zoom) {
    const map = this._map;
    const scale = map.getZoomScale(zoom, this._zoom);
    const viewHalf = map.getSize().multiplyBy(0.5 + this.options.padding);
    const offset = viewHalf.multiplyBy(-scale).add(map.project(this._center, zoom)).subtract(map._getNewPixelOrigin(center, zoom));
    L.DomUtil.setTransform(this._canvas, offset, scale);
  },

  // The canvas over the view and its padding, at the map's current zoom: re-projected and redrawn.
  _update() {
    const map = this._map;
    if (map._animatingZoom && this._bounds) return;
    const p = this.options.padding, size = map.getSize();
    const min = map.containerPointToLayerPoint(size.multiplyBy(-p)).round();
    this._bounds = L.bounds(min, min.add(size.multiplyBy(1 + p * 2)).round());
    this._center = map.getCenter();
    this._zoom = map.getZoom();
    const extent = this._bounds.getSize(), ratio = window.devicePixelRatio || 1;
    // viewreset follows the moveend of the same change: draw each view once.
    const origin = map.getPixelOrigin();
    const view = `${min.x},${min.y},${extent.x},${extent.y},${this._zoom},${origin.x},${origin.y},${ratio}`;
    if (view === this._view) return;
    this._view = view;
    L.DomUtil.setPosition(this._canvas, min);
    this._canvas.width = Math.round(ratio * extent.x);
    this._canvas.height = Math.round(ratio * extent.y);
    this._canvas.style.width = extent.x + "px";
    this._canvas.style.height = extent.y + "px";
    this._project();
    this._draw();
  },

  // Layer points (pixels from the map's pixel origin) of every device at the current zoom.
  _project() {
    const map = this._map, zoom = this._zoom, origin = map.getPixelOrigin();
    for (let i = 0; i < this._devices.length; i++) {
      const d = this._devices[i];
      const point = map.project([d.lat / 1e6, d.lon / 1e6], zoom);
      this._x[i] = point.x - origin.x;
      this._y[i] = point.y - origin.y;
    }
  },

  _draw() {
    const ctx = this._ctx, b = this._bounds, ratio = window.devicePixelRatio || 1, o = this.options;
    const r = o.radius, margin = r + o.weight;
    ctx.setTransform(ratio, 0, 0, ratio, -b.min.x * ratio, -b.min.y * ratio);
    ctx.clearRect(b.min.x, b.min.y, b.max.x - b.min.x, b.max.y - b.min.y);
    ctx.lineWidth = o.weight;
    ctx.strokeStyle = o.stroke;
    for (const [state, colour] of Object.entries(this._colours)) {
      ctx.beginPath();
      let any = false;
      for (let i = 0; i < this._devices.length; i++) {
        if (this._devices[i].state !== state) continue;
        const x = this._x[i], y = this._y[i];
        if (x < b.min.x - margin || x > b.max.x + margin || y < b.min.y - margin || y > b.max.y + margin) continue;
        ctx.moveTo(x + r, y);
        ctx.arc(x, y, r, 0, Math.PI * 2);
        any = true;
      }
      if (!any) continue;
      ctx.globalAlpha = o.fillOpacity;
      ctx.fillStyle = colour;
      ctx.fill();
      ctx.globalAlpha = 1;
      ctx.stroke();
    }
  },

  // The topmost device whose dot (with its outline) holds the pointer, or null.
  _deviceAt(e) {
    const point = this._map.mouseEventToLayerPoint(e);
    const reach = (this.options.radius + this.options.weight / 2) ** 2;
    let found = -1, foundOrder = -1;
    const order = Object.keys(this._colours);
    for (let i = 0; i < this._devices.length; i++) {
      const dx = this._x[i] - point.x, dy = this._y[i] - point.y;
      if (dx * dx + dy * dy > reach) continue;
      const o = order.indexOf(this._devices[i].state);
      if (o >= foundOrder) { found = i; foundOrder = o; }
    }
    return found < 0 ? null : this._devices[found];
  },

  _onMouseMove(e) {
    if (!this._map || this._map.dragging.moving() || this._map._animatingZoom) return;
    const device = this._deviceAt(e);
    this._canvas.classList.toggle("leaflet-interactive", device !== null);
    if (!device) { this._hideTooltip(); return; }
    if (this._hovered === device) return;
    this._hovered = device;
    this._tooltip.setLatLng([device.lat / 1e6, device.lon / 1e6]).setContent(this._handlers.tooltip(device)).addTo(this._map);
  },

  _hideTooltip() {
    this._hovered = null;
    if (this._tooltip && this._map) this._map.removeLayer(this._tooltip);
  },

  _onClick(e) {
    if (this._map.dragging && this._map.dragging.moved()) return; // the end of a drag, not a click
    const device = this._deviceAt(e);
    if (device) { L.DomEvent.stop(e); this._handlers.click(device); }
  },
});
