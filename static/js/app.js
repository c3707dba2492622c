// branch-ops: behaviour shared by every page. No inline scripts (CSP), so pages mark
// elements with classes and data attributes that this file wires up.
(function () {
  "use strict";
  document.querySelectorAll(".js-autosubmit").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    });
  });
  // Progress bars: <div class="progress-bar" data-progress="42"> sets its width by script.
  document.querySelectorAll("[data-progress]").forEach(function (el) {
    el.style.width = Math.max(0, Math.min(100, Number(el.dataset.progress) || 0)) + "%";
  });
  // "Select all on this page": <input type="checkbox" data-select-all="ids"> ticks every
  // checkbox named "ids" in its form.
  document.querySelectorAll("input[data-select-all]").forEach(function (box) {
    box.addEventListener("change", function () {
      box.form.querySelectorAll('input[type="checkbox"][name="' + box.dataset.selectAll + '"]').forEach(function (row) {
        row.checked = box.checked;
      });
    });
  });
})();
