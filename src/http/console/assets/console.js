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
  // A live part of a page (data-live="<address of the part>"): read again when the server says
  // something changed, by Server-Sent Events (data-live-events), or, while those do not work, when
  // polling data-live-changes every 5 s finds a change (another instance may have made it).
  // data-live-id: only changes to this escalation count.
  function watchLive(region) {
    var only = region.getAttribute("data-live-id");
    var cursor = region.getAttribute("data-live-cursor") || "";
    var changes = region.getAttribute("data-live-changes");
    var status = document.querySelector("[data-live-status]");
    var loading = false;
    var again = false;
    var poller = null;
    var concerns = function (id) { return !only || String(id) === only; };
    var refresh = function () {
      if (loading) { again = true; return; }
      loading = true;
      fetch(region.getAttribute("data-live"), { credentials: "same-origin", headers: { accept: "text/html" } })
        .then(function (answer) { return answer.ok && !answer.redirected ? answer.text() : null; })
        .then(function (markup) {
          if (markup === null) return;
          region.innerHTML = markup;
          region.setAttribute("data-live-refreshed", String(Date.now()));
          if (status) status.textContent = status.getAttribute("data-live-message") || "";
        })
        .catch(function () { /* the next change or poll tries again */ })
        .then(function () {
          loading = false;
          if (again) { again = false; refresh(); }
        });
    };
    var poll = function () {
      fetch(changes + "?cursor=" + encodeURIComponent(cursor), { credentials: "same-origin", headers: { accept: "application/json" } })
        .then(function (answer) { return answer.ok && !answer.redirected ? answer.json() : null; })
        .then(function (found) {
          if (!found) return;
          cursor = found.cursor;
          if (found.ids.some(concerns)) refresh();
        })
        .catch(function () { /* tried again in 5 s */ });
    };
    var startPolling = function () { if (poller === null && changes) poller = window.setInterval(poll, 5000); };
    var events = region.getAttribute("data-live-events");
    if (!events || !window.EventSource) return startPolling();
    var stream = new EventSource(events);
    stream.addEventListener("escalation", function (event) {
      var change;
      try { change = JSON.parse(event.data); } catch { return; }
      if (concerns(change.id)) refresh();
    });
    // Changes made before the stream opened (between the page's rendering and now, or while it
    // was down) are not sent on it: ask for them once each time it opens.
    stream.addEventListener("open", function () {
      if (poller !== null) window.clearInterval(poller);
      poller = null;
      poll();
    });
    stream.addEventListener("error", startPolling);
  }
  var live = document.querySelector("[data-live]");
  if (live) watchLive(live);
  // Buttons that change something for good ask first (data-confirm="…").
  document.addEventListener("submit", function (event) {
    var button = event.submitter || event.target.querySelector("[data-confirm]");
    var question = (button && button.getAttribute("data-confirm")) || event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });
  // Characters written so far, under a text field (data-counter-for="id" data-max="1000").
  Array.prototype.forEach.call(document.querySelectorAll("[data-counter-for]"), function (counter) {
    var field = document.getElementById(counter.getAttribute("data-counter-for"));
    var max = Number(counter.getAttribute("data-max"));
    if (!field) return;
    var update = function () {
      var length = field.value.replace(/\r\n?/g, "\n").trim().length;
      counter.textContent = length + "/" + max;
      counter.classList.toggle("over", length > max);
    };
    field.addEventListener("input", update);
    update();
  });
  // A broadcast's progress, kept up to date without a reload: its JSON every 2 s until nothing is left to send.
  var progress = document.querySelector("[data-progress-url]");
  if (progress && progress.getAttribute("data-done") !== "true") {
    var url = progress.getAttribute("data-progress-url");
    var poll = function () {
      fetch(url, { credentials: "same-origin", headers: { accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (view) {
          if (!view) return;
          Object.keys(view.cells).forEach(function (key) {
            var cell = progress.querySelector('[data-cell="' + key + '"]');
            if (cell) cell.textContent = String(view.cells[key]);
          });
          var status = progress.querySelector('[data-field="statusLabel"]');
          if (status) {
            status.textContent = view.statusLabel;
            status.className = "badge status-" + view.status;
          }
          var summary = progress.querySelector('[data-field="summary"]');
          if (summary && summary.textContent !== view.summary) summary.textContent = view.summary;
          var bar = progress.querySelector("progress");
          if (bar) {
            bar.max = Math.max(1, view.total);
            bar.value = view.settled;
          }
          progress.setAttribute("data-done", view.done ? "true" : "false");
          if (!view.done) setTimeout(poll, 2000);
        })
        .catch(function () { setTimeout(poll, 10000); });
    };
    setTimeout(poll, 2000);
  }
  // After a failed submit, put the keyboard where the problem is.
  var invalid = document.querySelector('[aria-invalid="true"]');
  if (invalid) invalid.focus();
})();
