// The data as vis-network datasets, and the network itself (positions are ours, physics off).
  var byId = {};
  var kindStyle = {};
  data.kinds.forEach(function (k) { kindStyle[k.id] = k; });
  var edgeStyle = {};
  data.styles.forEach(function (s) { edgeStyle[s.id] = s; });
  var clusterLabel = {}, clusterIndex = {};
  data.clusters.forEach(function (c, i) { clusterLabel[c.id] = c.label; clusterIndex[c.id] = i; });

  // Kind styles live in vis-network groups, so each node carries only what is its own:
  // per-node style objects cost about a third of the start-up time at 5,000 nodes.
  var groups = {};
  data.kinds.forEach(function (k) {
    groups[k.id] = { shape: k.shape, color: { background: k.colour, border: k.colour,
      highlight: { background: k.colour, border: "#111" }, hover: { background: k.colour, border: "#111" } } };
  });
  // On a big network only the largest nodes are candidates for a name on the canvas (the
  // rest show theirs on hover and in search): placing 5,000 names costs more than the drawing.
  var labelled = null;
  if (BIG) {
    labelled = {};
    data.nodes.slice().sort(function (a, b) { return b.value - a.value; }).slice(0, 300)
      .forEach(function (n) { labelled[n.id] = true; });
  }
  // Marks (new, gap, connector) are rings drawn around a node, outside its fill, by
  // drawMarks below: the node keeps its kind color, and no filter or legend click
  // touches them (vis-network re-applies group styles on every update).
  var marked = [];
  var visNodes = data.nodes.map(function (n) {
    byId[n.id] = n;
    var rings = [];
    if (n["new"]) rings.push(MARKS["new"].colour);
    if (n.mark && MARKS[n.mark]) rings.push(MARKS[n.mark].colour);
    if (rings.length) marked.push([n.id, rings]);
    return { id: n.id, x: n.x, y: n.y, value: n.value, group: n.kind };
  });
  var edgeInfo = {};
  var visEdges = data.edges.map(function (e, i) {
    var s = edgeStyle[e.style];
    var id = "e" + i;
    edgeInfo[id] = e;
    var edge = { id: id, from: e.from, to: e.to, color: e["new"] ? NEW_COLOUR : s.colour,
                 width: e["new"] ? s.width + 1.5 : s.width };
    // Dashed lines are slow to draw; a big network keeps them for the few edges that must stand out.
    if (s.dashes && (!BIG || e.style === "suggested" || e.style === "policy")) edge.dashes = s.dashes;
    return edge;
  });
  // All edges go in at once: adding them in slices after a first drawing answered
  // sooner (1.6 s at 5,000 nodes) but froze the page for a second per slice and
  // finished later (5.6 s against 2.9 s); see benchmarks/bench_map.py.
  // Link kinds can be shown or hidden from the legend. On a big network the cluster
  // spokes (every member to its cluster) start hidden and are not even handed to
  // vis-network until asked for: they are a fifth of the links and of the start-up
  // time, and at that size they draw starbursts, not information.
  var shownStyles = {};
  data.styles.forEach(function (st) { shownStyles[st.id] = !(BIG && st.id === "in-cluster"); });
  var initialStyles = {};
  data.styles.forEach(function (st) { initialStyles[st.id] = shownStyles[st.id]; });
  var held = visEdges.filter(function (e) { return !shownStyles[edgeInfo[e.id].style]; });
  var nodes = new vis.DataSet(visNodes);
  var edges = new vis.DataSet(held.length ? visEdges.filter(function (e) { return shownStyles[edgeInfo[e.id].style]; })
                                          : visEdges);
  var container = document.getElementById("cg-network");
  var options = {
    autoResize: true,
    physics: false,
    layout: { improvedLayout: false, randomSeed: 0 },
    interaction: { hover: true, hideEdgesOnDrag: BIG, hideEdgesOnZoom: BIG, tooltipDelay: 80,
                   keyboard: false, navigationButtons: false, multiselect: false },
    nodes: {
      shape: "dot", borderWidth: 1,
      scaling: { min: 7, max: 38 }
    },
    edges: { smooth: false, selectionWidth: 1.5, hoverWidth: 1.2, color: { highlight: "#111", hover: "#111" } },
    groups: groups
  };
  timing.datasets = performance.now();
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  timing.network = performance.now();
  window.cg = { network: network, nodes: nodes, edges: edges, data: data, ready: false, timing: timing };
  var hiddenNode = {};
  var dimNode = {};

  // A white page under the drawing, so a saved or printed picture is not transparent.
  network.on("beforeDrawing", function (ctx) {
    var a = network.DOMtoCanvas({ x: 0, y: 0 });
    var z = network.DOMtoCanvas({ x: container.clientWidth, y: container.clientHeight });
    ctx.save();
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(a.x, a.y, z.x - a.x, z.y - a.y);
    ctx.restore();
  });
  function drawMarks(ctx) {
    if (!marked.length) return;
    var scale = network.getScale(), pos = network.getPositions(marked.map(function (m) { return m[0]; }));
    ctx.save();
    ctx.lineWidth = 3 / Math.max(scale, 0.35);
    for (var i = 0; i < marked.length; i++) {
      var id = marked[i][0], p = pos[id], body = network.body.nodes[id];
      if (!p || !body || hiddenNode[id]) continue;
      var r = (body.shape.radius || body.options.size || 10) * (body.options.shape === "dot" ? 1 : 1.45);
      ctx.globalAlpha = dimNode[id] ? 0.25 : 1;
      for (var k = 0; k < marked[i][1].length; k++) {
        ctx.strokeStyle = marked[i][1][k];
        ctx.beginPath();
        ctx.arc(p.x, p.y, r + ctx.lineWidth * (1.2 + 1.4 * k), 0, 2 * Math.PI);
        ctx.stroke();
      }
    }
    ctx.restore();
  }

