/* clustergraph site: copy buttons, the offline search box, and the path form.
   Everything from the data is placed with textContent, never as markup. */
(function () {
  "use strict";
  var root = document.body.getAttribute("data-root") || "";

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function link(href, text) {
    var a = el("a", text);
    a.setAttribute("href", root + href);
    return a;
  }
  function fold(s) {
    return String(s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }
  // search-data.js and path-data.js (loaded before this script) set these.
  var data = window.clustergraph || {};
  function param(name) {
    var m = new RegExp("[?&]" + name + "=([^&#]*)").exec(window.location.search);
    return m ? decodeURIComponent(m[1].replace(/\+/g, " ")) : "";
  }

  // ---- copy an id
  Array.prototype.forEach.call(document.querySelectorAll("button.copy"), function (b) {
    b.addEventListener("click", function () {
      var text = b.getAttribute("data-copy");
      var done = function () { b.textContent = "Copied"; };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, function () { select(b); });
      } else {
        select(b);
      }
    });
  });
  function select(b) {
    var code = b.previousElementSibling;
    if (!code) return;
    var range = document.createRange();
    range.selectNodeContents(code);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    b.textContent = "Selected: press Ctrl+C";
  }

  // ---- search: [id, name, aliases, what] rows, "what" a position in search.what
  var q = document.getElementById("q");
  var rows = data.search ? data.search.rows : null;
  if (q && rows) {
    var whats = data.search.what;
    var hay = rows.map(function (r) {
      return { row: r, name: fold(r[1]), id: r[0], all: fold([r[1], r[0]].concat(r[2]).join(" | ")),
               exact: [fold(r[1]), r[0]].concat(r[2].map(fold)) };
    });
    var list = document.getElementById("q-results");
    var count = document.getElementById("q-count");
    var run = function () {
      var text = fold(q.value);
      list.textContent = "";
      if (!text) { count.textContent = ""; return; }
      var words = text.split(/\s+/);
      var found = hay.filter(function (h) {
        return words.every(function (w) { return h.all.indexOf(w) >= 0; });
      });
      // Exact name, alias or id first; then a name or alias that starts with the text;
      // then one with a word that does; then the rest, alphabetically.
      var rank = function (h) {
        if (h.exact.indexOf(text) >= 0) return 0;
        if (h.exact.some(function (x) { return x.indexOf(text) === 0; })) return 1;
        if (h.exact.some(function (x) { return (" " + x).indexOf(" " + text) >= 0; })) return 2;
        return 3;
      };
      found.forEach(function (h) { h.rank = rank(h); });
      found.sort(function (a, b) {
        return a.rank - b.rank || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
      });
      count.textContent = found.length === 0 ? "Nothing matches." :
        found.length + (found.length === 1 ? " match" : " matches") + (found.length > 30 ? " (the first 30 shown)" : "");
      found.slice(0, 30).forEach(function (h) {
        var li = el("li");
        li.appendChild(link("id/" + h.row[0] + ".html", h.row[1]));
        var aka = h.row[2].filter(function (a) { return words.some(function (w) { return fold(a).indexOf(w) >= 0; }); });
        li.appendChild(el("span", whats[h.row[3]] + (aka.length ? " · also known as " + aka.join(", ") : "") + " · " + h.row[0], "hint"));
        list.appendChild(li);
      });
    };
    q.addEventListener("input", run);
    if (param("q")) { q.value = param("q"); }
    run();
  }

  // ---- the path form: the same search as `clustergraph path`
  var form = document.getElementById("path-form");
  var net = data.network || null;
  if (form && net) pathForm(form, net);

  function pathForm(form, net) {
    var n = net.nodes.length;
    var byId = {}, names = {}, adj = [], edgeAt = {};
    net.nodes.forEach(function (v, i) {
      byId[v[0]] = i;
      adj.push([]);
      [v[0], v[1]].concat(v[4]).forEach(function (w) {
        var k = fold(w);
        (names[k] = names[k] || {})[i] = true;
      });
    });
    net.edges.forEach(function (e, j) {
      adj[e[0]].push(e[1]);
      adj[e[1]].push(e[0]);
      edgeAt[e[0] + "," + e[1]] = j;
      edgeAt[e[1] + "," + e[0]] = j;
    });
    var datalist = document.getElementById("path-names");
    net.nodes.forEach(function (v) { var o = el("option"); o.value = v[1]; datalist.appendChild(o); });

    function fail(param, msg) { var e = new Error(param + ": " + msg); e.user = true; throw e; }
    function entity(text, param) {
      if (Object.prototype.hasOwnProperty.call(byId, text)) return byId[text];
      var found = Object.keys(names[fold(text)] || {});
      if (found.length === 1) return +found[0];
      if (found.length > 1) fail(param, "'" + text + "' names several entities (" + found.map(function (i) { return net.nodes[i][0]; }).join(", ") + "): give the id");
      var want = fold(text);
      var close = Object.keys(names).filter(function (k) { return want && k.indexOf(want) >= 0; }).sort(function (a, b) {
        return (a.indexOf(want) === 0 ? 0 : 1) - (b.indexOf(want) === 0 ? 0 : 1) || (a < b ? -1 : a > b ? 1 : 0);
      }).slice(0, 3);
      var ids = [];
      close.forEach(function (k) { Object.keys(names[k]).forEach(function (i) { if (ids.indexOf(net.nodes[i][0]) < 0) ids.push(net.nodes[i][0]); }); });
      fail(param, "no entity '" + text + "'" + (ids.length ? " (did you mean " + ids.map(function (i) { return "'" + i + "'"; }).join(" or ") + "?)" : ""));
    }
    function cluster(text, param) {
      var t = fold(text);
      for (var i = 0; i < net.clusters.length; i++) {
        var c = net.clusters[i];
        if (c[0] === text || fold(c[1]) === t) return c;
      }
      fail(param, "no cluster '" + text + "' (clusters: " + net.clusters.map(function (c) { return c[0]; }).join(", ") + ")");
    }
    function kind(text, param) {
      var w = fold(text).replace(/ /g, "-");
      for (var k in net.kinds) { if (net.kinds[k].indexOf(w) >= 0) return k; }
      var cats = {};
      net.nodes.forEach(function (v) { if (v[3]) cats[v[3]] = true; });
      if (cats[w]) return w;
      if (w.slice(-1) === "s" && cats[w.slice(0, -1)]) return w.slice(0, -1);
      fail(param, "no kind '" + text + "' (kinds: " + Object.keys(net.kinds).join(", ") + ")");
    }
    function group(text, param) {
      text = text.trim();
      var m = /^(cluster|kind):(.*)$/i.exec(text);
      if (m && m[1].toLowerCase() === "cluster") {
        var c = cluster(m[2], param);
        return { label: "the " + c[1] + " cluster", members: c[2] };
      }
      if (m) {
        var k = kind(m[2], param);
        var members = [];
        net.nodes.forEach(function (v, i) { if (v[2] === k || v[3] === k) members.push(i); });
        return { label: net.kindLabels[k] || k.replace(/-/g, " ") + "s", members: members };
      }
      try {
        var i = entity(text, param);
        return { label: net.nodes[i][1], members: [i] };
      } catch (err) {
        for (var j = 0; j < net.clusters.length; j++) {
          if (net.clusters[j][0] === text || fold(net.clusters[j][1]) === fold(text)) return group("cluster:" + text, param);
        }
        throw err;
      }
    }

    // Breadth-first shortest path from s to t avoiding some nodes and links.
    function bfs(s, t, extra, blockedNodes, blockedEdges) {
      var prev = {}; prev[s] = -1;
      var queue = [s], head = 0;
      while (head < queue.length) {
        var u = queue[head++];
        if (u === t) break;
        var next = extra(u);
        for (var i = 0; i < next.length; i++) {
          var v = next[i];
          if (v in prev || blockedNodes[v] || blockedEdges[u + "," + v]) continue;
          prev[v] = u;
          queue.push(v);
        }
      }
      if (!(t in prev)) return null;
      var path = [];
      for (var x = t; x !== -1; x = prev[x]) path.push(x);
      return path.reverse();
    }

    // Yen's k shortest simple paths between two groups, through a virtual start S and end T.
    function paths(src, dst, k) {
      var S = n, T = n + 1;
      var inDst = {}; dst.forEach(function (v) { inDst[v] = true; });
      var single = src.length === 1 && dst.length === 1;
      var start = single ? src[0] : S, end = single ? dst[0] : T;
      var srcSorted = src.slice().sort(function (a, b) { return net.nodes[a][0] < net.nodes[b][0] ? -1 : 1; });
      var next = function (u) {
        if (single) return adj[u];
        if (u === S) return srcSorted;
        return inDst[u] ? adj[u].concat([T]) : adj[u];
      };
      var ends = {}; src.concat(dst).forEach(function (v) { ends[v] = true; });
      var strip = function (p) { return single ? p : p.slice(1, -1); };
      var first = bfs(start, end, next, {}, {});
      if (!first) return [];
      var A = [first], B = [], seen = {}, out = [], tries = 0;
      seen[first.join(",")] = true;
      var keep = function (p) {
        var inner = strip(p).slice(1, -1);
        if (!inner.some(function (v) { return ends[v]; })) out.push(strip(p));
      };
      keep(first);
      while (out.length < k && tries < 5000) {
        var last = A[A.length - 1];
        for (var i = 0; i < last.length - 1; i++) {
          var spur = last[i], rootPath = last.slice(0, i + 1);
          var blockedEdges = {}, blockedNodes = {};
          A.forEach(function (p) {
            if (p.length > i && p.slice(0, i + 1).join(",") === rootPath.join(",")) {
              blockedEdges[p[i] + "," + p[i + 1]] = true;
              blockedEdges[p[i + 1] + "," + p[i]] = true;
            }
          });
          rootPath.slice(0, -1).forEach(function (v) { blockedNodes[v] = true; });
          var spurPath = bfs(spur, end, next, blockedNodes, blockedEdges);
          if (spurPath) {
            var total = rootPath.slice(0, -1).concat(spurPath), key = total.join(",");
            if (!seen[key]) { seen[key] = true; B.push(total); }
          }
        }
        if (!B.length) break;
        var best = 0;
        for (var j = 1; j < B.length; j++) if (B[j].length < B[best].length) best = j;
        var chosen = B.splice(best, 1)[0];
        A.push(chosen);
        keep(chosen);
        tries++;
      }
      return out.slice(0, k);
    }

    // A link's words are positions in net.phrases, its sources in net.sources ([id, title]),
    // or an id where the source has no page.
    function words(a, b) {
      var e = net.edges[edgeAt[a + "," + b]];
      return {
        text: net.phrases[e[0] === a ? e[2] : e[3]],
        sources: e[4].map(function (s) { return typeof s === "number" ? net.sources[s] : [s, s]; })
      };
    }
    function node(i) { return link("id/" + net.nodes[i][0] + ".html", net.nodes[i][1]); }
    function capital(s) { return s.charAt(0).toUpperCase() + s.slice(1); }

    var answer = document.getElementById("path-answer");
    function run() {
      answer.textContent = "";
      var from = document.getElementById("path-from").value, to = document.getElementById("path-to").value;
      var k = Math.max(1, Math.min(20, parseInt(document.getElementById("path-max").value, 10) || 3));
      var a, b;
      try {
        a = group(from, "From");
        b = group(to, "To");
      } catch (err) {
        if (!err.user) throw err;
        answer.appendChild(el("p", err.message, "error"));
        return;
      }
      var inB = {}; b.members.forEach(function (v) { inB[v] = true; });
      var inA = {}; a.members.forEach(function (v) { inA[v] = true; });
      var both = a.members.filter(function (v) { return inB[v]; });
      var found = paths(a.members.filter(function (v) { return !inB[v]; }), b.members.filter(function (v) { return !inA[v]; }), k);
      var brokers = [];
      found.forEach(function (p) { p.slice(1, -1).forEach(function (v) { if (brokers.indexOf(v) < 0) brokers.push(v); }); });
      var sentence;
      if (!found.length) sentence = "No chain of partners links " + a.label + " to " + b.label + ".";
      else if (found[0].length === 2) sentence = a.label + " and " + b.label + " are linked directly" + (brokers.length ? "; longer paths go through " + brokers.map(function (v) { return net.nodes[v][1]; }).join(", ") : "") + ".";
      else sentence = a.label + " reaches " + b.label + " in " + (found[0].length - 1) + " steps at the shortest, through " + brokers.map(function (v) { return net.nodes[v][1]; }).join(", ") + ".";
      if (both.length) sentence += " " + both.map(function (v) { return net.nodes[v][1]; }).join(", ") + (both.length === 1 ? " belongs" : " belong") + " to both.";
      answer.appendChild(el("p", capital(sentence), "answer"));
      found.forEach(function (p, i) {
        var box = el("section", null, "path");
        box.appendChild(el("h2", "Path " + (i + 1) + ": " + (p.length - 1) + (p.length === 2 ? " step" : " steps")));
        var ol = el("ol");
        for (var j = 0; j < p.length - 1; j++) {
          var w = words(p[j], p[j + 1]);
          var li = el("li");
          li.appendChild(node(p[j]));
          li.appendChild(document.createTextNode(" — " + w.text + " — "));
          li.appendChild(node(p[j + 1]));
          if (w.sources.length) {
            li.appendChild(document.createTextNode(" "));
            var src = el("span", "(sources: ", "hint");
            w.sources.forEach(function (s, x) {
              var a = link("id/" + s[0] + ".html", String(x + 1));
              a.setAttribute("title", s[1]);
              src.appendChild(a);
              src.appendChild(document.createTextNode(x < w.sources.length - 1 ? ", " : ")"));
            });
            li.appendChild(src);
          }
          ol.appendChild(li);
        }
        box.appendChild(ol);
        answer.appendChild(box);
      });
    }
    form.addEventListener("submit", function (ev) { ev.preventDefault(); run(); });
    if (param("from")) document.getElementById("path-from").value = param("from");
    if (param("to")) document.getElementById("path-to").value = param("to");
    if (param("from") && param("to")) run();
  }
})();
