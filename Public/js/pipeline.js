/* ReliefCRM pipeline board: drag a card to another column, or submit its "Move to" form,
   without reloading. Both post the card's move form with `Accept: application/json`; the
   server applies the pipeline rules and answers with the lead's new targets and every
   column's totals. Moves that need a reason open a dialog first; refused moves show the
   server's message and leave the card where it was. Without this script the "Move to" forms
   post normally and the server redirects back to the board. */
(function () {
  "use strict";

  var board = document.querySelector("[data-board]");
  if (!board || !window.fetch) { return; }

  var errorBox = document.querySelector("[data-board-error]");
  var dialog = document.querySelector("[data-reason-dialog]");
  var dragged = null;

  function columns() { return Array.prototype.slice.call(board.querySelectorAll("[data-column]")); }
  function columnOf(status) { return board.querySelector('[data-column="' + status + '"]'); }

  function showError(message) {
    if (!errorBox) { return; }
    errorBox.textContent = message;
    errorBox.hidden = !message;
  }

  var announcer = document.createElement("div");
  announcer.className = "visually-hidden";
  announcer.setAttribute("role", "status");
  announcer.setAttribute("aria-live", "polite");
  document.body.appendChild(announcer);
  function announce(message) {
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = message; }, 50);
  }

  /* ------------------------------------------------------------ the reason dialog */

  // Resolves with the reason, or null when cancelled.
  function askReason(card, status, message) {
    return new Promise(function (resolve) {
      if (!dialog || !dialog.showModal) {
        var answer = window.prompt(message || ("Reason for moving " + card.getAttribute("data-card-name") + " to " + labelOf(status)));
        resolve(answer && answer.trim() ? answer.trim() : null);
        return;
      }
      var form = dialog.querySelector("[data-reason-form]");
      var input = dialog.querySelector("[data-reason-input]");
      var error = dialog.querySelector("[data-reason-error]");
      var cancel = dialog.querySelector("[data-reason-cancel]");
      dialog.querySelector("[data-reason-title]").textContent =
        "Move " + card.getAttribute("data-card-name") + " to " + labelOf(status);
      input.value = "";
      error.textContent = message || "";
      error.hidden = !message;
      function finish(value) {
        form.removeEventListener("submit", onSubmit);
        cancel.removeEventListener("click", onCancel);
        dialog.removeEventListener("cancel", onCancel);
        if (dialog.open) { dialog.close(); }
        resolve(value);
      }
      function onSubmit(event) {
        event.preventDefault();
        var value = input.value.trim();
        if (!value) { error.textContent = "Give a reason."; error.hidden = false; input.focus(); return; }
        finish(value);
      }
      function onCancel(event) { event.preventDefault(); finish(null); }
      form.addEventListener("submit", onSubmit);
      cancel.addEventListener("click", onCancel);
      dialog.addEventListener("cancel", onCancel);
      dialog.showModal();
      input.focus();
    });
  }

  function labelOf(status) {
    var column = columnOf(status);
    return column ? column.getAttribute("data-column-label") : status;
  }

  /* ------------------------------------------------------------ moving */

  function post(card, status, reason) {
    var form = card.querySelector("[data-move-form]");
    var body = new URLSearchParams();
    body.set("_csrf", board.getAttribute("data-csrf") || "");
    body.set("view", board.getAttribute("data-view") || "");
    body.set("status", status);
    if (reason) { body.set("reason", reason); }
    return window.fetch(form ? form.action : "/app/pipeline/leads/" + card.getAttribute("data-card") + "/move", {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Accept": "application/json",
        "Content-Type": "application/x-www-form-urlencoded",
        "X-CSRF-Token": board.getAttribute("data-csrf") || ""
      },
      body: body.toString()
    }).then(function (response) {
      if (response.status === 404) { return { ok: false, message: "This lead is gone or no longer yours to see. Reload the board." }; }
      return response.json().then(function (json) {
        if (response.ok) { return { ok: true, result: json }; }
        var problem = json && json.error ? json.error : {};
        return { ok: false, fields: problem.fields || {}, message: problem.message || "The move was refused." };
      }, function () {
        return { ok: false, message: "The move failed (" + response.status + "). Reload the board and try again." };
      });
    }, function () {
      return { ok: false, message: "The move did not reach the server. Check the connection and try again." };
    });
  }

  function move(card, status, reason) {
    var column = columnOf(status);
    if (!reason && column && column.hasAttribute("data-needs-reason")) {
      return askReason(card, status).then(function (answer) { if (answer) { move(card, status, answer); } });
    }
    showError("");
    card.classList.add("is-moving");
    return post(card, status, reason).then(function (outcome) {
      card.classList.remove("is-moving");
      if (outcome.ok) { return place(card, outcome.result); }
      if (outcome.fields && outcome.fields.reason && Object.keys(outcome.fields).length === 1) {
        return askReason(card, status, outcome.fields.reason).then(function (answer) {
          if (answer) { move(card, status, answer); }
        });
      }
      showError(outcome.message);
      announce(outcome.message);
    });
  }

  // Puts the card at the top of its new column and refreshes every column's totals.
  function place(card, result) {
    var target = columnOf(result.status);
    if (target) { target.querySelector("[data-cards]").insertBefore(card, target.querySelector("[data-cards]").firstChild); }
    card.setAttribute("data-targets", result.targets.map(function (t) { return t.value; }).join(" "));
    var age = card.querySelector("[data-card-age]");
    if (age) { age.textContent = "Today"; }
    var select = card.querySelector("[data-move-select]");
    if (select) {
      select.innerHTML = "";
      result.targets.forEach(function (t) {
        var option = document.createElement("option");
        option.value = t.value;
        option.textContent = t.label;
        select.appendChild(option);
      });
      var details = select.closest("details");
      if (details) { details.open = false; details.hidden = result.targets.length === 0; }
    }
    result.columns.forEach(function (totals) {
      var column = columnOf(totals.status);
      if (!column) { return; }
      column.querySelector("[data-column-count]").textContent = String(totals.count);
      column.querySelector("[data-column-debt]").textContent = totals.debt;
      var empty = column.querySelector("[data-column-empty]");
      if (empty) { empty.hidden = column.querySelector("[data-card]") !== null; }
    });
    announce(result.message);
    var link = card.querySelector("a");
    if (link) { link.focus(); }
  }

  /* ------------------------------------------------------------ drag and drop */

  function clearDrag() {
    columns().forEach(function (column) {
      column.classList.remove("is-drop-allowed", "is-drop-refused", "is-drop-over", "is-drag-origin");
    });
    if (dragged) { dragged.classList.remove("is-dragging"); }
    dragged = null;
  }

  board.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest("[data-card]");
    if (!card) { return; }
    dragged = card;
    card.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.getAttribute("data-card"));
    var targets = (card.getAttribute("data-targets") || "").split(" ");
    var origin = card.closest("[data-column]");
    columns().forEach(function (column) {
      if (column === origin) { column.classList.add("is-drag-origin"); return; }
      var allowed = targets.indexOf(column.getAttribute("data-column")) >= 0;
      column.classList.add(allowed ? "is-drop-allowed" : "is-drop-refused");
    });
  });

  board.addEventListener("dragover", function (event) {
    var column = event.target.closest && event.target.closest("[data-column]");
    if (!dragged || !column || !column.classList.contains("is-drop-allowed")) { return; }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    columns().forEach(function (c) { c.classList.toggle("is-drop-over", c === column); });
  });

  board.addEventListener("drop", function (event) {
    var column = event.target.closest && event.target.closest("[data-column]");
    var card = dragged;
    clearDrag();
    if (!card || !column || (card.getAttribute("data-targets") || "").split(" ").indexOf(column.getAttribute("data-column")) < 0) { return; }
    event.preventDefault();
    move(card, column.getAttribute("data-column"));
  });

  board.addEventListener("dragend", clearDrag);

  /* ------------------------------------------------------------ the "Move to" forms */

  board.addEventListener("submit", function (event) {
    var form = event.target.closest && event.target.closest("[data-move-form]");
    if (!form) { return; }
    event.preventDefault();
    var card = form.closest("[data-card]");
    var select = form.querySelector("[data-move-select]");
    if (card && select && select.value) { move(card, select.value); }
  });
})();
