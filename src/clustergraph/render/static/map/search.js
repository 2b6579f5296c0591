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
    if (!byId[id]) return;
    network.selectNodes([id]);
    // The node and its partners in view, so every partner's name can be drawn; a hub with
    // very many partners is centered instead, close enough to read.
    var around = partnersOf(id).filter(function (p) { return !hiddenNode[p.id]; }).map(function (p) { return p.id; });
    if (around.length && around.length <= 40) fitView([id].concat(around));
    else network.focus(id, { scale: Math.max(1.2, network.getScale()), animation: false });
    info.replaceChildren(nodeDetails(byId[id], true));
    state.focus = id;
    saveState();
  }
  // A name, an alias ("Lundquist" finds The Lundquist Institute) or an id matches.
  function matches(n, q) {
    if (n.label.toLowerCase().indexOf(q) >= 0 || n.id.indexOf(q) >= 0) return true;
    var a = n.aliases;
    if (a) for (var i = 0; i < a.length; i++) if (a[i].toLowerCase().indexOf(q) >= 0) return true;
    return false;
  }
  function runSearch(fit) {
    var q = search.value.trim().toLowerCase();
    undim();
    found.replaceChildren();
    state.q = search.value.trim();
    saveState();
    if (!q) { network.unselectAll(); return []; }
    var hits = data.nodes.filter(function (n) { return !hiddenNode[n.id] && matches(n, q); })
      .map(function (n) { return n.id; });
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
  // "Show everything" brings back the page as it first opened: every kind, every cluster,
  // the link kinds shown at first (a big map holds its cluster spokes back), no search,
  // nothing selected, the whole network in view.
  function resetView() {
    search.value = "";
    clusterSel.value = "";
    data.kinds.forEach(function (k) { shownKinds[k.id] = true; });
    data.styles.forEach(function (st) { shownStyles[st.id] = initialStyles[st.id]; });
    document.querySelectorAll(".cg-legend button").forEach(function (b) {
      var k = b.dataset.kind, st = b.dataset.style;
      b.setAttribute("aria-pressed", String(k ? shownKinds[k] : shownStyles[st]));
    });
    undim();
    found.replaceChildren();
    applyFilters();
    network.unselectAll();
    info.replaceChildren(infoHint.cloneNode(true));
    fitView();
    state = blankState();
    saveState();
  }
  document.getElementById("cg-reset").addEventListener("click", resetView);
  window.cg.search = function (text) { search.value = text; return runSearch(true); };
  window.cg.focus = focusNode;
  window.cg.visibleIds = visibleIds;
  count.textContent = data.nodes.length + " of " + data.nodes.length + " nodes shown";
