// The overview of a big network: one node per group (cluster or community), sized by
// members and linked by the links between them. A click on a group adds its members
// and their links to vis-network; nothing else is built at load.
  var timing = { start: performance.now() };
  var data = JSON.parse(document.getElementById("cg-data").textContent);
  timing.parsed = performance.now();
  var ov = data.overview;
  var N = ov.ids.length, G = ov.groups.length;
  var GROUP_COLOUR = "#5B7DB1";

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  // Each group's members, largest first (they are placed from the centre outwards).
  var members = [];
  for (var g = 0; g < G; g++) members.push([]);
  for (var i = 0; i < N; i++) members[ov.group[i]].push(i);
  members.forEach(function (m) { m.sort(function (a, b) { return ov.value[b] - ov.value[a] || a - b; }); });
  var indexOf = null;  // entity id -> index, built on first need
  function entityIndex(id) {
    if (!indexOf) { indexOf = {}; for (var k = 0; k < N; k++) indexOf[ov.ids[k]] = k; }
    return indexOf[id];
  }
  var groupsStyle = {};
  data.kinds.forEach(function (k) {
    groupsStyle["k" + data.kinds.indexOf(k)] = { shape: k.shape, color: { background: k.colour, border: k.colour,
      highlight: { background: k.colour, border: "#111" }, hover: { background: k.colour, border: "#111" } } };
  });
  var maxWeight = 1;
  for (var w = 2; w < ov.between.length; w += 3) maxWeight = Math.max(maxWeight, ov.between[w]);
  var R0 = 60;
  function discOf(k) { return R0 + ov.gap * Math.sqrt(ov.groups[k].count); }
  var groupLabel = ov.groups.map(function (gr) { return gr.label + "\n" + gr.count.toLocaleString("en-US") + " members"; });
  var groupNodes = ov.groups.map(function (gr, k) {
    // A closed group's dot covers the disc its members fill when it is opened.
    return { id: "g:" + k, x: gr.x, y: gr.y, size: discOf(k), shape: "dot",
             label: gr.label + "\n" + gr.count.toLocaleString("en-US") + " members",
             color: { background: GROUP_COLOUR, border: "#24406b", highlight: { background: "#7f9fd1", border: "#111" } },
             font: { size: 16, color: "#111", strokeWidth: 4, strokeColor: "#ffffff" } };
  });
  var groupEdges = [];
  for (var j = 0; j < ov.between.length; j += 3) {
    var wt = ov.between[j + 2];
    groupEdges.push({ id: "gl" + j, from: "g:" + ov.between[j], to: "g:" + ov.between[j + 1],
                      width: 1 + 9 * wt / maxWeight, color: { color: "#9aa7b8", opacity: 0.6 },
                      title: wt + " links" });
  }
  var nodes = new vis.DataSet(groupNodes);
  var edges = new vis.DataSet(groupEdges);
  timing.datasets = performance.now();
  var container = document.getElementById("cg-network");
  var options = {
    autoResize: true,
    physics: false,
    layout: { improvedLayout: false, randomSeed: 0 },
    interaction: { hover: true, hideEdgesOnDrag: true, tooltipDelay: 80, keyboard: false },
    nodes: { shape: "dot", borderWidth: 1,
             scaling: { min: 4, max: 18, label: { enabled: false } },
             font: { size: 11 } },
    edges: { smooth: false, selectionWidth: 1.5, color: { highlight: "#111", hover: "#111" } },
    groups: groupsStyle
  };
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  // Names and links of the groups keep one size on screen whatever the zoom (a group's
  // name would otherwise be a wall of ink once the view is down among its members).
  network.fit({ animation: false });
  network.moveTo({ scale: network.getScale() * 0.9, animation: false });  // room for the outer names
  var opened = {};  // group index -> true
  var shownAt = 0, firstScale = 0, NAMED = 30;
  var rank = [];
  ov.groups.map(function (gr, k) { return k; })
    .sort(function (a, b) { return ov.groups[b].count - ov.groups[a].count || a - b; })
    .forEach(function (k, r) { rank[k] = r; });
  function onScreen() {
    var scale = network.getScale();
    if (Math.abs(scale - shownAt) < 1e-9) return;
    shownAt = scale;
    var unit = 1 / Math.max(scale, 1e-6);
    // The largest groups are named at first; zooming in names more (hundreds of names at
    // once would pile up into ink).
    if (!firstScale) firstScale = scale;
    var named = Math.max(NAMED, Math.round(NAMED * Math.pow(scale / firstScale, 2)));
    nodes.update(groupNodes.map(function (n, k) {
      return { id: n.id, label: rank[k] < named || opened[k] ? groupLabel[k] : "",
               font: { size: 15 * unit, color: "#111", strokeWidth: 4 * unit, strokeColor: "#ffffff" } };
    }));
    edges.update(groupEdges.map(function (e) { return { id: e.id, width: e.width * unit }; }));
  }
  onScreen();
  network.on("zoom", onScreen);
  timing.network = performance.now();
  var linkAdded = new Uint8Array(ov.links.length / 3);
  var drawnEntities = 0;
  var count = document.getElementById("cg-count");
  var info = document.getElementById("cg-info");
  var infoHint = info.firstElementChild.cloneNode(true);
  var summary = { groups: G, entities: N, drawnGroups: G, drawnNodes: G, opened: [] };
  window.cg = { network: network, nodes: nodes, edges: edges, data: data, ready: false, timing: timing,
                overview: summary };
  function counted() {
    summary.drawnNodes = nodes.length;
    summary.drawnEntities = drawnEntities;
    summary.opened = Object.keys(opened).map(Number);
    count.textContent = G + " groups; " + drawnEntities.toLocaleString("en-US") + " of " +
      N.toLocaleString("en-US") + " entities drawn";
  }
  counted();

  function openGroup(k) {
    if (opened[k]) return;
    opened[k] = true;
    var gr = ov.groups[k], m = members[k], add = [];
    var golden = Math.PI * (3 - Math.sqrt(5)), r0 = R0;
    for (var t = 0; t < m.length; t++) {
      var e = m[t], r = r0 + ov.gap * Math.sqrt(t + 0.5), a = t * golden;
      var node = { id: ov.ids[e], x: gr.x + r * Math.cos(a), y: gr.y + r * Math.sin(a),
                   value: ov.value[e], group: "k" + ov.kind[e] };
      if (t < 150) node.label = ov.labels[e];
      add.push(node);
    }
    nodes.add(add);
    drawnEntities += m.length;
    var links = [], L = ov.links;
    for (var q = 0; q < L.length; q += 3) {
      if (linkAdded[q / 3]) continue;
      if (!opened[ov.group[L[q]]] || !opened[ov.group[L[q + 1]]]) continue;
      var st = data.styles[L[q + 2]];
      // Cluster spokes (every member to its cluster) draw starbursts at this size, as on the big full map.
      if (st.id === "in-cluster") continue;
      linkAdded[q / 3] = 1;
      links.push({ id: "l" + q, from: ov.ids[L[q]], to: ov.ids[L[q + 1]], color: st.colour, width: st.width });
    }
    edges.add(links);
    nodes.update({ id: "g:" + k, size: R0 * 0.8, label: groupLabel[k],
                   color: { background: "#dfe7f3", border: GROUP_COLOUR } });
    counted();
  }
  function closeGroup(k) {
    if (!opened[k]) return;
    var m = members[k], L = ov.links, drop = [];
    for (var q = 0; q < L.length; q += 3) {
      if (linkAdded[q / 3] && (ov.group[L[q]] === k || ov.group[L[q + 1]] === k)) {
        linkAdded[q / 3] = 0;
        drop.push("l" + q);
      }
    }
    edges.remove(drop);
    nodes.remove(m.map(function (e) { return ov.ids[e]; }));
    drawnEntities -= m.length;
    delete opened[k];
    shownAt = 0;
    nodes.update({ id: "g:" + k, size: discOf(k), color: { background: GROUP_COLOUR, border: "#24406b" } });
    onScreen();
    counted();
  }
  function details(e) {
    var box = el("div");
    box.appendChild(el("h2", ov.labels[e]));
    var dl = el("dl");
    function row(k, v) { dl.appendChild(el("dt", k)); dl.appendChild(el("dd", v)); }
    row("Kind", data.kinds[ov.kind[e]].label);
    row("Group", ov.groups[ov.group[e]].label);
    row("Id", ov.ids[e]);
    if (ov.aliases[e]) row("Other names", ov.aliases[e].join(", "));
    var partners = 0, L = ov.links;
    for (var q = 0; q < L.length; q += 3) if (L[q] === e || L[q + 1] === e) partners++;
    row("Links", partners);
    box.appendChild(dl);
    return box;
  }
  function showEntity(e) {
    openGroup(ov.group[e]);
    var id = ov.ids[e];
    if (!nodes.get(id).label) nodes.update({ id: id, label: ov.labels[e] });
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(1.2, network.getScale()), animation: false });
    onScreen();
    info.replaceChildren(details(e));
    return id;
  }
  network.on("click", function (p) {
    if (!p.nodes.length) return;
    var id = String(p.nodes[0]);
    if (id.slice(0, 2) === "g:") {
      var k = Number(id.slice(2));
      if (opened[k]) closeGroup(k); else openGroup(k);
      var gr = ov.groups[k];
      var box = el("div");
      box.appendChild(el("h2", gr.label));
      box.appendChild(el("p", gr.count.toLocaleString("en-US") + " members" + (opened[k] ? " (drawn around it)" : "")));
      info.replaceChildren(box);
    } else {
      var e = entityIndex(id);
      if (e !== undefined) info.replaceChildren(details(e));
    }
  });

  // ---------------------------------------------------------------- search (every entity, open or not)
  var search = document.getElementById("cg-search");
  var found = document.getElementById("cg-found");
  function matches(e, q) {
    if (ov.labels[e].toLowerCase().indexOf(q) >= 0 || ov.ids[e].indexOf(q) >= 0) return true;
    var a = ov.aliases[e];
    if (a) for (var k = 0; k < a.length; k++) if (a[k].toLowerCase().indexOf(q) >= 0) return true;
    return false;
  }
  function runSearch(go) {
    var q = search.value.trim().toLowerCase();
    found.replaceChildren();
    if (!q) return [];
    var hits = [];
    for (var e = 0; e < N; e++) if (matches(e, q)) hits.push(e);
    hits.slice(0, 50).forEach(function (e) {
      var b = el("button", ov.labels[e] + " (" + ov.groups[ov.group[e]].label + ")");
      b.type = "button";
      b.addEventListener("click", function () { showEntity(e); });
      found.appendChild(b);
    });
    if (hits.length > 50) found.appendChild(el("span", "and " + (hits.length - 50) + " more", "cg-hint"));
    if (!hits.length) found.appendChild(el("span", "No entity matches.", "cg-hint"));
    if (go && hits.length) showEntity(hits[0]);
    return hits.map(function (e) { return ov.ids[e]; });
  }
  var timer = null;
  search.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(function () { runSearch(false); }, 200); });
  search.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { clearTimeout(timer); runSearch(true); } });
  document.getElementById("cg-reset").addEventListener("click", function () {
    Object.keys(opened).map(Number).forEach(closeGroup);
    search.value = "";
    found.replaceChildren();
    network.unselectAll();
    info.replaceChildren(infoHint.cloneNode(true));
    network.fit({ animation: false });
    onScreen();
  network.moveTo({ scale: network.getScale() * 0.9, animation: false });  // room for the outer names
  });
  window.cg.search = function (text) { search.value = text; return runSearch(true); };
  window.cg.open = function (k) { openGroup(k); };
  window.cg.show = function (id) { var e = entityIndex(id); return e === undefined ? null : showEntity(e); };
  network.once("afterDrawing", function () {
    timing.drawn = performance.now();
    window.cg.ready = true;
  });
