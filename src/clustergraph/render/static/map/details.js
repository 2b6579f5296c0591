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
  var MEASURES = data.measures;
  function measureText(key, v) {
    var f = (MEASURES[key] || {}).format;
    if (typeof v !== "number") return String(v);
    if (f === "percent") return (100 * v).toFixed(v >= 0.1 ? 0 : 1) + "%";
    if (f === "ratio") return v.toFixed(2);
    if (f === "number") return v.toFixed(1);
    return fmt(v);
  }
  function kindText(n) {
    var words = n.category ? (data.categories || {})[n.category] : "";
    var kind = (kindStyle[n.kind] || {}).label || n.kind;
    // "Organization: economic development organization" says it twice; the type alone is enough.
    if (!words) return kind;
    return words.charAt(0).toUpperCase() + words.slice(1);
  }
  // Each node's partners, from the links drawn (suggested partnerships are not partners yet).
  var partnerIndex = null;
  function partnersOf(id) {
    if (!partnerIndex) {
      partnerIndex = {};
      data.edges.forEach(function (e) {
        if (e.style === "suggested") return;
        (partnerIndex[e.from] = partnerIndex[e.from] || []).push({ id: e.to, edge: e });
        (partnerIndex[e.to] = partnerIndex[e.to] || []).push({ id: e.from, edge: e });
      });
      Object.keys(partnerIndex).forEach(function (k) {
        partnerIndex[k].sort(function (a, b) {
          var x = byId[a.id].label.toLowerCase(), y = byId[b.id].label.toLowerCase();
          return x < y ? -1 : x > y ? 1 : 0;
        });
      });
    }
    return partnerIndex[id] || [];
  }
  function partnersList(n) {
    var partners = partnersOf(n.id);
    var box = el("div", null, "cg-partners");
    box.appendChild(el("div", partners.length + (partners.length === 1 ? " partner" : " partners"), "cg-h"));
    var ul = el("ul");
    partners.forEach(function (p) {
      var li = el("li");
      var b = el("button", byId[p.id].label, "cg-link");
      b.type = "button";
      b.dataset.partner = p.id;
      b.addEventListener("click", function () { focusNode(p.id); });
      li.appendChild(b);
      li.appendChild(el("span", " " + (p.edge.words || ""), "cg-rel"));
      if (p.edge.sources && p.edge.sources.length) {
        li.appendChild(el("span", " \u2014 " + p.edge.sources.map(function (i) { return data.sources[i].title; }).join("; "), "cg-src"));
      }
      ul.appendChild(li);
    });
    box.appendChild(ul);
    return box;
  }
  function nodeDetails(n, clickable) {
    var box = el("div");
    box.appendChild(el(clickable ? "h2" : "strong", n.label));
    var dl = el("dl");
    row(dl, "Kind", kindText(n));
    row(dl, "Status", n.status ? n.status.replace(/-/g, " ") : "");
    row(dl, "Also known as", n.aliases);
    row(dl, "Clusters", (n.clusters || []).map(function (c) { return clusterLabel[c] || c; }));
    row(dl, "Value chain", n.value_chain);
    row(dl, "City", n.city);
    Object.keys(n.m || {}).forEach(function (k) {
      var m = MEASURES[k] || { name: k, explain: "" };
      dl.appendChild(el("dt", m.name));
      var dd = el("dd", measureText(k, n.m[k]));
      if (clickable && m.explain) dd.appendChild(el("span", " (" + m.explain + ")", "cg-explain"));
      dl.appendChild(dd);
    });
    if (n.spof) row(dl, "Single point of failure", n.spof);
    if (n["new"]) row(dl, "New", "not in " + data.since);
    box.appendChild(dl);
    if (n.disputed && n.disputed.length) {
      box.appendChild(el("div", "Disputed", "cg-h"));
      var ul = el("ul", null, "cg-disputed");
      n.disputed.forEach(function (d) {
        var srcs = (d.sources || []).join(", ");
        ul.appendChild(el("li", d.field.replace(/_/g, " ") + ": another source gives " + d.value +
          (srcs ? " (" + srcs + ")" : "") + (d.note ? ". " + d.note : "")));
      });
      box.appendChild(ul);
    }
    if (n.why) box.appendChild(el("p", n.why, "cg-why"));
    if (clickable) box.appendChild(partnersList(n));
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
    row(dl, "Link", (edgeStyle[e.style] || {}).label);
    row(dl, "Relations", e.words);
    row(dl, "Since", e.since);
    row(dl, "Until", e.until);
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
  var infoHint = info.firstElementChild ? info.firstElementChild.cloneNode(true) : el("p");
  network.on("click", function (p) {
    if (p.nodes.length) { info.replaceChildren(nodeDetails(byId[p.nodes[0]], true)); state.focus = p.nodes[0]; saveState(); }
    else if (p.edges.length && edgeInfo[p.edges[0]]) info.replaceChildren(edgeDetails(edgeInfo[p.edges[0]], true));
  });

