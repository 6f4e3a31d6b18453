// AnSinh console: small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="csrf-token"]');
  // For pages that call the server with fetch: send the session's CSRF token as a header.
  window.ansinhConsole = {
    csrfToken: function () { return meta ? meta.getAttribute("content") : ""; },
    post: function (url, data) {
      return fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/json", "x-csrf-token": window.ansinhConsole.csrfToken() },
        body: JSON.stringify(data || {}),
      });
    },
  };
  // Buttons that change something for good ask first (data-confirm="…").
  document.addEventListener("submit", function (event) {
    var button = event.submitter || event.target.querySelector("[data-confirm]");
    var question = (button && button.getAttribute("data-confirm")) || event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });
  // After a failed submit, put the keyboard where the problem is.
  var invalid = document.querySelector('[aria-invalid="true"]');
  if (invalid) invalid.focus();
})();
