/* ReliefCRM lead list: the bulk bar. "Select all on this page" checks every row (the server
   reads that box itself, so it also works without this script), the count of selected leads is
   shown, and only the fields of the chosen action are visible. */
(function () {
  "use strict";

  var form = document.querySelector("[data-bulk-form]");
  if (!form) { return; }
  var all = document.querySelector("[data-select-page]");
  var rows = Array.prototype.slice.call(document.querySelectorAll("[data-select-row]"));
  var count = form.querySelector("[data-bulk-count]");
  var action = form.querySelector("[data-bulk-action]");

  function selected() { return rows.filter(function (box) { return box.checked; }).length; }

  function showCount() {
    var n = selected();
    count.textContent = n === 0 ? "(none selected)" : "(" + n + " selected)";
  }

  function showFields() {
    Array.prototype.slice.call(form.querySelectorAll("[data-bulk-for]")).forEach(function (field) {
      field.hidden = field.getAttribute("data-bulk-for") !== action.value;
    });
  }

  if (all) {
    all.addEventListener("change", function () {
      rows.forEach(function (box) { box.checked = all.checked; });
      showCount();
    });
  }
  rows.forEach(function (box) {
    box.addEventListener("change", function () {
      if (all) { all.checked = rows.length > 0 && selected() === rows.length; }
      showCount();
    });
  });
  if (action) { action.addEventListener("change", showFields); showFields(); }

  form.addEventListener("submit", function (event) {
    if (selected() === 0 && !(all && all.checked)) {
      event.preventDefault();
      count.textContent = "(select at least one lead)";
      if (rows[0]) { rows[0].focus(); }
    }
  });
  showCount();
})();
