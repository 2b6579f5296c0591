  // ---------------------------------------------------------------- the view in the URL
  // The view (focus, search, hidden kinds and link kinds, cluster, zoom and center)
  // lives in the URL fragment, so a link to map.html#focus=laedc opens that view.
  // Only the map's own page keeps it there: inside the report the fragment is the
  // report's (its sections).
  function blankState() { return { focus: null, q: "", cluster: "", zoom: null, at: null }; }
  var state = blankState();
  var KEEPS_URL = data.page === "map" || data.page === "embed";
  var restoring = false;
  function encodeState() {
    var parts = [];
    function put(k, v) { parts.push(k + "=" + encodeURIComponent(v).replace(/%2C/g, ",")); }
    if (state.focus) put("focus", state.focus);
    if (state.q) put("q", state.q);
    var hide = data.kinds.filter(function (k) { return !shownKinds[k.id]; }).map(function (k) { return k.id; });
    if (hide.length) put("hide", hide.join(","));
    var links = data.styles.filter(function (st) { return shownStyles[st.id] !== initialStyles[st.id]; })
      .map(function (st) { return st.id; });
    if (links.length) put("links", links.join(","));
    if (clusterSel.value) put("cluster", clusterSel.value);
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
      var i = kv.indexOf("=");
      var k = i < 0 ? kv : kv.slice(0, i), v = i < 0 ? "" : kv.slice(i + 1);
      try { out[k] = decodeURIComponent(v.replace(/\+/g, " ")); } catch (err) { out[k] = v; }
    });
    return out;
  }
  function restoreState() {
    if (!KEEPS_URL || !location.hash) return;
    var s = decodeState(location.hash);
    restoring = true;
    try {
      (s.hide || "").split(",").forEach(function (k) { if (k in shownKinds) shownKinds[k] = false; });
      (s.links || "").split(",").forEach(function (st) { if (st in shownStyles) shownStyles[st] = !initialStyles[st]; });
      document.querySelectorAll(".cg-legend button").forEach(function (b) {
        var k = b.dataset.kind, st = b.dataset.style;
        b.setAttribute("aria-pressed", String(k ? shownKinds[k] : shownStyles[st]));
      });
      if (s.cluster && s.cluster in clusterIndex) clusterSel.value = s.cluster;
      applyFilters();
      if (s.cluster) fitView(visibleIds());
      if (s.q) { search.value = s.q; runSearch(!s.focus); }
      state.q = s.q || "";
      if (s.focus && byId[s.focus]) focusNode(s.focus);
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
      state.zoom = network.getScale().toFixed(3);
      state.at = Math.round(p.x) + "," + Math.round(p.y);
      saveState();
    }, 250);
  }
  network.on("zoom", viewChanged);
  network.on("dragEnd", function (p) { if (!p.nodes.length) viewChanged(); });
  window.cg.state = function () { return encodeState(); };
