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
  var visNodes = data.nodes.map(function (n) {
    byId[n.id] = n;
    var node = { id: n.id, x: n.x, y: n.y, value: n.value, group: n.kind };
    // A node's own colour replaces its group's, so a ringed node restates its fill.
    var fill = kindStyle[n.kind].colour;
    if (n.mark === "connector") {
      node.borderWidth = 5;
      node.color = { background: fill, border: MARKS.connector.colour, highlight: { background: fill, border: "#111111" } };
    }
    if (n.mark === "gap") {
      node.borderWidth = 5;
      node.color = { background: fill, border: MARKS.gap.colour, highlight: { background: fill, border: "#111111" } };
    }
    if (n["new"] && !n.mark) {
      node.borderWidth = 5;
      node.color = { background: fill, border: NEW_COLOUR, highlight: { background: fill, border: "#111111" } };
    }
    return node;
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

