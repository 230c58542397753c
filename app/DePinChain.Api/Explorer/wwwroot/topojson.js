// TopoJSON → GeoJSON for the world-atlas basemap (the subset its files use: quantized arcs, Polygon and MultiPolygon).
"use strict";
window.topoToGeo = function (topology, objectName) {
  const t = topology.transform;
  const arcs = topology.arcs.map(arc => {
    let x = 0, y = 0;
    return arc.map(p => {
      if (!t) return p.slice(0, 2);
      x += p[0]; y += p[1];
      return [x * t.scale[0] + t.translate[0], y * t.scale[1] + t.translate[1]];
    });
  });
  const ring = indexes => {
    const points = [];
    for (const i of indexes) {
      const arc = i < 0 ? arcs[~i].slice().reverse() : arcs[i];
      arc.forEach((p, k) => { if (k > 0 || points.length === 0) points.push(p); });
    }
    // A ring across the antimeridian jumps by ~360° of longitude; unwrap it so Leaflet does not draw a band around the world.
    for (let k = 1; k < points.length; k++) {
      const d = points[k][0] - points[k - 1][0];
      if (d > 180) points[k] = [points[k][0] - 360, points[k][1]];
      else if (d < -180) points[k] = [points[k][0] + 360, points[k][1]];
    }
    return points;
  };
  const geometry = g => g.type === "Polygon" ? { type: "Polygon", coordinates: g.arcs.map(ring) }
    : g.type === "MultiPolygon" ? { type: "MultiPolygon", coordinates: g.arcs.map(p => p.map(ring)) } : null;
  const object = topology.objects[objectName];
  return {
    type: "FeatureCollection",
    features: object.geometries.map(g => ({ type: "Feature", id: g.id, properties: g.properties || {}, geometry: geometry(g) }))
      .filter(f => f.geometry),
  };
};
