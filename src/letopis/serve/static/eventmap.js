// The event page's small map: one marker on the shipped borders (and tiles when configured).
(function () {
  var el = document.getElementById("event-map");
  if (!el || !window.L) return;
  var lat = parseFloat(el.dataset.lat), lon = parseFloat(el.dataset.lon);
  if (isNaN(lat) || isNaN(lon)) return;
  var map = L.map(el, { attributionControl: true }).setView([lat, lon], 5);
  window.letopisBasemap(map, el.dataset.tiles);
  L.circleMarker([lat, lon], { radius: 7, color: "#8a1c1c", fillOpacity: 0.85 }).addTo(map)
    .bindTooltip(el.dataset.label || "");
})();
