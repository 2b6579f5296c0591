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
      var ok = shownKinds[n.kind] && (c < 0 || n.serves.indexOf(c) >= 0) && shownInYear(n);
      if (ok) shown++;
      changes.push({ id: n.id, hidden: !ok });
      hiddenNode[n.id] = !ok;
    });
    nodes.update(changes);
    // An edge is drawn only when both its ends are.
    function hide(id) {
      var e = edgeInfo[id];
      return !shownStyles[e.style] || !!(hiddenNode[e.from] || hiddenNode[e.to]) || !shownInYear(e);
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
      saveState();
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
  clusterSel.addEventListener("change", function () { applyFilters(); fitView(visibleIds()); saveState(); });
  var styleBox = document.getElementById("cg-styles");
  data.styles.forEach(function (s) { legendToggle(styleBox, shownStyles, "style", s, lineSwatch(s)); });
  var RINGS = { gaps: MARKS.gap, connectors: MARKS.connector };
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
  if (data.since) ringRow(NEW_COLOUR, MARKS["new"].legend.replace("{since}", data.since));
  if (RINGS[data.highlight]) ringRow(RINGS[data.highlight].colour, RINGS[data.highlight].legend);
  document.getElementById("cg-size").textContent =
    "Dot size: " + (MEASURES[data.sizeBy] || { name: data.sizeBy }).name.toLowerCase() + " (bigger means more " +
    (data.sizeMeanings[data.sizeBy] || data.sizeBy) + ").";

