
  // ---------------------------------------------------------------- color by, and the year slider
  // What colors the nodes (kind, community, sector, cluster: `map --color`, switchable here),
  // and a slider that replays the network over the dated facts: a node or link with a
  // `year` is shown from that year on; undated ones always (Python: render/map.py, network/dated.py).
  var colourBy = data.color || "kind";
  var groupColour = {};
  Object.keys(data.groups || {}).forEach(function (by) {
    groupColour[by] = {};
    data.groups[by].forEach(function (g) { groupColour[by][g.id] = g.colour; });
  });
  function groupOf(n, by) {
    if (by === "community") return n.community === undefined ? null : String(n.community);
    if (by === "sector") return n.sector || null;
    return (n.clusters || [])[0] || null;
  }
  function recolour(by) {
    colourBy = by;
    nodes.update(data.nodes.map(function (n) {
      var fill = by === "kind" ? kindStyle[n.kind].colour
        : (groupColour[by][groupOf(n, by)] || data.noGroup);
      // Marks are rings drawn outside the fill (network.js, drawMarks), never the border.
      return { id: n.id, color: { background: fill, border: fill,
                                  highlight: { background: fill, border: "#111111" },
                                  hover: { background: fill, border: "#111111" } } };
    }));
    // The kinds keep their shapes; their swatches go grey while another colouring is shown.
    document.querySelectorAll("#cg-kinds button").forEach(function (b) {
      var shape = b.querySelector("svg > *");
      if (shape) shape.setAttribute("fill", by === "kind" ? kindStyle[b.dataset.kind].colour : data.noGroup);
    });
    var box = document.getElementById("cg-groups");
    box.replaceChildren();
    (by === "kind" ? [] : data.groups[by]).forEach(function (g) {
      var r = el("div", null, "cg-row");
      r.appendChild(swatch("dot", g.colour));
      r.appendChild(el("span", g.label));
      r.appendChild(el("span", g.count, "cg-n"));
      box.appendChild(r);
    });
  }
  var colourSel = document.getElementById("cg-color");
  colourSel.value = colourBy;
  colourSel.addEventListener("change", function () { recolour(colourSel.value); });
  if (colourBy !== "kind") recolour(colourBy);

  // The year slider: its last stop is "every fact" (nothing hidden by date).
  var yearAt = null;
  function shownInYear(x) { return yearAt === null || x.year === undefined || x.year <= yearAt; }
  var years = data.years || [];
  var yearBox = document.getElementById("cg-years");
  var slider = document.getElementById("cg-year");
  var yearText = document.getElementById("cg-year-text");
  function yearLabel() {
    var undated = data.nodes.filter(function (n) { return n.year === undefined; }).length;
    yearText.textContent = yearAt === null ? "Every dated fact (" + years.join(", ") + ")"
      : "As it stood in " + yearAt + "; " + undated + " undated entities always shown";
  }
  if (!years.length) {
    yearBox.hidden = true;
  } else {
    slider.min = "0";
    slider.max = String(years.length);
    slider.value = String(years.length);
    slider.addEventListener("input", function () {
      var i = Number(slider.value);
      yearAt = i >= years.length ? null : years[i];
      yearLabel();
      applyFilters();
    });
    yearLabel();
  }
  // Play: one year a second from the first, ending on every fact.
  var playing = null;
  var play = document.getElementById("cg-play");
  function stop() { clearInterval(playing); playing = null; play.textContent = "Play the years"; }
  play.addEventListener("click", function () {
    if (playing !== null) { stop(); return; }
    var i = 0;
    play.textContent = "Stop";
    slider.value = "0";
    slider.dispatchEvent(new Event("input"));
    playing = setInterval(function () {
      i += 1;
      slider.value = String(i);
      slider.dispatchEvent(new Event("input"));
      if (i >= years.length) stop();
    }, 1000);
  });
  window.cg.year = function (y) {
    var i = years.indexOf(y);
    slider.value = String(i < 0 ? years.length : i);
    slider.dispatchEvent(new Event("input"));
  };
  window.cg.colourBy = function (by) { colourSel.value = by; recolour(by); };
  document.getElementById("cg-reset").addEventListener("click", function () {
    var first = data.color || "kind";
    if (colourBy !== first) { colourSel.value = first; recolour(first); }
    if (yearAt === null) return;
    yearAt = null;
    slider.value = String(years.length);
    yearLabel();
    applyFilters();
  });
