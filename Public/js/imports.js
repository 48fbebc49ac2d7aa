// Lead imports: upload with a progress bar (the raw file as the request body, so the server
// can stream it to disk), and live progress of a running import (live events, with polling).
(function () {
  "use strict";

  var form = document.querySelector("[data-import-upload]");
  if (form && window.XMLHttpRequest) {
    form.addEventListener("submit", function (event) {
      var input = form.querySelector('input[type="file"]');
      if (!input || !input.files || !input.files.length) { return; }
      event.preventDefault();
      var file = input.files[0];
      var box = form.querySelector("[data-upload-progress]");
      var bar = box.querySelector("progress");
      var label = form.querySelector("[data-upload-label]");
      var error = form.querySelector("[data-upload-error]");
      var button = form.querySelector('button[type="submit"]');
      box.hidden = false;
      error.hidden = true;
      button.disabled = true;
      var request = new XMLHttpRequest();
      request.open("POST", form.getAttribute("action"));
      request.setRequestHeader("Content-Type", "text/csv");
      request.setRequestHeader("X-File-Name", encodeURIComponent(file.name));
      request.setRequestHeader("X-CSRF-Token", form.querySelector('input[name="_csrf"]').value);
      request.setRequestHeader("Accept", "application/json");
      request.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable) { return; }
        var percent = Math.round(e.loaded * 100 / e.total);
        bar.value = percent;
        label.textContent = "Uploading… " + percent + "%";
      });
      request.addEventListener("load", function () {
        var body = null;
        try { body = JSON.parse(request.responseText); } catch (ignored) { body = null; }
        if (request.status >= 200 && request.status < 300 && body && body.url) {
          var params = new URLSearchParams();
          var source = form.querySelector('[name="source"]').value;
          if (source) { params.set("source", source); }
          params.set("duplicates", form.querySelector('[name="duplicates"]').value);
          window.location.href = body.url + (body.url.indexOf("?") < 0 ? "?" : "&") + params.toString();
          return;
        }
        var message = body && body.error ? body.error.message : "The upload failed (" + request.status + ").";
        if (body && body.error && body.error.fields) {
          message = Object.keys(body.error.fields).map(function (k) { return body.error.fields[k]; }).join(" ");
        }
        error.textContent = message;
        error.hidden = false;
        box.hidden = true;
        button.disabled = false;
      });
      request.addEventListener("error", function () {
        error.textContent = "The upload was interrupted. Check the connection and try again.";
        error.hidden = false;
        button.disabled = false;
      });
      request.send(file);
    });
  }

  var panel = document.querySelector("[data-import-progress]");
  if (!panel || panel.getAttribute("data-import-done") === "true") { return; }
  var url = panel.getAttribute("data-import-progress");
  var id = panel.getAttribute("data-import-id");

  function apply(status) {
    panel.querySelector("[data-import-bar]").value = status.percent;
    panel.querySelector("[data-import-percent]").textContent = status.percent;
    panel.querySelector("[data-import-processed]").textContent = status.processed_rows;
    ["created", "updated", "skipped_duplicates", "rejected"].forEach(function (key) {
      var el = panel.querySelector('[data-import-field="' + key + '"]');
      if (el && status[key] !== undefined) { el.textContent = status[key]; }
    });
    if (status.state === "completed" || status.state === "failed") { window.location.reload(); }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (status) { if (status) { apply(status); } })
      .catch(function () {})
      .then(function () { window.setTimeout(poll, 2000); });
  }
  document.addEventListener("relief:live", function (event) {
    var data = event.detail && event.detail.data;
    if (event.detail.type === "import.progress" && data && data.id === id) {
      apply({ state: data.state, percent: data.percent, processed_rows: data.processed_rows });
    }
  });
  poll();
})();
