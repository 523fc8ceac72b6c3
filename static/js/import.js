// Alumni-list import: send the invitations chunk by chunk, with a progress bar.
// Without JavaScript the form posts once and the server runs every chunk in that request.
(function () {
  "use strict";

  var form = document.getElementById("import-run");
  if (!form || !window.fetch || !window.FormData) return;

  var box = document.getElementById("import-progress");
  var bar = document.getElementById("import-progress-bar");
  var text = document.getElementById("import-progress-text");
  var button = form.querySelector("button[type=submit]");
  var number = new Intl.NumberFormat();

  function show(processed, total) {
    bar.max = total;
    bar.value = processed;
    bar.textContent = number.format(processed) + " of " + number.format(total);
    text.textContent = number.format(processed) + " of " + number.format(total) + " rows…";
  }

  function fail(message) {
    text.textContent = message + " Rows already sent are safe: press the button to continue.";
    button.disabled = false;
    button.textContent = "Continue the import";
  }

  function step() {
    return fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.json().then(
          function (data) { return { ok: response.ok, data: data }; },
          function () { return { ok: false, data: {} }; }
        );
      })
      .then(function (reply) {
        if (!reply.ok) {
          fail(reply.data.error || "Something went wrong.");
          return;
        }
        var data = reply.data;
        show(data.processed, data.total);
        if (data.done) {
          text.textContent = "All " + number.format(data.total) + " rows done. Opening the summary…";
          window.location.assign(data.result_url);
          return;
        }
        return step();
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    button.disabled = true;
    button.textContent = "Sending…";
    box.hidden = false;
    // Once sending starts the file can't be changed or discarded.
    document.querySelectorAll("[data-import-idle]").forEach(function (element) {
      element.hidden = true;
    });
    show(Number(bar.value) || 0, Number(form.dataset.total) || Number(bar.max));
    step().catch(function () {
      fail("We lost the connection.");
    });
  });
})();
