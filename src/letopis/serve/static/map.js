// The events map: server-side grid clusters for the visible box, refetched on every move.
(function () {
  var el = document.getElementById("map");
  if (!el || !window.L) return;
  var status = document.getElementById("map-status");
  var map = L.map(el, { worldCopyJump: true, minZoom: 1 }).setView([45, 50], 3);
  window.letopisBasemap(map, el.dataset.tiles);
  var layer = L.layerGroup().addTo(map);
  var seq = 0;
  function size(n) { return Math.round(18 + Math.min(30, 6 * Math.log(n + 1))); }
  function refresh() {
    var b = map.getBounds(), z = map.getZoom(), mine = ++seq;
    var q = (el.dataset.query ? el.dataset.query + "&" : "") + "zoom=" + z +
      "&west=" + Math.max(-720, b.getWest()).toFixed(4) + "&east=" + Math.min(720, b.getEast()).toFixed(4) +
      "&south=" + Math.max(-90, b.getSouth()).toFixed(4) + "&north=" + Math.min(90, b.getNorth()).toFixed(4);
    fetch("/api/v1/map?" + q, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
      if (mine !== seq) return;
      layer.clearLayers();
      (data.clusters || []).forEach(function (c) {
        var s = size(c.count);
        var icon = L.divIcon({ className: "", html: "", iconSize: [s, s] });
        var m = L.marker([c.lat, c.lon], { icon: icon, keyboard: false });
        m.on("add", function () {
          var node = m.getElement();
          node.className = "cluster";
          node.textContent = String(c.count);
        });
        var label = Object.keys(c.types).map(function (t) { return t + ": " + c.types[t]; }).join(", ");
        m.bindTooltip(label);
        m.on("click", function () {
          if (c.id) { window.location = "/events/" + encodeURIComponent(c.id); }
          else { map.setView([c.lat, c.lon], Math.min(18, map.getZoom() + 2)); }
        });
        layer.addLayer(m);
      });
      if (status) status.textContent = data.points + " events in view, " + (data.clusters || []).length + " markers";
    });
  }
  map.on("moveend", refresh);
  refresh();
})();
