// Contact form: ask /api/v1/contact-window/ whether a call or visit at the chosen time is
// allowed, and warn before saving (the server refuses it anyway unless overridden).
(function () {
  "use strict";
  var form = document.querySelector(".js-contact-form");
  if (!form) { return; }
  var box = form.querySelector(".js-contact-window");
  var when = form.querySelector("[name=contacted_at]");
  var channel = form.querySelector("[name=channel]");
  function check() {
    if (!when.value) { return; }
    var url = form.dataset.windowUrl + "?at=" + encodeURIComponent(when.value) +
      "&case=" + encodeURIComponent(form.dataset.case) + "&channel=" + encodeURIComponent(channel.value);
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        var timed = ["sms", "letter"].indexOf(channel.value) === -1;
        box.classList.remove("d-none", "alert-success", "alert-warning");
        if (data.allowed || !timed) {
          box.classList.add("alert-success");
          box.textContent = data.reason;
        } else {
          box.classList.add("alert-warning");
          box.textContent = data.reason + " → " + data.next_allowed.replace("T", " ").slice(0, 16);
        }
      });
  }
  when.addEventListener("change", check);
  channel.addEventListener("change", check);
  check();
})();
