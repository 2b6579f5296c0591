// The overview of a big network: one disc per group (cluster or community), sized by
// members and linked by the links between them. A click on a group adds its members and
// their links to vis-network; nothing else is built at load. util.js gives data, el,
// swatch, lineSwatch and MARKS; tools.js (after this) the picture, print and phone menu.
  var ov = data.overview;
  var N = ov.ids.length, G = ov.groups.length, NL = ov.links.length / 3;
  var GROUP_COLOUR = "#5B7DB1", GROUP_BORDER = "#2f4f80";
  var container = document.getElementById("cg-network");
  // The discs are packed wider than tall, for a screen; on a portrait screen (a phone)
  // the picture is turned a quarter so it fills the height instead of a band.
  if (container.clientHeight > 1.2 * container.clientWidth) {
    ov.groups.forEach(function (gr) { var x = gr.x; gr.x = -gr.y; gr.y = x; });
  }
  var mapBox = document.getElementById("cg-map");
  var count = document.getElementById("cg-count");
  var info = document.getElementById("cg-info");
  var infoHint = info.firstElementChild.cloneNode(true);
  function fmtN(n) { return Number(n).toLocaleString("en-US"); }

  // ---------------------------------------------------------------- the entities, as arrays
  var members = [];
  for (var g = 0; g < G; g++) members.push([]);
  for (var i = 0; i < N; i++) members[ov.group[i]].push(i);
  // Largest first: their names are drawn first.
  members.forEach(function (m) { m.sort(function (a, b) { return ov.value[b] - ov.value[a] || a - b; }); });
  var indexOf = null;  // entity id -> index, built on first need
  function entityIndex(id) {
    if (!indexOf) { indexOf = {}; for (var k = 0; k < N; k++) indexOf[ov.ids[k]] = k; }
    return indexOf[id];
  }
  var yearOf = new Int32Array(N), linkYear = new Int32Array(NL);  // 0: undated
  for (var y = 0; y < ov.year.length; y += 2) yearOf[ov.year[y]] = ov.year[y + 1];
  for (var ly = 0; ly < ov.linkYear.length; ly += 2) linkYear[ov.linkYear[ly]] = ov.linkYear[ly + 1];
  var isNew = new Uint8Array(N), linkNew = new Uint8Array(NL);
  ov["new"].forEach(function (e) { isNew[e] = 1; });
  ov.linkNew.forEach(function (q) { linkNew[q] = 1; });
  var groupNew = new Int32Array(G), groupMarked = new Int32Array(G);
  ov["new"].forEach(function (e) { groupNew[ov.group[e]]++; });
  Object.keys(ov.mark).forEach(function (e) { groupMarked[ov.group[Number(e)]]++; });
  var styleOf = data.styles.map(function (s) { return s.id; });
  // Each entity's links (index pairs into ov.links), built on first need.
  var linkStart = null, linkList = null;
  function linksOf(e) {
    if (!linkStart) {
      var L = ov.links, deg = new Int32Array(N + 1);
      for (var q = 0; q < L.length; q += 3) { deg[L[q] + 1]++; deg[L[q + 1] + 1]++; }
      for (var d = 0; d < N; d++) deg[d + 1] += deg[d];
      linkStart = deg;
      linkList = new Int32Array(deg[N]);
      var fill = deg.slice(0, N);
      for (var p = 0; p < L.length; p += 3) { linkList[fill[L[p]]++] = p / 3; linkList[fill[L[p + 1]]++] = p / 3; }
    }
    return linkList.subarray(linkStart[e], linkStart[e + 1]);
  }

  // ---------------------------------------------------------------- where things sit
  var R0 = ov.hole;
  // A member's place in its group's disc: a point drawn from its id alone (FNV-1a hash,
  // seeded), uniform over the disc outside the hole kept for the group's name, so it keeps
  // its place from one edition to the next as long as it stays in a group that does.
  function fnv(text) {
    var h = 0x811c9dc5;
    for (var c = 0; c < text.length; c++) { h ^= text.charCodeAt(c); h = Math.imul(h, 0x01000193); }
    return (h >>> 0) / 4294967296;
  }
  var posOf = {};  // entity index -> {x, y}, for the members drawn
  function memberAt(k, e) {
    var gr = ov.groups[k], id = ov.seed + ":" + ov.ids[e], R = gr.r * 0.96;
    var r = Math.sqrt(R0 * R0 + fnv(id) * (R * R - R0 * R0)), a = 2 * Math.PI * fnv(id + "#");
    return { x: gr.x + r * Math.cos(a), y: gr.y + r * Math.sin(a) };
  }

  // ---------------------------------------------------------------- vis-network
  var kindGroups = {};
  data.kinds.forEach(function (k, n) {
    kindGroups["k" + n] = { shape: k.shape, color: { background: k.colour, border: k.colour,
      highlight: { background: k.colour, border: "#111" }, hover: { background: k.colour, border: "#111" } } };
  });
  var maxWeight = 1;
  for (var w = 2; w < ov.between.length; w += 3) maxWeight = Math.max(maxWeight, ov.between[w]);
  var groupFill = ov.groups.map(function () { return GROUP_COLOUR; });
  function groupNode(k) {
    var o = opened[k], fill = groupFill[k];
    // A closed group's disc covers the area its members fill when it is opened; an open
    // one keeps a small dot at its centre (a click there closes it) and its disc is drawn
    // pale beneath the members (beforeDrawing), so hovering it never covers them.
    return { id: "g:" + k, x: ov.groups[k].x, y: ov.groups[k].y, size: o ? R0 * 0.5 : ov.groups[k].r, shape: "dot",
             color: o ? { background: "#c9d4e6", border: GROUP_BORDER, highlight: { background: "#c9d4e6", border: "#111" },
                          hover: { background: "#c9d4e6", border: "#111" } }
                      : { background: fill, border: GROUP_BORDER, highlight: { background: fill, border: "#111" },
                          hover: { background: fill, border: "#111" } },
             borderWidth: 1, opacity: o ? 1 : 0.85 };
  }
  var opened = {};  // group index -> true
  var groupEdges = [];
  for (var j = 0; j < ov.between.length; j += 3) {
    var wt = ov.between[j + 2];
    groupEdges.push({ id: "gl" + j, from: "g:" + ov.between[j], to: "g:" + ov.between[j + 1],
                      width: 0.6 + 4 * wt / maxWeight, color: { color: "#9aa7b8", opacity: 0.3 },
                      wt: wt });
  }
  var nodes = new vis.DataSet(ov.groups.map(function (gr, k) { return groupNode(k); }));
  var edges = new vis.DataSet(groupEdges.map(function (e) { return { id: e.id, from: e.from, to: e.to, width: e.width, color: e.color }; }));
  timing.datasets = performance.now();
  var options = {
    autoResize: true,
    physics: false,
    layout: { improvedLayout: false, randomSeed: 0 },
    interaction: { hover: true, hideEdgesOnDrag: true, tooltipDelay: 80, keyboard: false, multiselect: false },
    nodes: { shape: "dot", borderWidth: 1, scaling: { min: 4, max: 18, label: { enabled: false } } },
    edges: { smooth: false, selectionWidth: 1.5, color: { highlight: "#111", hover: "#111" } },
    groups: kindGroups
  };
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  timing.network = performance.now();
  var summary = { groups: G, entities: N, drawnGroups: G, drawnNodes: G, drawnEntities: 0, opened: [] };
  window.cg = { network: network, nodes: nodes, edges: edges, data: data, ready: false, timing: timing,
                overview: summary };
  function fitAll() {
    network.fit({ animation: false });
    network.moveTo({ scale: network.getScale() * 0.94, animation: false });
  }
  fitAll();
  // Group links keep one width on screen whatever the zoom.
  var widthAt = 0;
  function keepWidths() {
    var scale = network.getScale();
    if (Math.abs(scale - widthAt) < 1e-9) return;
    widthAt = scale;
    edges.update(groupEdges.map(function (e) { return { id: e.id, width: e.width / Math.max(scale, 1e-6) }; }));
  }
  // A group's links to other groups are hidden while it is open: they would cut through
  // its members, whose own links are drawn instead.
  function groupLinks() {
    edges.update(groupEdges.map(function (e) {
      return { id: e.id, hidden: !!(opened[e.from.slice(2)] || opened[e.to.slice(2)]) };
    }));
  }
  keepWidths();
  network.on("zoom", keepWidths);

  // ---------------------------------------------------------------- filters (kinds, links, year)
  var shownKinds = data.kinds.map(function () { return true; });
  var shownStyles = data.styles.map(function (s) { return s.id !== "in-cluster"; });  // spokes: starbursts
  var initialStyles = shownStyles.slice();
  var yearAt = null;  // null: every fact
  function entityShown(e) { return shownKinds[ov.kind[e]] && (yearAt === null || !yearOf[e] || yearOf[e] <= yearAt); }
  function linkShown(q) {
    var L = ov.links;
    return shownStyles[L[3 * q + 2]] && entityShown(L[3 * q]) && entityShown(L[3 * q + 1]) &&
      (yearAt === null || !linkYear[q] || linkYear[q] <= yearAt);
  }
  var linkAdded = new Uint8Array(NL);
  var drawnEntities = 0;
  function linkObject(q) {
    var L = ov.links, st = data.styles[L[3 * q + 2]];
    var e = { id: "l" + q, from: ov.ids[L[3 * q]], to: ov.ids[L[3 * q + 1]],
              color: linkNew[q] ? NEW_COLOUR : st.colour, width: linkNew[q] ? st.width + 1.5 : st.width };
    if (st.dashes && (st.id === "suggested" || st.id === "policy")) e.dashes = st.dashes;
    return e;
  }
  // The links among open groups, as the filters now say.
  function syncLinks() {
    var add = [], drop = [], L = ov.links;
    for (var q = 0; q < NL; q++) {
      var want = opened[ov.group[L[3 * q]]] && opened[ov.group[L[3 * q + 1]]] && linkShown(q);
      if (want && !linkAdded[q]) { add.push(linkObject(q)); linkAdded[q] = 1; }
      else if (!want && linkAdded[q]) { drop.push("l" + q); linkAdded[q] = 0; }
    }
    if (drop.length) edges.remove(drop);
    if (add.length) edges.add(add);
  }
  function applyFilters() {
    var changes = [];
    Object.keys(opened).forEach(function (k) {
      members[k].forEach(function (e) { changes.push({ id: ov.ids[e], hidden: !entityShown(e) }); });
    });
    if (changes.length) nodes.update(changes);
    syncLinks();
    counted();
  }
  function counted() {
    summary.drawnNodes = nodes.length;
    summary.drawnEntities = drawnEntities;
    summary.opened = Object.keys(opened).map(Number);
    count.textContent = G + " groups; " + fmtN(drawnEntities) + " of " + fmtN(N) + " entities drawn";
  }
  function legendToggle(box, shown, attr, n, item, mark) {
    var b = el("button");
    b.type = "button";
    b.setAttribute("aria-pressed", String(shown[n]));
    b.dataset[attr] = item.id;
    b.appendChild(mark);
    b.appendChild(el("span", item.label));
    b.appendChild(el("span", fmtN(item.count), "cg-n"));
    b.addEventListener("click", function () {
      shown[n] = !shown[n];
      b.setAttribute("aria-pressed", String(shown[n]));
      applyFilters();
      saveState();
    });
    box.appendChild(b);
  }
  var kindBox = document.getElementById("cg-kinds");
  data.kinds.forEach(function (k, n) { legendToggle(kindBox, shownKinds, "kind", n, k, swatch(k.shape, k.colour)); });
  var styleBox = document.getElementById("cg-styles");
  data.styles.forEach(function (s, n) { legendToggle(styleBox, shownStyles, "style", n, s, lineSwatch(s)); });
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
  var RINGS = { gaps: MARKS.gap, connectors: MARKS.connector };
  if (data.since) ringRow(NEW_COLOUR, MARKS["new"].legend.replace("{since}", data.since));
  if (RINGS[data.highlight]) ringRow(RINGS[data.highlight].colour, RINGS[data.highlight].legend);
  var MEASURES = data.measures;
  document.getElementById("cg-size").textContent =
    "Group size: members. Dot size: " + (MEASURES[data.sizeBy] || { name: data.sizeBy }).name.toLowerCase() +
    " (bigger means more " + (data.sizeMeanings[data.sizeBy] || data.sizeBy) + ").";

  // Year slider: its last stop is every fact.
  var years = data.years || [];
  var yearBox = document.getElementById("cg-years");
  var slider = document.getElementById("cg-year");
  var yearText = document.getElementById("cg-year-text");
  function yearLabel() {
    yearText.textContent = yearAt === null ? "Every dated fact (" + years.join(", ") + ")"
      : "As it stood in " + yearAt + "; undated entities always shown";
  }
  if (!years.length) {
    yearBox.hidden = true;
  } else {
    slider.min = "0";
    slider.max = String(years.length);
    slider.value = String(years.length);
    slider.addEventListener("input", function () {
      var n = Number(slider.value);
      yearAt = n >= years.length ? null : years[n];
      yearLabel();
      applyFilters();
      saveState();
    });
    yearLabel();
  }
  var playing = null;
  var play = document.getElementById("cg-play");
  function stop() { clearInterval(playing); playing = null; play.textContent = "Play the years"; }
  play.addEventListener("click", function () {
    if (playing !== null) { stop(); return; }
    var n = 0;
    play.textContent = "Stop";
    slider.value = "0";
    slider.dispatchEvent(new Event("input"));
    playing = setInterval(function () {
      n += 1;
      slider.value = String(n);
      slider.dispatchEvent(new Event("input"));
      if (n >= years.length) stop();
    }, 1000);
  });

  // ---------------------------------------------------------------- colour by
  var colourBy = data.color || "kind";
  function entityColour(e, by) {
    if (by === "kind") return data.kinds[ov.kind[e]].colour;
    var n = ov.colour[by][e];
    return n >= 0 ? data.groups[by][n].colour : data.noGroup;
  }
  function memberStyle(e) {
    if (colourBy === "kind") return { group: "k" + ov.kind[e] };
    var fill = entityColour(e, colourBy);
    return { group: "k" + ov.kind[e], color: { background: fill, border: fill,
      highlight: { background: fill, border: "#111" }, hover: { background: fill, border: "#111" } } };
  }
  function recolour(by) {
    colourBy = by;
    // A closed group takes the colour most of its members have (kind: the group blue).
    for (var k = 0; k < G; k++) {
      if (by === "kind") { groupFill[k] = GROUP_COLOUR; continue; }
      var tally = {}, best = null;
      members[k].forEach(function (e) {
        var c = entityColour(e, by);
        tally[c] = (tally[c] || 0) + 1;
        if (best === null || tally[c] > tally[best]) best = c;
      });
      groupFill[k] = best || data.noGroup;
    }
    nodes.update(ov.groups.map(function (gr, k) { return groupNode(k); }));
    var change = [];
    Object.keys(opened).forEach(function (k) {
      members[k].forEach(function (e) {
        var st = memberStyle(e);
        change.push({ id: ov.ids[e], group: st.group, color: st.color || null });
      });
    });
    if (change.length) nodes.update(change);
    document.querySelectorAll("#cg-kinds button").forEach(function (b, n) {
      var shape = b.querySelector("svg > *");
      if (shape) shape.setAttribute("fill", by === "kind" ? data.kinds[n].colour : data.noGroup);
    });
    var box = document.getElementById("cg-groups");
    box.replaceChildren();
    (by === "kind" ? [] : data.groups[by]).slice(0, 40).forEach(function (gr) {
      var r = el("div", null, "cg-row");
      r.appendChild(swatch("dot", gr.colour));
      r.appendChild(el("span", gr.label));
      r.appendChild(el("span", fmtN(gr.count), "cg-n"));
      box.appendChild(r);
    });
    if (by !== "kind" && data.groups[by].length > 40) {
      box.appendChild(el("div", "and " + (data.groups[by].length - 40) + " more, in grey", "cg-hint"));
    }
  }
  var colourSel = document.getElementById("cg-color");
  colourSel.value = colourBy;
  colourSel.addEventListener("change", function () { recolour(colourSel.value); saveState(); });
  if (colourBy !== "kind") recolour(colourBy);

  // ---------------------------------------------------------------- opening and closing groups
  function openGroup(k) {
    if (opened[k]) return;
    opened[k] = true;
    var m = members[k], add = [];
    for (var t = 0; t < m.length; t++) {
      var e = m[t], at = memberAt(k, e), st = memberStyle(e);
      posOf[e] = at;
      var node = { id: ov.ids[e], x: at.x, y: at.y, value: ov.value[e], group: st.group, hidden: !entityShown(e) };
      if (st.color) node.color = st.color;
      add.push(node);
    }
    nodes.update(groupNode(k));
    nodes.add(add);
    drawnEntities += m.length;
    syncLinks();
    groupLinks();
    counted();
  }
  function closeGroup(k) {
    if (!opened[k]) return;
    delete opened[k];
    syncLinks();
    nodes.remove(members[k].map(function (e) { delete posOf[e]; return ov.ids[e]; }));
    drawnEntities -= members[k].length;
    nodes.update(groupNode(k));
    groupLinks();
    counted();
  }

  // ---------------------------------------------------------------- details (panel and tooltip)
  function dlRow(dl, k, v) {
    if (v === undefined || v === null || v === "") return;
    dl.appendChild(el("dt", k));
    dl.appendChild(el("dd", v));
  }
  function button(text, onClick) {
    var b = el("button", text, "cg-link");
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }
  function markWhy(e) {
    var m = ov.mark[e];
    if (!m) return "";
    return m === "gap" ? "A gap: isolated, or linked only through one broker" : "One of the top connectors";
  }
  function entityDetails(e, full) {
    var box = el("div");
    box.appendChild(el(full ? "h2" : "strong", ov.labels[e]));
    var dl = el("dl");
    dlRow(dl, "Kind", data.kinds[ov.kind[e]].label);
    dlRow(dl, "Group", ov.groups[ov.group[e]].label);
    if (ov.aliases[e]) dlRow(dl, "Also known as", ov.aliases[e].join(", "));
    dlRow(dl, (MEASURES[data.sizeBy] || { name: data.sizeBy }).name, fmt(ov.value[e]));
    if (yearOf[e]) dlRow(dl, "In the network from", yearOf[e]);
    if (isNew[e]) dlRow(dl, "New", "not in " + data.since);
    dlRow(dl, "Marked", markWhy(e));
    dlRow(dl, "Id", ov.ids[e]);
    box.appendChild(dl);
    if (full) box.appendChild(partnersList(e));
    return box;
  }
  function partnersList(e) {
    var L = ov.links, rows = [];
    linksOf(e).forEach(function (q) {
      var st = styleOf[L[3 * q + 2]];
      if (st === "suggested") return;
      rows.push([L[3 * q] === e ? L[3 * q + 1] : L[3 * q], data.styles[L[3 * q + 2]].label]);
    });
    rows.sort(function (a, b) {
      var x = ov.labels[a[0]].toLowerCase(), y = ov.labels[b[0]].toLowerCase();
      return x < y ? -1 : x > y ? 1 : a[0] - b[0];
    });
    var box = el("div", null, "cg-partners");
    box.appendChild(el("div", rows.length + (rows.length === 1 ? " partner" : " partners"), "cg-h"));
    var ul = el("ul");
    rows.slice(0, 300).forEach(function (r) {
      var li = el("li");
      var b = button(ov.labels[r[0]], function () { showEntity(r[0]); });
      b.dataset.partner = ov.ids[r[0]];
      li.appendChild(b);
      li.appendChild(el("span", " " + r[1].toLowerCase() + " (" + ov.groups[ov.group[r[0]]].label + ")", "cg-rel"));
      ul.appendChild(li);
    });
    if (rows.length > 300) ul.appendChild(el("li", "and " + (rows.length - 300) + " more", "cg-hint"));
    box.appendChild(ul);
    return box;
  }
  function groupDetails(k) {
    var gr = ov.groups[k], box = el("div");
    box.appendChild(el("h2", gr.label));
    box.appendChild(el("p", fmtN(gr.count) + (gr.count === 1 ? " member" : " members") + (opened[k] ? ", drawn in its disc (click it again to close it)" : "; click it to open it")));
    var dl = el("dl");
    var kinds = {};
    members[k].forEach(function (e) { kinds[ov.kind[e]] = (kinds[ov.kind[e]] || 0) + 1; });
    Object.keys(kinds).sort(function (a, b) { return kinds[b] - kinds[a]; }).forEach(function (n) {
      dlRow(dl, data.kinds[n].label, fmtN(kinds[n]));
    });
    if (groupNew[k]) dlRow(dl, "New since " + data.since, fmtN(groupNew[k]));
    if (groupMarked[k]) dlRow(dl, "Ringed", fmtN(groupMarked[k]));
    box.appendChild(dl);
    var top = el("div", null, "cg-partners");
    top.appendChild(el("div", "Largest members", "cg-h"));
    var ul = el("ul");
    members[k].slice(0, 12).forEach(function (e) {
      var li = el("li");
      li.appendChild(button(ov.labels[e], function () { showEntity(e); }));
      ul.appendChild(li);
    });
    top.appendChild(ul);
    var near = [];
    for (var q = 0; q < ov.between.length; q += 3) {
      if (ov.between[q] === k) near.push([ov.between[q + 1], ov.between[q + 2]]);
      else if (ov.between[q + 1] === k) near.push([ov.between[q], ov.between[q + 2]]);
    }
    near.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
    if (near.length) {
      top.appendChild(el("div", "Most linked groups", "cg-h"));
      var ul2 = el("ul");
      near.forEach(function (n) {
        var li = el("li");
        li.appendChild(button(ov.groups[n[0]].label, function () { showGroup(n[0]); }));
        li.appendChild(el("span", " " + fmtN(n[1]) + " links", "cg-rel"));
        ul2.appendChild(li);
      });
      top.appendChild(ul2);
    }
    box.appendChild(top);
    return box;
  }
  var tip = document.getElementById("cg-tip");
  function showTip(content, domPoint) {
    tip.replaceChildren(content);
    tip.hidden = false;
    var rect = container.getBoundingClientRect(), outer = mapBox.getBoundingClientRect();
    var x = rect.left - outer.left + domPoint.x + 14, yy = rect.top - outer.top + domPoint.y + 14;
    if (x + tip.offsetWidth > outer.width) x = Math.max(0, x - tip.offsetWidth - 28);
    if (yy + tip.offsetHeight > outer.height) yy = Math.max(0, yy - tip.offsetHeight - 28);
    tip.style.left = x + "px";
    tip.style.top = yy + "px";
  }
  function hideTip() { tip.hidden = true; tip.replaceChildren(); }
  network.on("hoverNode", function (p) {
    var id = String(p.node), box;
    if (id.slice(0, 2) === "g:") {
      var gr = ov.groups[Number(id.slice(2))];
      box = el("div");
      box.appendChild(el("strong", gr.label));
      box.appendChild(el("span", fmtN(gr.count) + (gr.count === 1 ? " member" : " members")));
    } else {
      box = entityDetails(entityIndex(id), false);
    }
    showTip(box, p.pointer.DOM);
  });
  network.on("hoverEdge", function (p) {
    var id = String(p.edge);
    if (id.slice(0, 2) !== "gl") return;
    var q = Number(id.slice(2)), box = el("div");
    box.appendChild(el("strong", ov.groups[ov.between[q]].label + " \u2014 " + ov.groups[ov.between[q + 1]].label));
    box.appendChild(el("span", fmtN(ov.between[q + 2]) + " links between their members"));
    showTip(box, p.pointer.DOM);
  });
  network.on("blurNode", hideTip);
  network.on("blurEdge", hideTip);
  network.on("dragStart", hideTip);
  network.on("zoom", hideTip);

  var state = { focus: null, q: "", group: null };
  // The discs of groups `ks` in view, with room for their names.
  function viewGroups(ks) {
    if (!ks.length) return;
    network.fit({ nodes: ks.map(function (k) { return "g:" + k; }), animation: false });
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    ks.forEach(function (k) {
      var gr = ov.groups[k];
      x0 = Math.min(x0, gr.x - gr.r); x1 = Math.max(x1, gr.x + gr.r);
      y0 = Math.min(y0, gr.y - gr.r); y1 = Math.max(y1, gr.y + gr.r);
    });
    var scale = 0.85 * Math.min(container.clientWidth / (x1 - x0), container.clientHeight / (y1 - y0));
    network.moveTo({ position: { x: (x0 + x1) / 2, y: (y0 + y1) / 2 }, scale: scale, animation: false });
  }
  function showGroup(k) {
    network.unselectAll();
    viewGroups([k]);
    info.replaceChildren(groupDetails(k));
    state.focus = null;
    state.group = k;
    saveState();
  }
  function showEntity(e) {
    openGroup(ov.group[e]);
    var id = ov.ids[e];
    if (nodes.get(id).hidden) nodes.update({ id: id, hidden: false });
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(0.6, network.getScale()), animation: false });
    info.replaceChildren(entityDetails(e, true));
    state.focus = id;
    saveState();
    return id;
  }
  network.on("click", function (p) {
    if (!p.nodes.length) return;
    var id = String(p.nodes[0]);
    if (id.slice(0, 2) === "g:") {
      var k = Number(id.slice(2));
      if (opened[k]) closeGroup(k); else { openGroup(k); viewGroups([k]); }
      network.unselectAll();
      info.replaceChildren(groupDetails(k));
      state.focus = null;
      state.group = k;
      saveState();
    } else {
      var e = entityIndex(id);
      if (e !== undefined) { info.replaceChildren(entityDetails(e, true)); state.focus = id; saveState(); }
    }
  });

  // ---------------------------------------------------------------- names on the canvas
  // Drawn here, not by vis-network, so that they never cover each other: group names
  // first, largest group first (inside its disc when it fits there, else beneath it),
  // then the names of open groups' members, biggest dot first; a name that would cover
  // one already placed, or a disc it does not belong to, is left out (zooming in makes
  // room). Every name is still in the tooltip, the panel and the search.
  var LABEL_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
  var measure = document.createElement("canvas").getContext("2d");
  var widthCache = {};
  function textWidth(text, font) {
    var key = font + "|" + text;
    if (widthCache[key] === undefined) { measure.font = font; widthCache[key] = measure.measureText(text).width; }
    return widthCache[key];
  }
  var byCount = ov.groups.map(function (gr, k) { return k; })
    .sort(function (a, b) { return ov.groups[b].count - ov.groups[a].count || a - b; });
  var MEMBER_NAMES = 400;  // per open group, candidates for a name
  network.on("beforeDrawing", function (ctx) {
    // A programmatic move (fit, focus, the URL's view) fires no zoom event.
    if (Math.abs(network.getScale() - widthAt) > 1e-9) setTimeout(keepWidths, 0);
    var a = network.DOMtoCanvas({ x: 0, y: 0 });
    var z = network.DOMtoCanvas({ x: container.clientWidth, y: container.clientHeight });
    ctx.save();
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(a.x, a.y, z.x - a.x, z.y - a.y);
    Object.keys(opened).forEach(function (key) {
      var gr = ov.groups[key];
      ctx.beginPath();
      ctx.arc(gr.x, gr.y, gr.r, 0, 2 * Math.PI);
      ctx.fillStyle = "#f1f4f9";
      ctx.fill();
      ctx.lineWidth = 1.5 / network.getScale();
      ctx.strokeStyle = "#b8c4d8";
      ctx.stroke();
    });
    ctx.restore();
  });
  network.on("afterDrawing", function (ctx) {
    var scale = network.getScale(), u = 1 / scale;
    var v0 = network.DOMtoCanvas({ x: 0, y: 0 });
    var v1 = network.DOMtoCanvas({ x: container.clientWidth, y: container.clientHeight });
    var placed = [], named = [];
    function inView(b) { return b[0] >= v0.x && b[2] <= v1.x && b[1] >= v0.y && b[3] <= v1.y; }
    function free(b, skipDisc) {
      for (var n = 0; n < placed.length; n++) {
        var o = placed[n];
        if (!(b[2] <= o[0] || b[0] >= o[2] || b[3] <= o[1] || b[1] >= o[3])) return false;
      }
      if (skipDisc === undefined) return true;
      // A name beside its disc stays off the other closed discs big enough to see.
      for (var d = 0; d < G; d++) {
        if (d === skipDisc || opened[d]) continue;
        var gr = ov.groups[d];
        if (gr.r * scale < 3) continue;
        var cx = Math.max(b[0], Math.min(gr.x, b[2])), cy = Math.max(b[1], Math.min(gr.y, b[3]));
        if ((cx - gr.x) * (cx - gr.x) + (cy - gr.y) * (cy - gr.y) < gr.r * gr.r) return false;
      }
      return true;
    }
    function write(lines, b, fill, stroke, px, what) {
      ctx.font = "600 " + px * u + "px " + LABEL_FONT;
      ctx.fillStyle = fill;
      ctx.strokeStyle = stroke;
      ctx.lineWidth = 4 * u;
      ctx.lineJoin = "round";
      ctx.textAlign = "center";
      ctx.textBaseline = "top";
      var cx = (b[0] + b[2]) / 2;
      lines.forEach(function (t, n) {
        if (n === 1) ctx.font = px * 0.85 * u + "px " + LABEL_FONT;
        var yy = b[1] + n * px * 1.2 * u;
        if (stroke) ctx.strokeText(t, cx, yy);
        ctx.fillText(t, cx, yy);
      });
      placed.push(b);
      named.push(what);
    }
    ctx.save();
    // Rings: what is new since the earlier edition, and the gaps or connectors asked for.
    var ringed = ov["new"].concat(Object.keys(ov.mark).map(Number));
    ctx.lineWidth = 3 * Math.min(u, 3);
    ringed.forEach(function (e, n) {
      var p = posOf[e];
      if (!p || !entityShown(e)) return;
      var body = network.body.nodes[ov.ids[e]];
      var r = body ? (body.shape.radius || body.options.size || 8) : 8;
      ctx.strokeStyle = n < ov["new"].length ? NEW_COLOUR : MARKS[ov.mark[e]].colour;
      ctx.beginPath();
      ctx.arc(p.x, p.y, r + ctx.lineWidth * 1.4, 0, 2 * Math.PI);
      ctx.stroke();
    });
    // The selected entity's name, always.
    network.getSelectedNodes().forEach(function (id) {
      var e = entityIndex(String(id)), p = posOf[e];
      if (e === undefined || !p) return;
      var px = 14, w = textWidth(ov.labels[e], "600 " + px + "px " + LABEL_FONT) * u, h = px * 1.25 * u;
      var b = [p.x - w / 2 - 2 * u, p.y + 10 * u, p.x + w / 2 + 2 * u, p.y + 10 * u + h];
      write([ov.labels[e]], b, "#111", "#ffffff", px, ov.ids[e]);
    });
    // The open groups' names first (the reader is looking at them), then largest first.
    var order = Object.keys(opened).map(Number).concat(byCount.filter(function (k) { return !opened[k]; }));
    for (var r = 0; r < order.length; r++) {
      var k = order[r], gr = ov.groups[k], R = gr.r * scale;  // screen px
      if (R < 2) continue;
      var px = Math.max(11, Math.min(16, 9 + R / 12));
      var line2 = fmtN(gr.count) + (gr.count === 1 ? " member" : " members") + (opened[k] ? " (open)" : "");
      var font = "600 " + px + "px " + LABEL_FONT;
      var w = Math.max(textWidth(gr.label, font), textWidth(line2, px * 0.85 + "px " + LABEL_FONT)) * u + 6 * u;
      var h = px * 2.3 * u, gap = 3 * u;
      var inside = !opened[k] && w < 1.6 * gr.r && h < 1.1 * gr.r;
      // On the disc (white when it fits inside, dark on a white halo when it spills over
      // its neighbours); an open group's name above or beneath its disc. A name that
      // would cover one already drawn tries beside the disc, then is left out.
      var slots = opened[k] ? [[gr.x - w / 2, gr.y - gr.r - gap - h], [gr.x - w / 2, gr.y + gr.r + gap]]
        : [[gr.x - w / 2, gr.y - h / 2], [gr.x - w / 2, gr.y + gr.r + gap], [gr.x - w / 2, gr.y - gr.r - gap - h],
           [gr.x + gr.r + gap, gr.y - h / 2], [gr.x - gr.r - gap - w, gr.y - h / 2]];
      for (var sl = 0; sl < slots.length; sl++) {
        var b = [slots[sl][0], slots[sl][1], slots[sl][0] + w, slots[sl][1] + h];
        if (sl === 0 && gr.x > v0.x && gr.x < v1.x && gr.y > v0.y && gr.y < v1.y) {
          // A disc near the edge of the view keeps its name on it, moved inside the view.
          var dx = Math.max(0, v0.x - b[0]) - Math.max(0, b[2] - v1.x);
          var dy = Math.max(0, v0.y - b[1]) - Math.max(0, b[3] - v1.y);
          b = [b[0] + dx, b[1] + dy, b[2] + dx, b[3] + dy];
        }
        if (!inView(b) || !free(b, sl === 0 && !opened[k] ? undefined : k)) continue;
        if (inside && sl === 0) write([gr.label, line2], b, "#ffffff", "rgba(20,40,80,0.6)", px, "g:" + k);
        else write([gr.label, line2], b, "#14233b", "rgba(255,255,255,0.92)", px, "g:" + k);
        break;
      }
    }
    Object.keys(opened).forEach(function (key) {
      var m = members[Number(key)];
      for (var t = 0; t < m.length && t < MEMBER_NAMES; t++) {
        var e = m[t], p = posOf[e];
        if (!p || !entityShown(e)) continue;
        if (p.x < v0.x || p.x > v1.x || p.y < v0.y || p.y > v1.y) continue;
        var body = network.body.nodes[ov.ids[e]];
        var rr = body ? (body.shape.radius || body.options.size || 6) : 6;
        var px2 = 12, w2 = textWidth(ov.labels[e], "600 " + px2 + "px " + LABEL_FONT) * u + 4 * u;
        var b2 = [p.x - w2 / 2, p.y + rr + 2 * u, p.x + w2 / 2, p.y + rr + 2 * u + px2 * 1.25 * u];
        if (!inView(b2) || !free(b2)) continue;
        write([ov.labels[e]], b2, "#1d2430", "#ffffff", px2, ov.ids[e]);
      }
    });
    ctx.restore();
    // For tests and for anyone scripting the page: which names are on screen, where (DOM px).
    window.cg.labels = placed.map(function (b, n) {
      var p0 = network.canvasToDOM({ x: b[0], y: b[1] }), p1 = network.canvasToDOM({ x: b[2], y: b[3] });
      return { id: named[n], x0: p0.x, y0: p0.y, x1: p1.x, y1: p1.y };
    });
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
    state.q = search.value.trim();
    saveState();
    if (!q) return [];
    var hits = [];
    for (var e = 0; e < N; e++) if (entityShown(e) && matches(e, q)) hits.push(e);
    hits.slice(0, 50).forEach(function (e) {
      var b = el("button", ov.labels[e] + " (" + ov.groups[ov.group[e]].label + ")");
      b.type = "button";
      b.addEventListener("click", function () { showEntity(e); });
      found.appendChild(b);
    });
    if (hits.length > 50) found.appendChild(el("span", "and " + fmtN(hits.length - 50) + " more", "cg-hint"));
    if (!hits.length) found.appendChild(el("span", "No entity matches.", "cg-hint"));
    if (go && hits.length) showEntity(hits[0]);
    return hits.map(function (e) { return ov.ids[e]; });
  }
  var timer = null;
  search.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(function () { runSearch(false); }, 200); });
  search.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { clearTimeout(timer); runSearch(true); } });
  function resetView() {
    Object.keys(opened).map(Number).forEach(closeGroup);
    search.value = "";
    found.replaceChildren();
    shownKinds = data.kinds.map(function () { return true; });
    shownStyles = initialStyles.slice();
    document.querySelectorAll(".cg-legend button").forEach(function (b) {
      var n = b.dataset.kind !== undefined ? data.kinds.findIndex(function (k) { return k.id === b.dataset.kind; }) : -1;
      var s = b.dataset.style !== undefined ? data.styles.findIndex(function (st) { return st.id === b.dataset.style; }) : -1;
      b.setAttribute("aria-pressed", String(n >= 0 ? shownKinds[n] : shownStyles[s]));
    });
    yearAt = null;
    if (years.length) { slider.value = String(years.length); yearLabel(); }
    var first = data.color || "kind";
    if (colourBy !== first) { colourSel.value = first; recolour(first); }
    network.unselectAll();
    info.replaceChildren(infoHint.cloneNode(true));
    fitAll();
    state = { focus: null, q: "", group: null };
    saveState();
  }
  document.getElementById("cg-reset").addEventListener("click", resetView);

  // ---------------------------------------------------------------- the view in the URL
  // As on the full map: focus, search, hidden kinds, link kinds, colour, year, zoom and
  // centre, and which groups are open, live in the fragment (map.html#focus=laedc&open=3).
  var KEEPS_URL = data.page === "map" || data.page === "embed";
  var restoring = false;
  function encodeState() {
    var parts = [];
    function put(k, v) { parts.push(k + "=" + encodeURIComponent(v).replace(/%2C/g, ",")); }
    if (state.focus) put("focus", state.focus);
    if (state.q) put("q", state.q);
    var open = Object.keys(opened).map(function (k) { return ov.groups[k].id; });
    if (open.length) put("open", open.join(","));
    var hide = data.kinds.filter(function (k, n) { return !shownKinds[n]; }).map(function (k) { return k.id; });
    if (hide.length) put("hide", hide.join(","));
    var links = data.styles.filter(function (st, n) { return shownStyles[n] !== initialStyles[n]; })
      .map(function (st) { return st.id; });
    if (links.length) put("links", links.join(","));
    if (colourBy !== (data.color || "kind")) put("color", colourBy);
    if (yearAt !== null) put("year", yearAt);
    if (state.zoom) put("zoom", state.zoom);
    if (state.at) put("at", state.at);
    return parts.join("&");
  }
  function saveState() {
    if (!KEEPS_URL || restoring) return;
    var hash = encodeState();
    var url = location.href.split("#")[0] + (hash ? "#" + hash : "");
    try { history.replaceState(null, "", url); } catch (err) { location.replace(hash ? "#" + hash : "#"); }
  }
  function decodeState(hash) {
    var out = {};
    hash.replace(/^#/, "").split("&").forEach(function (kv) {
      if (!kv) return;
      var n = kv.indexOf("=");
      var k = n < 0 ? kv : kv.slice(0, n), v = n < 0 ? "" : kv.slice(n + 1);
      try { out[k] = decodeURIComponent(v.replace(/\+/g, " ")); } catch (err) { out[k] = v; }
    });
    return out;
  }
  function restoreState() {
    if (!KEEPS_URL || !location.hash) return;
    var s = decodeState(location.hash);
    restoring = true;
    try {
      (s.hide || "").split(",").forEach(function (id) {
        var n = data.kinds.findIndex(function (k) { return k.id === id; });
        if (n >= 0) shownKinds[n] = false;
      });
      (s.links || "").split(",").forEach(function (id) {
        var n = data.styles.findIndex(function (st) { return st.id === id; });
        if (n >= 0) shownStyles[n] = !initialStyles[n];
      });
      document.querySelectorAll(".cg-legend button").forEach(function (b) {
        var n = data.kinds.findIndex(function (k) { return k.id === b.dataset.kind; });
        var st = data.styles.findIndex(function (x) { return x.id === b.dataset.style; });
        b.setAttribute("aria-pressed", String(b.dataset.kind !== undefined ? shownKinds[n] : shownStyles[st]));
      });
      if (s.color && s.color !== colourBy && data.groups[s.color] || s.color === "kind") { colourSel.value = s.color; recolour(s.color); }
      var yr = years.indexOf(Number(s.year));
      if (s.year && yr >= 0) { slider.value = String(yr); yearAt = years[yr]; yearLabel(); }
      var gid = {};
      ov.groups.forEach(function (gr, k) { gid[gr.id] = k; });
      var open = (s.open || "").split(",").filter(function (id) { return id in gid; })
        .map(function (id) { return gid[id]; });
      open.forEach(openGroup);
      if (open.length && !s.focus && !s.zoom) viewGroups(open);
      applyFilters();
      if (s.q) { search.value = s.q; runSearch(!s.focus); }
      if (s.focus && entityIndex(s.focus) !== undefined) showEntity(entityIndex(s.focus));
      var zoom = parseFloat(s.zoom), at = (s.at || "").split(",").map(parseFloat);
      if (zoom > 0 && at.length === 2 && isFinite(at[0]) && isFinite(at[1])) {
        network.moveTo({ position: { x: at[0], y: at[1] }, scale: zoom, animation: false });
        state.zoom = s.zoom;
        state.at = s.at;
      }
    } finally {
      restoring = false;
    }
    saveState();
  }
  var viewTimer = null;
  function viewChanged() {
    clearTimeout(viewTimer);
    viewTimer = setTimeout(function () {
      var p = network.getViewPosition();
      state.zoom = network.getScale().toFixed(4);
      state.at = Math.round(p.x) + "," + Math.round(p.y);
      saveState();
    }, 250);
  }
  network.on("zoom", viewChanged);
  network.on("dragEnd", function (p) { if (!p.nodes.length) viewChanged(); });

  window.cg.search = function (text) { search.value = text; return runSearch(true); };
  window.cg.open = function (k) { openGroup(k); };
  window.cg.close = function (k) { closeGroup(k); };
  window.cg.show = function (id) { var e = entityIndex(id); return e === undefined ? null : showEntity(e); };
  window.cg.state = function () { return encodeState(); };
  window.cg.colourBy = function (by) { colourSel.value = by; recolour(by); };
  window.cg.year = function (yr) {
    var n = years.indexOf(yr);
    slider.value = String(n < 0 ? years.length : n);
    slider.dispatchEvent(new Event("input"));
  };
  counted();
  network.once("afterDrawing", function () {
    restoreState();
    timing.drawn = performance.now();
    window.cg.ready = true;
    document.body.setAttribute("data-cg-ready", "1");
  });
