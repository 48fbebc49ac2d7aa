// DNC registry uploads with a progress bar: the file goes as the raw request body (streamed to
// disk by the server, so a multi-gigabyte national file works), the list and download day in
// the query, the CSRF token in a header. The server answers JSON: the page then shows the
// upload's counts, or the errors (with the rejected line numbers). Without JavaScript the form
// posts as multipart and the server renders the same result.
(function () {
  "use strict";

  var form = document.querySelector("[data-dnc-upload]");
  if (!form || !window.XMLHttpRequest || !window.FormData) { return; }

  var box = form.querySelector("[data-upload-progress]");
  var bar = form.querySelector("[data-upload-bar]");
  var label = form.querySelector("[data-upload-label]");
  var error = form.querySelector("[data-upload-error]");
  var button = form.querySelector('button[type="submit"]');

  function showError(message) {
    error.textContent = message;
    error.hidden = false;
    box.hidden = true;
    button.disabled = false;
    error.setAttribute("tabindex", "-1");
    error.focus();
  }

  function messageOf(request) {
    var body = null;
    try { body = JSON.parse(request.responseText); } catch (ignored) { body = null; }
    if (body && body.error) {
      if (body.error.fields) {
        return Object.keys(body.error.fields).sort().map(function (key) {
          return body.error.fields[key];
        }).join(" ");
      }
      return body.error.message;
    }
    if (request.status === 413) { return "The file is too large for the registry upload."; }
    return "The upload failed (" + request.status + "). Try again.";
  }

  form.addEventListener("submit", function (event) {
    var input = form.querySelector('input[type="file"]');
    if (!input || !input.files || !input.files.length) { return; }
    event.preventDefault();
    var file = input.files[0];
    var list = form.querySelector('[name="list"]').value;
    var day = form.querySelector('[name="downloaded_at"]').value;
    if (!day) {
      showError("Enter the day the file was downloaded from the registry.");
      return;
    }
    var params = new URLSearchParams();
    params.set("list", list);
    params.set("downloaded_at", day);
    params.set("file_name", file.name);

    box.hidden = false;
    error.hidden = true;
    button.disabled = true;
    bar.value = 0;
    bar.removeAttribute("data-done");
    label.textContent = "Uploading… 0%";

    var request = new XMLHttpRequest();
    request.open("POST", form.getAttribute("action") + "?" + params.toString());
    request.setRequestHeader("Content-Type", "application/octet-stream");
    request.setRequestHeader("X-File-Name", encodeURIComponent(file.name));
    request.setRequestHeader("X-CSRF-Token", form.querySelector('input[name="_csrf"]').value);
    request.setRequestHeader("Accept", "application/json");
    request.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) { return; }
      var percent = Math.round(e.loaded * 100 / e.total);
      bar.value = percent;
      label.textContent = percent < 100 ? "Uploading… " + percent + "%" : "Uploaded; loading the numbers…";
    });
    request.upload.addEventListener("load", function () {
      bar.value = 100;
      label.textContent = "Uploaded; loading the numbers…";
    });
    request.addEventListener("load", function () {
      var body = null;
      try { body = JSON.parse(request.responseText); } catch (ignored) { body = null; }
      if (request.status >= 200 && request.status < 300 && body && body.url) {
        bar.value = 100;
        bar.setAttribute("data-done", "true");
        label.textContent = "Loaded " + body.upload.loaded + " numbers; " + body.upload.rejected + " lines rejected.";
        window.location.href = body.url;
        return;
      }
      showError(messageOf(request));
    });
    request.addEventListener("error", function () {
      showError("The upload was interrupted. Check the connection and try again.");
    });
    request.send(file);
  });
})();
