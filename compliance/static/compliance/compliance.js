// Compliance pages: the "Print" buttons (no inline script under the CSP).
(function () {
  "use strict";
  document.querySelectorAll(".js-print").forEach(function (el) {
    el.addEventListener("click", function (event) { event.preventDefault(); window.print(); });
  });
})();
