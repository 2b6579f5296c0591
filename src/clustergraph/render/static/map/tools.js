  // ---------------------------------------------------------------- picture, print, phone
  // "Save as PNG": the current view as drawn (names and rings included, on white), for a slide.
  var canvasEl = function () { return container.querySelector("canvas"); };
  function pngName() {
    var base = (data.title || "map").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
    return (base || "map") + ".png";
  }
  function savePng() {
    network.redraw();
    var c = canvasEl();
    if (!c) return;
    var a = document.createElement("a");
    a.download = pngName();
    function go(href) {
      a.href = href;
      document.body.appendChild(a);
      a.click();
      a.remove();
      window.cg.savedPng = { name: a.download, bytes: href.length };
    }
    if (c.toBlob && window.URL && URL.createObjectURL) {
      c.toBlob(function (blob) {
        var url = URL.createObjectURL(blob);
        go(url);
        window.cg.savedPng.bytes = blob.size;
        setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
      }, "image/png");
    } else {
      go(c.toDataURL("image/png"));
    }
  }
  var pngButton = document.getElementById("cg-png");
  if (pngButton) pngButton.addEventListener("click", savePng);
  // Print: the live canvas does not survive the page's change of size, so the map prints as a
  // picture of its current view, taken just before printing.
  var printImg = null;
  function snapshot() {
    var c = canvasEl();
    if (!c) return;
    if (!printImg) {
      printImg = el("img", null, "cg-print");
      printImg.alt = "The map as it was on screen";
      container.parentNode.insertBefore(printImg, container.nextSibling);
      mapBox.classList.add("cg-has-print");
    }
    network.redraw();
    try { printImg.src = c.toDataURL("image/png"); } catch (err) { /* a tainted canvas cannot be read */ }
  }
  window.addEventListener("beforeprint", snapshot);
  if (window.matchMedia) {
    var printing = window.matchMedia("print");
    if (printing.addEventListener) printing.addEventListener("change", function (e) { if (e.matches) snapshot(); });
  }
  window.cg.snapshot = snapshot;
  window.cg.savePng = savePng;
  // Phone: the sidebar folds away behind a button and the map takes the width.
  var menu = document.getElementById("cg-menu");
  if (menu) {
    menu.addEventListener("click", function () {
      var open = mapBox.classList.toggle("cg-open");
      menu.setAttribute("aria-expanded", String(open));
      network.redraw();
    });
  }
