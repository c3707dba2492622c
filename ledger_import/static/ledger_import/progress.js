// Import progress: polls the batch's JSON endpoint and reloads the page when it is done.
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box || box.dataset.final === "1") { return; }
  var bar = box.querySelector(".progress-bar");
  function show(data) {
    box.querySelectorAll("[data-field]").forEach(function (el) {
      if (data[el.dataset.field] !== undefined) { el.textContent = data[el.dataset.field]; }
    });
    bar.dataset.progress = data.progress;
    bar.style.width = Math.max(0, Math.min(100, Number(data.progress) || 0)) + "%";
  }
  function poll() {
    fetch(box.dataset.url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        show(data);
        if (data.final) { window.location.reload(); } else { window.setTimeout(poll, 1500); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
