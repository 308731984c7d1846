// Events over time by type: stacked SVG bars; click a bar to zoom in (year → month → day).
(function () {
  var el = document.getElementById("timeline");
  if (!el) return;
  var COLORS = { protest: "#1f77b4", strike: "#ff7f0e", riot: "#d62728", crackdown: "#8c1c13", detention: "#9467bd",
    prosecution: "#8c564b", restriction: "#7f7f7f", attack: "#e377c2", concession: "#2ca02c" };
  var base = el.dataset.query || "";
  var stack = [];      // zoom history: {from, to, grain}
  var NS = "http://www.w3.org/2000/svg";
  function node(name, attrs) {
    var n = document.createElementNS(NS, name);
    for (var k in attrs) n.setAttribute(k, attrs[k]);
    return n;
  }
  function params(view) {
    var p = new URLSearchParams(base);
    if (view) { p.set("date_from", view.from); p.set("date_to", view.to); if (view.grain) p.set("grain", view.grain); }
    return p.toString();
  }
  function draw(data, view) {
    while (el.firstChild) el.removeChild(el.firstChild);
    var W = el.clientWidth || 800, H = el.clientHeight || 320, pad = 34;
    var svg = node("svg", { width: W, height: H, viewBox: "0 0 " + W + " " + H });
    var bs = data.buckets || [];
    var max = 1; bs.forEach(function (b) { max = Math.max(max, b.total); });
    var bw = bs.length ? (W - 2 * pad) / bs.length : 0;
    svg.appendChild(node("line", { x1: pad, y1: H - pad, x2: W - pad, y2: H - pad, stroke: "#999" }));
    var t = node("text", { x: 4, y: 14 }); t.textContent = String(max); svg.appendChild(t);
    var every = Math.max(1, Math.ceil(bs.length / 14));
    bs.forEach(function (b, i) {
      var y = H - pad, x = pad + i * bw;
      Object.keys(b.types).sort().forEach(function (type) {
        var h = (H - 2 * pad) * b.types[type] / max;
        var r = node("rect", { x: x + 1, y: y - h, width: Math.max(1, bw - 2), height: h, fill: COLORS[type] || "#444", "class": "bar" });
        var tt = node("title", {}); tt.textContent = b.key + " · " + type + ": " + b.types[type]; r.appendChild(tt);
        r.addEventListener("click", function () { zoomInto(b.key, data.grain); });
        svg.appendChild(r);
        y -= h;
      });
      if (i % every === 0) {
        var lab = node("text", { x: x + 2, y: H - pad + 14 }); lab.textContent = b.key; svg.appendChild(lab);
      }
    });
    el.appendChild(svg);
    var rng = document.getElementById("tl-range");
    if (rng) rng.textContent = (view ? view.from + " … " + view.to + " · " : "") + "by " + data.grain +
      (data.undated ? " · " + data.undated + " undated events not shown" : "");
    var legend = document.getElementById("tl-legend");
    if (legend) {
      legend.textContent = "";
      Object.keys(COLORS).forEach(function (k) {
        var s = document.createElement("span"); var sw = document.createElement("i");
        sw.className = "sw"; sw.style.background = COLORS[k]; s.appendChild(sw); s.appendChild(document.createTextNode(k + " "));
        legend.appendChild(s);
      });
    }
  }
  function load(view) {
    fetch("/api/v1/timeline?" + params(view), { credentials: "same-origin" })
      .then(function (r) { return r.json(); }).then(function (d) { draw(d, view); });
  }
  function zoomInto(key, grain) {
    var next = grain === "year" ? "month" : "day";
    if (grain === "day") { window.location = "/events?" + params({ from: key, to: key }); return; }
    var view = { from: key, to: key, grain: next };
    stack.push(view); load(view);
  }
  document.getElementById("tl-out").addEventListener("click", function () { stack.pop(); load(stack[stack.length - 1]); });
  load(null);
})();
