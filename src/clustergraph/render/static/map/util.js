// Helpers: DOM elements (text only, never innerHTML), numbers, legend swatches.
  var timing = { start: performance.now() };
  var data = JSON.parse(document.getElementById("cg-data").textContent);
  timing.parsed = performance.now();
  var BIG = (data.nodes || []).length > 1500;

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function fmt(v) {
    if (typeof v === "number" && !Number.isInteger(v)) return v.toFixed(3);
    return String(v);
  }
  var SVGNS = "http://www.w3.org/2000/svg";
  var MARKS = data.marks;  // colours and legend texts of the marks, from Python (render/map.py MARKS)
  var NEW_COLOUR = MARKS["new"].colour;  // what is new since the previous edition (--since)
  function swatch(shape, colour) {
    var svg = document.createElementNS(SVGNS, "svg");
    svg.setAttribute("width", "16");
    svg.setAttribute("height", "16");
    var s;
    if (shape === "square") {
      s = document.createElementNS(SVGNS, "rect");
      s.setAttribute("x", "2"); s.setAttribute("y", "2"); s.setAttribute("width", "12"); s.setAttribute("height", "12");
    } else if (shape === "triangle") {
      s = document.createElementNS(SVGNS, "polygon");
      s.setAttribute("points", "8,1 15,14 1,14");
    } else if (shape === "diamond") {
      s = document.createElementNS(SVGNS, "polygon");
      s.setAttribute("points", "8,1 15,8 8,15 1,8");
    } else {
      s = document.createElementNS(SVGNS, "circle");
      s.setAttribute("cx", "8"); s.setAttribute("cy", "8"); s.setAttribute("r", "6.5");
    }
    s.setAttribute("fill", colour);
    svg.appendChild(s);
    return svg;
  }
  function lineSwatch(style) {
    var svg = document.createElementNS(SVGNS, "svg");
    svg.setAttribute("width", "28");
    svg.setAttribute("height", "10");
    var l = document.createElementNS(SVGNS, "line");
    l.setAttribute("x1", "1"); l.setAttribute("y1", "5"); l.setAttribute("x2", "27"); l.setAttribute("y2", "5");
    l.setAttribute("stroke", style.colour);
    l.setAttribute("stroke-width", String(Math.max(1.5, style.width)));
    if (style.dashes) l.setAttribute("stroke-dasharray", style.dashes.join(" "));
    svg.appendChild(l);
    return svg;
  }

