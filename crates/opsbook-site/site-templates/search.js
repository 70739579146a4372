// opsbook search: the index is a script (search-index.js) so that it works from file://.
(function () {
  "use strict";
  var index = window.OPSBOOK_SEARCH || [];
  var input = document.getElementById("ob-q");
  var list = document.getElementById("ob-results");
  var status = document.getElementById("ob-search-status");
  if (!input || !list) { return; }
  var prepared = index.map(function (e) {
    return { e: e, t: e.t.toLowerCase(), h: e.h.toLowerCase(), x: e.x.toLowerCase() };
  });

  function snippet(text, term) {
    var i = text.toLowerCase().indexOf(term);
    if (i < 0) { return text.slice(0, 160); }
    var start = Math.max(0, i - 60);
    return (start > 0 ? "…" : "") + text.slice(start, start + 180) + "…";
  }

  function run() {
    var q = input.value.trim().toLowerCase();
    while (list.firstChild) { list.removeChild(list.firstChild); }
    if (!q) { status.textContent = index.length + " pages indexed."; return; }
    var terms = q.split(/\s+/);
    var hits = [];
    prepared.forEach(function (p) {
      var score = 0;
      for (var i = 0; i < terms.length; i++) {
        var t = terms[i], s = 0;
        if (p.t.indexOf(t) >= 0) { s += 10; }
        if (p.h.indexOf(t) >= 0) { s += 5; }
        if (p.x.indexOf(t) >= 0) { s += 1; }
        if (!s) { return; }
        score += s;
      }
      hits.push({ p: p, score: score });
    });
    hits.sort(function (a, b) { return b.score - a.score || a.p.t.localeCompare(b.p.t); });
    status.textContent = hits.length + (hits.length === 1 ? " result" : " results") + " for “" + input.value.trim() + "”";
    hits.slice(0, 50).forEach(function (h) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = h.p.e.u;
      a.textContent = h.p.e.t;
      var kind = document.createElement("span");
      kind.className = "kind-badge";
      kind.textContent = h.p.e.k;
      var p = document.createElement("p");
      p.textContent = snippet(h.p.e.x || h.p.e.h, terms[0]);
      li.appendChild(kind);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(a);
      li.appendChild(p);
      list.appendChild(li);
    });
  }

  var params = new URLSearchParams(window.location.search);
  if (params.get("q")) { input.value = params.get("q"); }
  input.addEventListener("input", run);
  input.form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
  input.focus();
  run();
})();
