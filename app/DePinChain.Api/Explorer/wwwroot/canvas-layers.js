// The map's layers as single canvases drawn in a few batched paths, instead of one Leaflet path object per shape: with
// 10,000 devices, ~10,000 density cells and the 177 countries, Leaflet's per-object layers took ~150 ms to create the
// device markers, ~250 ms the cells and ~100 ms the basemap on a 2-core machine, and re-projected each object on every
// zoom. Each canvas follows the map as Leaflet's own renderers do (padding around the view, scaled during a zoom
// animation, re-projected and redrawn once the view settles).
"use strict";
(function () {
  const MAX_LATITUDE = 85.0511287798; // Leaflet's spherical Mercator
  const RADIANS = Math.PI / 180;

  // Leaflet's EPSG:3857 projection to pixels at a zoom (map.project), without an object per point.
  function projectInto(lats, lons, zoom, origin, xs, ys) {
    const scale = 256 * Math.pow(2, zoom);
    for (let i = 0; i < lats.length; i++) {
      const sin = Math.sin(Math.max(-MAX_LATITUDE, Math.min(MAX_LATITUDE, lats[i])) * RADIANS);
      xs[i] = scale * (0.5 + lons[i] / 360) - origin.x;
      ys[i] = scale * (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) - origin.y;
    }
  }

  const CanvasLayer = L.Layer.extend({
    options: { pane: "overlayPane", padding: 0.2 },

    onAdd() {
      if (this._map.options.crs !== L.CRS.EPSG3857) throw new Error("the map's canvas layers draw in EPSG:3857 only");
      this._canvas = L.DomUtil.create("canvas", "leaflet-zoom-animated");
      this._ctx = this._canvas.getContext("2d");
      this.getPane().appendChild(this._canvas);
      this._view = null;
      this._update();
    },

    onRemove() {
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

    // The canvas over the view and its padding at the map's zoom; re-projected and redrawn when the view changed.
    _update() {
      const map = this._map;
      if (map._animatingZoom && this._bounds) return;
      const p = this.options.padding, size = map.getSize();
      const min = map.containerPointToLayerPoint(size.multiplyBy(-p)).round();
      const bounds = L.bounds(min, min.add(size.multiplyBy(1 + p * 2)).round());
      const extent = bounds.getSize(), ratio = window.devicePixelRatio || 1, origin = map.getPixelOrigin(), zoom = map.getZoom();
      // viewreset follows the moveend of the same change: draw each view once.
      const view = `${min.x},${min.y},${extent.x},${extent.y},${zoom},${origin.x},${origin.y},${ratio}`;
      if (view === this._view) return;
      this._view = view;
      this._bounds = bounds;
      this._center = map.getCenter();
      this._zoom = zoom;
      L.DomUtil.setPosition(this._canvas, min);
      this._canvas.width = Math.round(ratio * extent.x);
      this._canvas.height = Math.round(ratio * extent.y);
      this._canvas.style.width = extent.x + "px";
      this._canvas.style.height = extent.y + "px";
      this._project(zoom, origin);
      this.redraw();
    },

    // Draws again (after the data changed); the subclasses' _project and _draw do the work.
    redraw() {
      if (!this._map || !this._bounds) return this;
      const ctx = this._ctx, b = this._bounds, ratio = window.devicePixelRatio || 1;
      ctx.setTransform(ratio, 0, 0, ratio, -b.min.x * ratio, -b.min.y * ratio);
      ctx.clearRect(b.min.x, b.min.y, b.max.x - b.min.x, b.max.y - b.min.y);
      this._draw(ctx, b);
      return this;
    },

    _reproject() {
      if (this._map && this._bounds) this._project(this._zoom, this._map.getPixelOrigin());
    },
  });

  // Every device as a dot (colours: state → fill), stamped from one small pre-drawn image per state in the devices' order,
  // so that each dot covers the ones before it as separate circles would. The pointer finds the topmost dot under it for
  // the tooltip and the click; elsewhere it asks `beneath` (the layer under this one).
  window.DeviceLayer = CanvasLayer.extend({
    options: { radius: 6, weight: 1, stroke: "#1d3557", fillOpacity: 0.9 },

    // handlers: { click(device), tooltip(device) → HTML, beneath(latlng) → HTML or null }
    initialize(colours, handlers, options) {
      L.setOptions(this, options);
      this._colours = colours;
      this._handlers = handlers;
      this._sprites = {};
      this.setDevices([]);
    },

    // devices: { key, state, lat, lon } (micro-degrees); drawn at once.
    setDevices(devices) {
      this._devices = devices;
      this._lats = Float64Array.from(devices, d => d.lat / 1e6);
      this._lons = Float64Array.from(devices, d => d.lon / 1e6);
      this._xs = new Float64Array(devices.length);
      this._ys = new Float64Array(devices.length);
      this._reproject();
      return this.redraw();
    },

    onAdd() {
      CanvasLayer.prototype.onAdd.call(this);
      L.DomEvent.on(this._canvas, "mousemove", this._onMouseMove, this);
      L.DomEvent.on(this._canvas, "mouseout", this._hideTooltip, this);
      L.DomEvent.on(this._canvas, "click", this._onClick, this);
      this._tooltip = L.tooltip();
    },

    onRemove() {
      this._hideTooltip();
      CanvasLayer.prototype.onRemove.call(this);
    },

    _project(zoom, origin) { projectInto(this._lats, this._lons, zoom, origin, this._xs, this._ys); },

    // A filled and outlined circle for a state, at the screen's pixel ratio.
    _sprite(state) {
      const o = this.options, ratio = window.devicePixelRatio || 1, half = o.radius + o.weight;
      const sprite = document.createElement("canvas");
      sprite.width = sprite.height = Math.ceil(2 * half * ratio);
      const ctx = sprite.getContext("2d");
      ctx.scale(ratio, ratio);
      ctx.beginPath();
      ctx.arc(half, half, o.radius, 0, Math.PI * 2);
      ctx.globalAlpha = o.fillOpacity;
      ctx.fillStyle = this._colours[state];
      ctx.fill();
      ctx.globalAlpha = 1;
      ctx.lineWidth = o.weight;
      ctx.strokeStyle = o.stroke;
      ctx.stroke();
      return sprite;
    },

    _draw(ctx, b) {
      const half = this.options.radius + this.options.weight, size = 2 * half;
      for (let i = 0; i < this._devices.length; i++) {
        const x = this._xs[i], y = this._ys[i];
        if (x < b.min.x - half || x > b.max.x + half || y < b.min.y - half || y > b.max.y + half) continue;
        const state = this._devices[i].state;
        const sprite = this._sprites[state] || (this._sprites[state] = this._sprite(state));
        ctx.drawImage(sprite, x - half, y - half, size, size);
      }
    },

    // The topmost (last drawn) device whose dot with its outline holds the point, or null.
    _deviceAt(point) {
      const reach = (this.options.radius + this.options.weight / 2) ** 2;
      for (let i = this._devices.length - 1; i >= 0; i--) {
        const dx = this._xs[i] - point.x, dy = this._ys[i] - point.y;
        if (dx * dx + dy * dy <= reach) return this._devices[i];
      }
      return null;
    },

    _onMouseMove(e) {
      const map = this._map;
      if (!map || map.dragging.moving() || map._animatingZoom) return;
      const point = map.mouseEventToLayerPoint(e);
      const device = this._deviceAt(point);
      this._canvas.classList.toggle("leaflet-interactive", device !== null);
      const hovered = device || point.round().toString();
      if (hovered === this._hovered) return;
      this._hovered = hovered;
      const latlng = map.layerPointToLatLng(point);
      const content = device ? this._handlers.tooltip(device) : this._handlers.beneath(latlng);
      if (content === null) { this._hideTooltip(); return; }
      this._tooltip.setLatLng(device ? [device.lat / 1e6, device.lon / 1e6] : latlng).setContent(content).addTo(map);
    },

    _hideTooltip() {
      this._hovered = null;
      if (this._tooltip && this._map) this._map.removeLayer(this._tooltip);
    },

    _onClick(e) {
      if (this._map.dragging && this._map.dragging.moved()) return; // the end of a drag, not a click
      const device = this._deviceAt(this._map.mouseEventToLayerPoint(e));
      if (device) { L.DomEvent.stop(e); this._handlers.click(device); }
    },
  });

  // Rectangles (the density cells): { south, west, north, east } in degrees with a stroke/fill colour and a tooltip,
  // one path per colour.
  window.CellLayer = CanvasLayer.extend({
    options: { weight: 1, opacity: 0.5, fillOpacity: 0.2 },

    initialize(options) {
      L.setOptions(this, options);
      this.setCells([]);
    },

    setCells(cells) {
      this._cells = cells;
      this._lats = Float64Array.from(cells.flatMap(c => [c.south, c.north]));
      this._lons = Float64Array.from(cells.flatMap(c => [c.west, c.east]));
      this._xs = new Float64Array(this._lats.length);
      this._ys = new Float64Array(this._lats.length);
      this._reproject();
      return this.redraw();
    },

    _project(zoom, origin) { projectInto(this._lats, this._lons, zoom, origin, this._xs, this._ys); },

    _draw(ctx, b) {
      const colours = [...new Set(this._cells.map(c => c.colour))];
      ctx.lineWidth = this.options.weight;
      for (const colour of colours) {
        ctx.beginPath();
        for (let i = 0; i < this._cells.length; i++) {
          if (this._cells[i].colour !== colour) continue;
          // South-west and north-east corners in pixels (y grows southwards).
          const x0 = this._xs[2 * i], y0 = this._ys[2 * i + 1], x1 = this._xs[2 * i + 1], y1 = this._ys[2 * i];
          if (x1 < b.min.x || x0 > b.max.x || y1 < b.min.y || y0 > b.max.y) continue;
          ctx.rect(x0, y0, x1 - x0, y1 - y0);
        }
        ctx.globalAlpha = this.options.fillOpacity;
        ctx.fillStyle = colour;
        ctx.fill();
        ctx.globalAlpha = this.options.opacity;
        ctx.strokeStyle = colour;
        ctx.stroke();
      }
      ctx.globalAlpha = 1;
    },

    // The tooltip of the cell holding latlng, or null.
    tooltipAt(latlng) {
      const cell = this._cells.find(c => latlng.lat >= c.south && latlng.lat < c.north && latlng.lng >= c.west && latlng.lng < c.east);
      return cell ? cell.tip : null;
    },
  });

  // Polygons (the Natural Earth countries, GeoJSON Polygon/MultiPolygon features): every ring in one path, filled with
  // the even-odd rule (holes stay open) and outlined.
  window.PolygonLayer = CanvasLayer.extend({
    options: { pane: "overlayPane", stroke: "#457b9d", weight: 0.6, fill: "#f1faee" },

    initialize(features, options) {
      L.setOptions(this, options);
      const rings = features.flatMap(f => f.geometry.type === "Polygon" ? f.geometry.coordinates : f.geometry.coordinates.flat());
      this.shapes = features.length;
      this._starts = [];
      let at = 0;
      for (const ring of rings) { this._starts.push(at); at += ring.length; }
      this._starts.push(at);
      this._lats = Float64Array.from(rings.flat(), p => p[1]);
      this._lons = Float64Array.from(rings.flat(), p => p[0]);
      this._xs = new Float64Array(at);
      this._ys = new Float64Array(at);
    },

    _project(zoom, origin) { projectInto(this._lats, this._lons, zoom, origin, this._xs, this._ys); },

    _draw(ctx) {
      ctx.beginPath();
      for (let r = 0; r + 1 < this._starts.length; r++) {
        const from = this._starts[r], to = this._starts[r + 1];
        ctx.moveTo(this._xs[from], this._ys[from]);
        for (let i = from + 1; i < to; i++) ctx.lineTo(this._xs[i], this._ys[i]);
        ctx.closePath();
      }
      ctx.fillStyle = this.options.fill;
      ctx.fill("evenodd");
      ctx.lineWidth = this.options.weight;
      ctx.strokeStyle = this.options.stroke;
      ctx.stroke();
    },
  });
})();
