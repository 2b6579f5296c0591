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
  var newIds = data.nodes.filter(function (n) { return n["new"]; }).slice(0, 60).map(function (n) { return n.id; });
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
  var MUST_BIGGEST = 8;  // the biggest dots in view always get a name
  // Where a name may go around its dot: below first, then above, right, left, then a line
  // further down or up, then below and to either side.
  var SLOTS = 10;
  function box(slot, p, r, w, h, pad) {
    var below = [p.x - w / 2 - pad, p.y + r + pad, p.x + w / 2 + pad, p.y + r + pad + h];
    var above = [p.x - w / 2 - pad, p.y - r - pad - h, p.x + w / 2 + pad, p.y - r - pad];
    function shift(b, dx, dy) { return [b[0] + dx, b[1] + dy, b[2] + dx, b[3] + dy]; }
    switch (slot) {
      case 0: return below;
      case 1: return above;
      case 2: return [p.x + r + pad, p.y - h / 2, p.x + r + 2 * pad + w, p.y + h / 2];
      case 3: return [p.x - r - 2 * pad - w, p.y - h / 2, p.x - r - pad, p.y + h / 2];
      case 4: return shift(below, 0, h);
      case 5: return shift(above, 0, -h);
      case 6: return shift(below, w / 2, 0);
      case 7: return shift(below, -w / 2, 0);
      case 8: return shift(above, w / 2, 0);
      default: return shift(above, -w / 2, 0);
    }
  }
  network.on("afterDrawing", function (ctx) {
    drawMarks(ctx);
    var scale = network.getScale(), size = LABEL_PX / scale, pad = 2 / scale;
    var view = [network.DOMtoCanvas({ x: 0, y: 0 }),
                network.DOMtoCanvas({ x: container.clientWidth, y: container.clientHeight })];
    // Names that must be drawn: the selected nodes (search hits are selected), the
    // partners of a node one clicked, what is new, then the biggest dots in view.
    var selected = network.getSelectedNodes();
    var must = selected.slice();
    if (selected.length === 1) partnersOf(selected[0]).forEach(function (p) { must.push(p.id); });
    newIds.forEach(function (id) { must.push(id); });
    var pos = network.getPositions(must.concat(labelOrder));
    function inView(id) {
      var p = pos[id];
      return p && p.x >= view[0].x && p.x <= view[1].x && p.y >= view[0].y && p.y <= view[1].y;
    }
    var biggest = 0;
    for (var b = 0; b < labelOrder.length && biggest < MUST_BIGGEST; b++) {
      var bid = labelOrder[b];
      if (!hiddenNode[bid] && !dimNode[bid] && inView(bid)) { must.push(bid); biggest++; }
    }
    var firm = {};
    must.forEach(function (id) { firm[id] = true; });
    var ids = must.concat(labelOrder);
    var placed = [], named = [], seen = {};
    // The big dots are obstacles too, so no name is written across a hub.
    var discs = [];
    for (var k = 0; k < labelOrder.length && discs.length < 40; k++) {
      var did = labelOrder[k], dot = network.body.nodes[did];
      var dr = dot ? (dot.shape.radius || dot.options.size || 0) : 0;
      if (!hiddenNode[did] && pos[did] && dr >= BIG_DOT) discs.push([did, pos[did].x, pos[did].y, dr + pad]);
    }
    function fits(id, bx, avoidDiscs) {
      if (bx[0] < view[0].x || bx[2] > view[1].x || bx[1] < view[0].y || bx[3] > view[1].y) return false;
      for (var j = 0; j < placed.length; j++) {
        var o = placed[j];
        if (!(bx[2] <= o[0] || bx[0] >= o[2] || bx[3] <= o[1] || bx[1] >= o[3])) return false;
      }
      if (!avoidDiscs) return true;
      for (var d = 0; d < discs.length; d++) {
        var c = discs[d];
        if (c[0] === id) continue;
        var cx = Math.max(bx[0], Math.min(c[1], bx[2])), cy = Math.max(bx[1], Math.min(c[2], bx[3]));
        if ((cx - c[1]) * (cx - c[1]) + (cy - c[2]) * (cy - c[2]) <= c[3] * c[3]) return false;
      }
      return true;
    }
    ctx.save();
    ctx.textAlign = "left";
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    ctx.lineWidth = 3 / scale;
    ctx.strokeStyle = "#ffffff";
    ctx.fillStyle = "#1d2430";
    for (var i = 0; i < ids.length; i++) {
      var id = ids[i];
      if (seen[id] || hiddenNode[id] || (dimNode[id] && !firm[id]) || !pos[id]) continue;
      seen[id] = true;
      var body = network.body.nodes[id];
      var r = body ? (body.shape.radius || body.options.size || 10) : 10;
      var w = widthAt100(id) * size / 100, h = size * 1.2;
      // An ordinary name goes below its dot or not at all; a name that must be drawn
      // tries every side, then lets the dots go, then is drawn below, inside the view.
      var chosen = null, slots = firm[id] ? SLOTS : 2;
      for (var pass = 0; pass < (firm[id] ? 2 : 1) && !chosen; pass++) {
        for (var slot = 0; slot < slots && !chosen; slot++) {
          var bx = box(slot, pos[id], r, w, h, pad);
          if (fits(id, bx, pass === 0)) chosen = bx;
        }
      }
      if (!chosen && firm[id] && inView(id)) {
        chosen = box(0, pos[id], r, w, h, pad);
        var dx = Math.max(0, view[0].x - chosen[0]) - Math.max(0, chosen[2] - view[1].x);
        var dy = chosen[3] > view[1].y ? -(2 * r + 2 * pad + h) : 0;
        chosen = [chosen[0] + dx, chosen[1] + dy, chosen[2] + dx, chosen[3] + dy];
      }
      if (!chosen) continue;
      placed.push(chosen);
      named.push(id);
      ctx.font = (boldName[id] ? "bold " : "") + size + "px " + LABEL_FONT;
      ctx.strokeText(byId[id].label, chosen[0] + pad, chosen[1]);
      ctx.fillText(byId[id].label, chosen[0] + pad, chosen[1]);
    }
    ctx.restore();
    // For tests and for anyone scripting the page: which names are on screen, where (DOM px).
    window.cg.labels = placed.map(function (b, k) {
      var a = network.canvasToDOM({ x: b[0], y: b[1] }), z = network.canvasToDOM({ x: b[2], y: b[3] });
      return { id: named[k], x0: a.x, y0: a.y, x1: z.x, y1: z.y };
    });
    window.cg.mustName = must.filter(function (id, i) { return must.indexOf(id) === i && !hiddenNode[id] && inView(id); });
  });
  // vis-network fits the dots; names hang below them, so leave a margin for the names of
  // the outermost nodes (a name that would cross the edge is not drawn).
  function fitView(ids) {
    network.fit({ nodes: ids || [], animation: false });
    network.moveTo({ scale: network.getScale() * 0.88, animation: false });
  }
  network.once("afterDrawing", function () {
    fitView();
    restoreState();
    timing.drawn = performance.now();
    window.cg.ready = true;
    window.cgReadyAt = performance.now();
    document.body.setAttribute("data-cg-ready", "1");
  });

