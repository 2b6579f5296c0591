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
  var MEASURE_NAMES = data.measureNames;
  function nodeDetails(n, clickable) {
    var box = el("div");
    box.appendChild(el(clickable ? "h2" : "strong", n.label));
    var dl = el("dl");
    row(dl, "kind", (kindStyle[n.kind] || {}).label + (n.category ? " (" + n.category + ")" : ""));
    row(dl, "sector", n.sector);
    row(dl, "clusters", (n.clusters || []).map(function (c) { return clusterLabel[c] || c; }));
    row(dl, "value chain", n.value_chain);
    row(dl, "city", n.city);
    row(dl, "status", n.status ? n.status.replace("-", " ") : n.status);
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

