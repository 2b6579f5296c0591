// clustergraph map: legend, search, filters and tooltips over vis-network.
// Every text from the data goes into the page through textContent or DOM
// properties, never through innerHTML, so a name that looks like markup stays text.
(function () {
  "use strict";
  var timing = { start: performance.now() };
  var data = JSON.parse(document.getElementById("cg-data").textContent);
  timing.parsed = performance.now();
  var BIG = data.nodes.length > 1500;

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function fmt(v) {
    if (typeof v === "number" && !Number.isInteger(v)) return v.toFixed(3);
    return String(v);
  }
  var SVGNS = "http://www.w3.org/2000/svg";
  var NEW_COLOUR = "#1E8F4E";  // what is new since the previous edition (--since)
  function swatch(shape, colour) {
    var svg = document.createElementNS(SVGNS, "svg");
    svg.setAttribute("width", "16");
    svg.setAttribute("height", "16");
    var s;
    if (shape === "square") {
      s = document.createElementNS(SVGNS, "rect");
      s.setAttribute("x", "2"); s.setAttribute("y", "2"); s.setAttribute("width", "12"); s.setAttribute("height", "12");
    } else if (shape === "triangle") {
      s = document.createElementNS(SVGNS, "polygon");
      s.setAttribute("points", "8,1 15,14 1,14");
    } else if (shape === "diamond") {
      s = document.createElementNS(SVGNS, "polygon");
      s.setAttribute("points", "8,1 15,8 8,15 1,8");
    } else {
      s = document.createElementNS(SVGNS, "circle");
      s.setAttribute("cx", "8"); s.setAttribute("cy", "8"); s.setAttribute("r", "6.5");
    }
    s.setAttribute("fill", colour);
    svg.appendChild(s);
    return svg;
  }
  function lineSwatch(style) {
    var svg = document.createElementNS(SVGNS, "svg");
    svg.setAttribute("width", "28");
    svg.setAttribute("height", "10");
    var l = document.createElementNS(SVGNS, "line");
    l.setAttribute("x1", "1"); l.setAttribute("y1", "5"); l.setAttribute("x2", "27"); l.setAttribute("y2", "5");
    l.setAttribute("stroke", style.colour);
    l.setAttribute("stroke-width", String(Math.max(1.5, style.width)));
    if (style.dashes) l.setAttribute("stroke-dasharray", style.dashes.join(" "));
    svg.appendChild(l);
    return svg;
  }

  // ---------------------------------------------------------------- data sets
  var byId = {};
  var kindStyle = {};
  data.kinds.forEach(function (k) { kindStyle[k.id] = k; });
  var edgeStyle = {};
  data.styles.forEach(function (s) { edgeStyle[s.id] = s; });
  var clusterLabel = {}, clusterIndex = {};
  data.clusters.forEach(function (c, i) { clusterLabel[c.id] = c.label; clusterIndex[c.id] = i; });

  // Kind styles live in vis-network groups, so each node carries only what is its own:
  // per-node style objects cost about a third of the start-up time at 5,000 nodes.
  var groups = {};
  data.kinds.forEach(function (k) {
    groups[k.id] = { shape: k.shape, color: { background: k.colour, border: k.colour,
      highlight: { background: k.colour, border: "#111" }, hover: { background: k.colour, border: "#111" } } };
  });
  // On a big network only the largest nodes are candidates for a name on the canvas (the
  // rest show theirs on hover and in search): placing 5,000 names costs more than the drawing.
  var labelled = null;
  if (BIG) {
    labelled = {};
    data.nodes.slice().sort(function (a, b) { return b.value - a.value; }).slice(0, 300)
      .forEach(function (n) { labelled[n.id] = true; });
  }
  var visNodes = data.nodes.map(function (n) {
    byId[n.id] = n;
    var node = { id: n.id, x: n.x, y: n.y, value: n.value, group: n.kind };
    // A node's own colour replaces its group's, so a ringed node restates its fill.
    var fill = kindStyle[n.kind].colour;
    if (n.mark === "connector") {
      node.borderWidth = 5;
      node.color = { background: fill, border: "#111111", highlight: { background: fill, border: "#111111" } };
    }
    if (n.mark === "gap") {
      node.borderWidth = 5;
      node.color = { background: fill, border: "#D0021B", highlight: { background: fill, border: "#111111" } };
    }
    if (n["new"] && !n.mark) {
      node.borderWidth = 5;
      node.color = { background: fill, border: NEW_COLOUR, highlight: { background: fill, border: "#111111" } };
    }
    return node;
  });
  var edgeInfo = {};
  var visEdges = data.edges.map(function (e, i) {
    var s = edgeStyle[e.style];
    var id = "e" + i;
    edgeInfo[id] = e;
    var edge = { id: id, from: e.from, to: e.to, color: e["new"] ? NEW_COLOUR : s.colour,
                 width: e["new"] ? s.width + 1.5 : s.width };
    // Dashed lines are slow to draw; a big network keeps them for the few edges that must stand out.
    if (s.dashes && (!BIG || e.style === "suggested" || e.style === "policy")) edge.dashes = s.dashes;
    return edge;
  });
  // All edges go in at once: adding them in slices after a first drawing answered
  // sooner (1.6 s at 5,000 nodes) but froze the page for a second per slice and
  // finished later (5.6 s against 2.9 s); see benchmarks/bench_map.py.
  // Link kinds can be shown or hidden from the legend. On a big network the cluster
  // spokes (every member to its cluster) start hidden and are not even handed to
  // vis-network until asked for: they are a fifth of the links and of the start-up
  // time, and at that size they draw starbursts, not information.
  var shownStyles = {};
  data.styles.forEach(function (st) { shownStyles[st.id] = !(BIG && st.id === "in-cluster"); });
  var held = visEdges.filter(function (e) { return !shownStyles[edgeInfo[e.id].style]; });
  var nodes = new vis.DataSet(visNodes);
  var edges = new vis.DataSet(held.length ? visEdges.filter(function (e) { return shownStyles[edgeInfo[e.id].style]; })
                                          : visEdges);
  var container = document.getElementById("cg-network");
  var options = {
    autoResize: true,
    physics: false,
    layout: { improvedLayout: false, randomSeed: 0 },
    interaction: { hover: true, hideEdgesOnDrag: BIG, hideEdgesOnZoom: BIG, tooltipDelay: 80,
                   keyboard: false, navigationButtons: false, multiselect: false },
    nodes: {
      shape: "dot", borderWidth: 1,
      scaling: { min: 7, max: 38 }
    },
    edges: { smooth: false, selectionWidth: 1.5, hoverWidth: 1.2, color: { highlight: "#111", hover: "#111" } },
    groups: groups
  };
  timing.datasets = performance.now();
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  timing.network = performance.now();
  window.cg = { network: network, nodes: nodes, edges: edges, data: data, ready: false, timing: timing };
  var hiddenNode = {};
  var dimNode = {};

  // ---------------------------------------------------------------- names on the canvas
  // Names are drawn here rather than by vis-network, so that they never pile up: each
  // drawing places them in order of importance (the selected nodes and search hits, then
  // by node size, clusters first among equals) and leaves out a name that would cover one
  // already placed or cross one of the big dots; zooming in makes room, so more appear.
  // Every name is still in the tooltip, the panel and the search. Names keep one size on
  // screen whatever the zoom.
  var LABEL_PX = 13, LABEL_FONT = "system-ui, sans-serif";
  var BIG_DOT = 12;  // radius (network px) from which a dot keeps names off it; dots are 7 to 38
  var labelOrder = data.nodes.filter(function (n) { return !labelled || labelled[n.id] || n.kind === "cluster"; })
    .sort(function (a, b) {
      return b.value - a.value || (b.kind === "cluster") - (a.kind === "cluster") ||
             (a.label < b.label ? -1 : a.label > b.label ? 1 : 0);
    }).map(function (n) { return n.id; });
  var boldName = {};
  data.nodes.forEach(function (n) { if (n.mark === "connector" || n["new"]) boldName[n.id] = true; });
  var measure = document.createElement("canvas").getContext("2d");
  var textWidth = {};  // width of each name at a 100 px font, measured once
  function widthAt100(id) {
    var key = (boldName[id] ? "b" : "") + id;
    if (textWidth[key] === undefined) {
      measure.font = (boldName[id] ? "bold " : "") + "100px " + LABEL_FONT;
      textWidth[key] = measure.measureText(byId[id].label).width;
    }
    return textWidth[key];
  }
  network.on("afterDrawing", function (ctx) {
    var scale = network.getScale(), size = LABEL_PX / scale, pad = 2 / scale;
    var view = [network.DOMtoCanvas({ x: 0, y: 0 }),
                network.DOMtoCanvas({ x: container.clientWidth, y: container.clientHeight })];
    var ids = network.getSelectedNodes().concat(labelOrder);
    var pos = network.getPositions(ids);
    var placed = [], named = [], seen = {};
    // The big dots are obstacles too, so no name is written across a hub.
    var discs = [];
    for (var k = 0; k < labelOrder.length && discs.length < 40; k++) {
      var did = labelOrder[k], dot = network.body.nodes[did];
      var dr = dot ? (dot.shape.radius || dot.options.size || 0) : 0;
      if (!hiddenNode[did] && pos[did] && dr >= BIG_DOT) discs.push([did, pos[did].x, pos[did].y, dr + pad]);
    }
    ctx.save();
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    ctx.lineWidth = 3 / scale;
    ctx.strokeStyle = "#ffffff";
    ctx.fillStyle = "#1d2430";
    for (var i = 0; i < ids.length; i++) {
      var id = ids[i];
      if (seen[id] || hiddenNode[id] || dimNode[id] || !pos[id]) continue;
      seen[id] = true;
      var body = network.body.nodes[id];
      var r = body ? (body.shape.radius || body.options.size || 10) : 10;
      var w = widthAt100(id) * size / 100, h = size * 1.2;
      var box = [pos[id].x - w / 2 - pad, pos[id].y + r + pad, pos[id].x + w / 2 + pad, pos[id].y + r + pad + h];
      if (box[0] < view[0].x || box[2] > view[1].x || box[1] < view[0].y || box[3] > view[1].y) continue;
      var free = true;
      for (var j = 0; j < placed.length && free; j++) {
        var o = placed[j];
        free = box[2] <= o[0] || box[0] >= o[2] || box[3] <= o[1] || box[1] >= o[3];
      }
      for (var d = 0; d < discs.length && free; d++) {
        var c = discs[d];
        if (c[0] === id) continue;
        var cx = Math.max(box[0], Math.min(c[1], box[2])), cy = Math.max(box[1], Math.min(c[2], box[3]));
        free = (cx - c[1]) * (cx - c[1]) + (cy - c[2]) * (cy - c[2]) > c[3] * c[3];
      }
      if (!free) continue;
      placed.push(box);
      named.push(id);
      ctx.font = (boldName[id] ? "bold " : "") + size + "px " + LABEL_FONT;
      ctx.strokeText(byId[id].label, pos[id].x, box[1]);
      ctx.fillText(byId[id].label, pos[id].x, box[1]);
    }
    ctx.restore();
    // For tests and for anyone scripting the page: which names are on screen, where (DOM px).
    window.cg.labels = placed.map(function (b, k) {
      var a = network.canvasToDOM({ x: b[0], y: b[1] }), z = network.canvasToDOM({ x: b[2], y: b[3] });
      return { id: named[k], x0: a.x, y0: a.y, x1: z.x, y1: z.y };
    });
  });
  // vis-network fits the dots; names hang below them, so leave a margin for the names of
  // the outermost nodes (a name that would cross the edge is not drawn).
  function fitView(ids) {
    network.fit({ nodes: ids || [], animation: false });
    network.moveTo({ scale: network.getScale() * 0.88, animation: false });
  }
  network.once("afterDrawing", function () {
    fitView();
    timing.drawn = performance.now();
    window.cg.ready = true;
    window.cgReadyAt = performance.now();
    document.body.setAttribute("data-cg-ready", "1");
  });

  // ---------------------------------------------------------------- details (tooltip and panel)
  function sourcesList(cited, clickable) {
    var ul = el("ul");
    cited.forEach(function (i) {
      var s = data.sources[i];
      var li = el("li");
      // Python already dropped every non-http(s) URL; test again so the page stays safe alone.
      if (clickable && s.url && /^https?:\/\//i.test(s.url)) {
        var a = el("a", s.title || s.url);
        a.href = s.url;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        li.appendChild(a);
      } else {
        li.textContent = s.title + (s.url ? " (" + s.url + ")" : "");
      }
      ul.appendChild(li);
    });
    return ul;
  }
  function row(dl, term, value) {
    if (value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length)) return;
    dl.appendChild(el("dt", term));
    dl.appendChild(el("dd", Array.isArray(value) ? value.join(", ") : value));
  }
  var MEASURE_NAMES = { degree: "links", betweenness: "betweenness", pagerank: "PageRank", constraint: "constraint",
                        effective_size: "effective size", cut_off: "cut off if removed" };
  function nodeDetails(n, clickable) {
    var box = el("div");
    box.appendChild(el(clickable ? "h2" : "strong", n.label));
    var dl = el("dl");
    row(dl, "kind", (kindStyle[n.kind] || {}).label + (n.category ? " (" + n.category + ")" : ""));
    row(dl, "sector", n.sector);
    row(dl, "clusters", (n.clusters || []).map(function (c) { return clusterLabel[c] || c; }));
    row(dl, "value chain", n.value_chain);
    row(dl, "city", n.city);
    Object.keys(n.m || {}).forEach(function (k) { row(dl, MEASURE_NAMES[k] || k, fmt(n.m[k])); });
    if (n.articulation) row(dl, "note", "single point of failure: removing it splits the network");
    if (n["new"]) row(dl, "new", "not in " + data.since);
    box.appendChild(dl);
    if (n.why) box.appendChild(el("p", n.why, "cg-why"));
    if (n.sources && n.sources.length) {
      box.appendChild(el("div", "Sources", "cg-h"));
      box.appendChild(sourcesList(n.sources, clickable));
    }
    return box;
  }
  function edgeDetails(e, clickable) {
    var box = el("div");
    var a = byId[e.from], b = byId[e.to];
    box.appendChild(el("strong", (a ? a.label : e.from) + " \u2014 " + (b ? b.label : e.to)));
    var dl = el("dl");
    row(dl, "link", (edgeStyle[e.style] || {}).label);
    row(dl, "relations", e.rel);
    row(dl, "since", e.since);
    row(dl, "until", e.until);
    row(dl, "weight", e.weight);
    box.appendChild(dl);
    if (e.why) box.appendChild(el("p", e.why, "cg-why"));
    if (e.sources && e.sources.length) {
      box.appendChild(el("div", "Sources", "cg-h"));
      box.appendChild(sourcesList(e.sources, clickable));
    }
    return box;
  }
  var tip = document.getElementById("cg-tip");
  var mapBox = document.getElementById("cg-map");
  function showTip(content, domPoint) {
    tip.replaceChildren(content);
    tip.hidden = false;
    var rect = container.getBoundingClientRect(), outer = mapBox.getBoundingClientRect();
    var x = rect.left - outer.left + domPoint.x + 14, y = rect.top - outer.top + domPoint.y + 14;
    var w = tip.offsetWidth, h = tip.offsetHeight;
    if (x + w > outer.width) x = Math.max(0, x - w - 28);
    if (y + h > outer.height) y = Math.max(0, y - h - 28);
    tip.style.left = x + "px";
    tip.style.top = y + "px";
  }
  function hideTip() { tip.hidden = true; tip.replaceChildren(); }
  network.on("hoverNode", function (p) { showTip(nodeDetails(byId[p.node], false), p.pointer.DOM); });
  network.on("hoverEdge", function (p) { if (edgeInfo[p.edge]) showTip(edgeDetails(edgeInfo[p.edge], false), p.pointer.DOM); });
  network.on("blurNode", hideTip);
  network.on("blurEdge", hideTip);
  network.on("dragStart", hideTip);
  network.on("zoom", hideTip);
  var info = document.getElementById("cg-info");
  network.on("click", function (p) {
    if (p.nodes.length) info.replaceChildren(nodeDetails(byId[p.nodes[0]], true));
    else if (p.edges.length && edgeInfo[p.edges[0]]) info.replaceChildren(edgeDetails(edgeInfo[p.edges[0]], true));
  });

  // ---------------------------------------------------------------- filters
  var shownKinds = {};
  data.kinds.forEach(function (k) { shownKinds[k.id] = true; });
  var clusterSel = document.getElementById("cg-cluster");
  var count = document.getElementById("cg-count");
  function visibleIds() {
    return data.nodes.filter(function (n) { return !nodes.get(n.id).hidden; }).map(function (n) { return n.id; });
  }
  function applyFilters() {
    var c = clusterSel.value ? clusterIndex[clusterSel.value] : -1;
    var changes = [];
    var shown = 0;
    data.nodes.forEach(function (n) {
      var ok = shownKinds[n.kind] && (c < 0 || n.serves.indexOf(c) >= 0);
      if (ok) shown++;
      changes.push({ id: n.id, hidden: !ok });
      hiddenNode[n.id] = !ok;
    });
    nodes.update(changes);
    // An edge is drawn only when both its ends are.
    function hide(id) {
      var e = edgeInfo[id];
      return !shownStyles[e.style] || !!(hiddenNode[e.from] || hiddenNode[e.to]);
    }
    if (held.length && held.some(function (e) { return !hide(e.id); })) {
      edges.add(held);
      held = [];
    }
    edges.update(edges.getIds().map(function (id) { return { id: id, hidden: hide(id) }; }));
    count.textContent = shown + " of " + data.nodes.length + " nodes shown";
  }
  // A legend entry that shows or hides one kind of node or of link (`shown[item.id]`).
  function legendToggle(box, shown, attr, item, mark) {
    var b = el("button");
    b.type = "button";
    b.setAttribute("aria-pressed", String(shown[item.id]));
    b.dataset[attr] = item.id;
    b.appendChild(mark);
    b.appendChild(el("span", item.label));
    b.appendChild(el("span", item.count, "cg-n"));
    b.addEventListener("click", function () {
      shown[item.id] = !shown[item.id];
      b.setAttribute("aria-pressed", String(shown[item.id]));
      applyFilters();
    });
    box.appendChild(b);
  }
  var kindBox = document.getElementById("cg-kinds");
  data.kinds.forEach(function (k) { legendToggle(kindBox, shownKinds, "kind", k, swatch(k.shape, k.colour)); });
  data.clusters.forEach(function (c) {
    var o = el("option", c.label + " (" + c.count + ")");
    o.value = c.id;
    clusterSel.appendChild(o);
  });
  clusterSel.addEventListener("change", function () { applyFilters(); fitView(visibleIds()); });
  var styleBox = document.getElementById("cg-styles");
  data.styles.forEach(function (s) { legendToggle(styleBox, shownStyles, "style", s, lineSwatch(s)); });
  var RINGS = { gaps: ["#D0021B", "Ringed: isolated, or linked only through one broker"],
                connectors: ["#111111", "Ringed: the top connectors"] };
  // A legend row with a ringed grey dot: what a coloured ring around a node means.
  function ringRow(colour, text) {
    var row = el("div", null, "cg-row");
    var svg = document.createElementNS(SVGNS, "svg");
    svg.setAttribute("width", "16");
    svg.setAttribute("height", "16");
    var c = document.createElementNS(SVGNS, "circle");
    c.setAttribute("cx", "8"); c.setAttribute("cy", "8"); c.setAttribute("r", "5.5");
    c.setAttribute("fill", "#cccccc"); c.setAttribute("stroke", colour); c.setAttribute("stroke-width", "3");
    svg.appendChild(c);
    row.appendChild(svg);
    row.appendChild(el("span", text));
    styleBox.appendChild(row);
  }
  if (data.since) ringRow(NEW_COLOUR, "Green: new since " + data.since);
  if (RINGS[data.highlight]) ringRow(RINGS[data.highlight][0], RINGS[data.highlight][1]);
  document.getElementById("cg-size").textContent =
    "Node size: " + data.sizeBy.replace("_", " ") + " (bigger means more " +
    ({ degree: "direct links", betweenness: "bridging between others", pagerank: "well-connected partners",
       effective_size: "non-redundant contacts" }[data.sizeBy] || data.sizeBy) + ").";

  // ---------------------------------------------------------------- search
  var search = document.getElementById("cg-search");
  var found = document.getElementById("cg-found");
  var dimmed = [];
  function undim() {
    if (dimmed.length) nodes.update(dimmed.map(function (id) { return { id: id, opacity: 1 }; }));
    dimmed = [];
    dimNode = {};
  }
  function focusNode(id) {
    network.selectNodes([id]);
    network.focus(id, { scale: 1.2, animation: false });
    info.replaceChildren(nodeDetails(byId[id], true));
  }
  function runSearch(fit) {
    var q = search.value.trim().toLowerCase();
    undim();
    found.replaceChildren();
    if (!q) { network.unselectAll(); return []; }
    var hits = data.nodes.filter(function (n) {
      return !nodes.get(n.id).hidden && (n.label.toLowerCase().indexOf(q) >= 0 || n.id.indexOf(q) >= 0);
    }).map(function (n) { return n.id; });
    var hit = {};
    hits.forEach(function (id) { hit[id] = true; });
    dimmed = data.nodes.filter(function (n) { return !hit[n.id]; }).map(function (n) { return n.id; });
    dimmed.forEach(function (id) { dimNode[id] = true; });
    nodes.update(dimmed.map(function (id) { return { id: id, opacity: 0.15 }; }));
    network.selectNodes(hits);
    hits.slice(0, 50).forEach(function (id) {
      var b = el("button", byId[id].label);
      b.type = "button";
      b.addEventListener("click", function () { focusNode(id); });
      found.appendChild(b);
    });
    if (!hits.length) found.appendChild(el("span", "No visible node matches.", "cg-hint"));
    if (fit && hits.length === 1) focusNode(hits[0]);
    else if (fit && hits.length) fitView(hits);
    return hits;
  }
  var timer = null;
  search.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { runSearch(false); }, BIG ? 200 : 60);
  });
  search.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { clearTimeout(timer); runSearch(true); } });
  document.getElementById("cg-reset").addEventListener("click", function () {
    search.value = "";
    clusterSel.value = "";
    data.kinds.forEach(function (k) { shownKinds[k.id] = true; });
    data.styles.forEach(function (st) { shownStyles[st.id] = true; });
    document.querySelectorAll(".cg-legend button").forEach(function (b) { b.setAttribute("aria-pressed", "true"); });
    undim();
    found.replaceChildren();
    applyFilters();
    network.unselectAll();
    fitView();
  });
  window.cg.search = function (text) { search.value = text; return runSearch(true); };
  window.cg.visibleIds = visibleIds;
  count.textContent = data.nodes.length + " of " + data.nodes.length + " nodes shown";
})();
