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

