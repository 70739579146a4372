// opsbook: small enhancements. Every page is complete without this script.
(function () {
  "use strict";
  var table = document.getElementById("ob-pm-table");
  var form = document.getElementById("ob-filters");
  if (!table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);

  // Sorting: each header becomes a button; a second click reverses the order.
  var headers = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(headers, function (th) {
    var key = th.getAttribute("data-key");
    if (!key) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    button.textContent = th.textContent;
    th.textContent = "";
    th.appendChild(button);
    button.addEventListener("click", function () {
      var descending = th.getAttribute("aria-sort") !== "descending";
      Array.prototype.forEach.call(headers, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", descending ? "descending" : "ascending");
      var numeric = th.getAttribute("data-type") === "number";
      rows.sort(function (a, b) {
        var x = a.getAttribute("data-" + key) || "", y = b.getAttribute("data-" + key) || "";
        var c = numeric ? (parseFloat(x) - parseFloat(y)) : x.localeCompare(y);
        return descending ? -c : c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });

  if (!form) { return; }
  form.hidden = false;
  var shown = document.getElementById("ob-shown");
  function apply() {
    var severity = form.elements.severity.value;
    var service = form.elements.service.value;
    var status = form.elements.status.value;
    var from = form.elements.from.value;
    var text = form.elements.text.value.trim().toLowerCase();
    var count = 0;
    rows.forEach(function (r) {
      var ok = (!severity || r.getAttribute("data-severity") === severity) &&
        (!service || (" " + r.getAttribute("data-services") + " ").indexOf(" " + service + " ") >= 0) &&
        (!status || r.getAttribute("data-status") === status) &&
        (!from || (r.getAttribute("data-date") || "") >= from) &&
        (!text || r.getAttribute("data-title").toLowerCase().indexOf(text) >= 0);
      r.hidden = !ok;
      if (ok) { count += 1; }
    });
    shown.textContent = count + " of " + rows.length + " shown";
  }
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  apply();
})();
