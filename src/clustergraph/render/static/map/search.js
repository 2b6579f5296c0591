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
