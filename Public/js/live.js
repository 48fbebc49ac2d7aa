// Live updates for signed-in pages. An element with data-live-topics="audit org" makes the page
// subscribe over the /app/live WebSocket; events appear in [data-live-feed] lists and are also
// dispatched as "relief:live" DOM events. A dropped connection reconnects with exponential
// backoff and jitter; while the socket is down the page polls /app/live/poll every 5 seconds.
(function () {
  "use strict";

  var holders = document.querySelectorAll("[data-live-topics]");
  if (!holders.length || !("WebSocket" in window)) { return; }
  var topics = [];
  holders.forEach(function (el) {
    el.getAttribute("data-live-topics").split(/\s+/).forEach(function (t) {
      if (t && topics.indexOf(t) < 0) { topics.push(t); }
    });
  });

  var statusEls = document.querySelectorAll("[data-live-status]");
  var lastAt = Date.now();
  var seen = {};
  var attempt = 0;
  var pollTimer = null;
  var socket = null;

  function setStatus(text) {
    statusEls.forEach(function (el) { el.textContent = text; el.setAttribute("data-state", text); });
  }

  function show(event) {
    if (!event || !event.id || seen[event.id]) { return; }
    seen[event.id] = true;
    if (event.at > lastAt) { lastAt = event.at; }
    document.dispatchEvent(new CustomEvent("relief:live", { detail: event }));
    var feeds = document.querySelectorAll('[data-live-feed="' + event.type + '"]');
    feeds.forEach(function (list) {
      var item = document.createElement("li");
      item.className = "is-new";
      var data = event.data || {};
      var actor = document.createElement("span");
      actor.className = "activity-actor";
      actor.textContent = data.actor || "";
      var action = document.createElement("span");
      action.className = "badge";
      action.textContent = data.action || event.type;
      var entity = document.createElement("span");
      entity.className = "muted small";
      entity.textContent = data.entity || "";
      item.appendChild(actor);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(action);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(entity);
      list.insertBefore(item, list.firstChild);
      while (list.children.length > 30) { list.removeChild(list.lastChild); }
    });
  }

  function poll() {
    var url = "/app/live/poll?topics=" + encodeURIComponent(topics.join(",")) + "&since=" + lastAt;
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) { if (body && body.events) { body.events.forEach(show); } })
      .catch(function () {});
  }

  function startPolling() {
    if (pollTimer) { return; }
    setStatus("Polling");
    poll();
    pollTimer = setInterval(poll, 5000);
  }

  function stopPolling() {
    if (pollTimer) { clearInterval(pollTimer); pollTimer = null; }
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    try {
      socket = new WebSocket(scheme + location.host + "/app/live");
    } catch (e) {
      scheduleReconnect();
      return;
    }
    socket.onopen = function () {
      socket.send(JSON.stringify({ action: "subscribe", topics: topics }));
    };
    socket.onmessage = function (message) {
      var event;
      try { event = JSON.parse(message.data); } catch (e) { return; }
      if (event.type === "subscribed") {
        attempt = 0;
        stopPolling();
        setStatus("Live");
        poll(); // anything published while we were away
        return;
      }
      if (event.type === "error") { setStatus("Offline"); return; }
      show(event);
    };
    socket.onclose = function () { scheduleReconnect(); };
  }

  function scheduleReconnect() {
    attempt += 1;
    if (attempt >= 2) { startPolling(); } else { setStatus("Reconnecting…"); }
    var delay = Math.min(30000, 1000 * Math.pow(2, attempt - 1));
    delay = delay * (0.5 + Math.random());
    setTimeout(connect, delay);
  }

  window.addEventListener("online", function () { if (!socket || socket.readyState > 1) { connect(); } });
  connect();
})();
