/* ReliefCRM landing page tracking: first-party, no third-party code.
   Does nothing when the browser asks not to be tracked (Do Not Track or Global Privacy
   Control). Otherwise keeps a random visitor id in first-party storage and reports to the
   beacon endpoint (the script tag's data-endpoint, /t/b by default) in the format
   TrackingBeacon.parse accepts: {"t": view|scroll|time|submit, "p": path, "v": visitor id,
   "d": scroll depth, "s": visible seconds}. Bodies are sent as text/plain so no CORS
   preflight is needed. */
(function () {
  "use strict";
  var nav = window.navigator;
  if (nav.doNotTrack === "1" || window.doNotTrack === "1" || nav.globalPrivacyControl === true) {
    return;
  }
  var script = document.currentScript;
  var endpoint = (script && script.getAttribute("data-endpoint")) || "/t/b";
  var key = "relief_vid";
  var pattern = /^[A-Za-z0-9_-]{1,64}$/;

  function randomID() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    var text = "";
    for (var i = 0; i < bytes.length; i++) {
      text += (bytes[i] + 256).toString(16).slice(1);
    }
    return text;
  }

  function readCookie() {
    var match = document.cookie.match(/(?:^|;\s*)relief_vid=([A-Za-z0-9_-]{1,64})/);
    return match ? match[1] : null;
  }

  function visitorID() {
    var id = null;
    try {
      id = window.localStorage.getItem(key);
      if (!id || !pattern.test(id)) {
        id = readCookie() || randomID();
        window.localStorage.setItem(key, id);
      }
      return id;
    } catch (error) {
      // Storage blocked: a first-party cookie for a year.
      id = readCookie() || randomID();
      document.cookie = "relief_vid=" + id + "; path=/; max-age=31536000; SameSite=Lax" +
        (location.protocol === "https:" ? "; Secure" : "");
      return id;
    }
  }

  var visitor = visitorID();
  var page = location.pathname.slice(0, 256);

  function send(fields) {
    fields.p = page;
    fields.v = visitor;
    var body = JSON.stringify(fields);
    try {
      if (nav.sendBeacon && nav.sendBeacon(endpoint, new Blob([body], { type: "text/plain" }))) {
        return;
      }
    } catch (error) { /* fall back to fetch */ }
    if (window.fetch) {
      window.fetch(endpoint, {
        method: "POST", body: body, keepalive: true, credentials: "same-origin",
        headers: { "Content-Type": "text/plain" }
      }).catch(function () {});
    }
  }

  // Page view.
  send({ t: "view" });

  // Scroll depth: 25, 50, 75 and 100 percent, each once.
  var depths = [25, 50, 75, 100];
  var reached = {};
  var pending = false;
  function checkScroll() {
    pending = false;
    var root = document.documentElement;
    var height = Math.max(root.scrollHeight, document.body ? document.body.scrollHeight : 0);
    var seen = (window.scrollY || root.scrollTop || 0) + window.innerHeight;
    var percent = height > 0 ? (seen / height) * 100 : 100;
    for (var i = 0; i < depths.length; i++) {
      var depth = depths[i];
      if (percent >= depth - 0.5 && !reached[depth]) {
        reached[depth] = true;
        send({ t: "scroll", d: depth });
      }
    }
  }
  window.addEventListener("scroll", function () {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(checkScroll);
    }
  }, { passive: true });
  window.addEventListener("load", checkScroll);

  // Visible time: counted only while the page is shown, sent once when it is hidden or left.
  var visibleMs = 0;
  var shownAt = document.hidden ? null : Date.now();
  var timeSent = false;
  function pause() {
    if (shownAt !== null) {
      visibleMs += Date.now() - shownAt;
      shownAt = null;
    }
  }
  function reportTime() {
    pause();
    if (timeSent) { return; }
    timeSent = true;
    send({ t: "time", s: Math.min(86400, Math.max(0, Math.round(visibleMs / 1000))) });
  }
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) {
      reportTime();
    } else if (shownAt === null) {
      shownAt = Date.now();
    }
  });
  window.addEventListener("pagehide", reportTime);

  // Form submissions: the visitor id goes with the form so earlier visits count for the lead.
  var forms = document.querySelectorAll("form[data-lp-form]");
  for (var f = 0; f < forms.length; f++) {
    forms[f].addEventListener("submit", function (event) {
      var field = event.target.querySelector("[data-lp-visitor]");
      if (field) { field.value = visitor; }
      send({ t: "submit" });
    });
  }
})();
