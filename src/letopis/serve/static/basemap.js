// Offline basemap: country borders shipped with letopis (Natural Earth via world-atlas);
// tiles from a configured URL on top when the user is online.
window.letopisBasemap = function (map, tileUrl) {
  map.getContainer().style.background = "#dfe9f3";
  fetch("/static/borders.geojson").then(function (r) { return r.json(); }).then(function (gj) {
    var layer = L.geoJSON(gj, { style: { color: "#8c96a5", weight: 0.8, fillColor: "#f6f4ee", fillOpacity: 1 },
                                interactive: false });
    layer.addTo(map);
    layer.bringToBack();
  });
  if (tileUrl) {
    L.tileLayer(tileUrl, { maxZoom: 18, attribution: "tiles: configured server" }).addTo(map);
  }
  map.attributionControl.addAttribution("borders: Natural Earth");
};
