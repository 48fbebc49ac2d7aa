// The call list page: refreshes its rows when engagement arrives for the organization (at most
// every 5 seconds), and shows hot lead alerts ("lead.hot" on the user's topic) at the top.
(function () {
  "use strict";
  var table = document.querySelector("[data-call-list]");
  if (!table) { return; }
  var body = table.querySelector("[data-call-list-rows]");
  var alerts = document.querySelector("[data-hot-alerts]");
  var pending = null;
  var last = 0;

  function refresh() {
    pending = null;
    last = Date.now();
    fetch(table.getAttribute("data-refresh"), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html === null) { return; }
        body.innerHTML = html;
        var empty = document.querySelector("[data-call-list-empty]");
        if (empty) { empty.hidden = body.children.length > 0; }
      })
      .catch(function () {});
  }

  function schedule() {
    if (pending) { return; }
    var wait = Math.max(0, 5000 - (Date.now() - last));
    pending = setTimeout(refresh, wait);
  }

  function alert(data) {
    if (!alerts) { return; }
    var item = document.createElement("li");
    item.className = "is-new hot-alert";
    var link = document.createElement("a");
    link.href = "/app/leads/" + encodeURIComponent(data.lead_id || "");
    link.textContent = data.name || "A lead";
    var badge = document.createElement("span");
    badge.className = "badge badge-warning";
    badge.textContent = "hot " + (data.score || "");
    var reason = document.createElement("span");
    reason.className = "muted small";
    reason.textContent = data.reason || "";
    item.appendChild(link);
    item.appendChild(document.createTextNode(" "));
    item.appendChild(badge);
    item.appendChild(document.createTextNode(" "));
    item.appendChild(reason);
    alerts.insertBefore(item, alerts.firstChild);
    while (alerts.children.length > 5) { alerts.removeChild(alerts.lastChild); }
  }

  document.addEventListener("relief:live", function (event) {
    var detail = event.detail || {};
    if (detail.type === "lead.hot") { alert(detail.data || {}); schedule(); }
    if (detail.type === "engagement.updated") { schedule(); }
  });
})();
