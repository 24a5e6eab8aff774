// Slide uploads on the speaker pages (forms with data-upload): send the form with XMLHttpRequest so that a
// <progress> bar and the percentage (in the form's aria-live status) show how far it has come. The server
// answers JSON when asked for it: {"location": ...} when the file is kept, {"error": {"detail": ...}} when
// not; that message goes next to the file field, as the server's own page would show it. Without
// JavaScript (or without FormData) the form is posted as usual and the server answers with a page.
(function () {
  "use strict";
  if (!window.FormData || !window.XMLHttpRequest || !document.querySelectorAll) { return; }

  function setUp(form) {
    var input = form.querySelector('input[type="file"]');
    var box = form.querySelector(".upload-progress");
    var bar = box ? box.querySelector("progress") : null;
    var status = form.querySelector(".upload-status");
    var button = form.querySelector('button[type="submit"]');
    if (!input || !box || !bar || !status || !button) { return; }
    var maxBytes = Number(form.getAttribute("data-max-bytes")) || 0;

    function say(text) { status.textContent = text; }

    function busy(on) {
      button.disabled = on;
      form.setAttribute("aria-busy", on ? "true" : "false");
      box.hidden = !on;
    }

    function showError(message) {
      busy(false);
      var errorId = input.id + "-error";
      var error = document.getElementById(errorId);
      if (!error) {
        error = document.createElement("p");
        error.className = "field__error";
        error.id = errorId;
        input.parentNode.insertBefore(error, input);
      }
      error.textContent = "";
      var prefix = document.createElement("span");
      prefix.className = "visually-hidden";
      prefix.textContent = (form.getAttribute("data-msg-error") || "") + " ";
      error.appendChild(prefix);
      error.appendChild(document.createTextNode(message));
      var field = input.closest ? input.closest(".field") : null;
      if (field) { field.classList.add("field--error"); }
      input.setAttribute("aria-invalid", "true");
      var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      if (described.indexOf(errorId) < 0) {
        described.push(errorId);
        input.setAttribute("aria-describedby", described.join(" "));
      }
      say(message);
    }

    // Load the page the server names. When it is the page already shown, but for the #fragment (a second
    // upload for the same item), assign() would only jump to the fragment and keep the old page: reload it.
    function show(location) {
      var target = document.createElement("a");
      target.href = location; // resolved against this page
      if (target.href.split("#")[0] === window.location.href.split("#")[0]) {
        if (target.hash !== window.location.hash) { window.location.hash = target.hash; }
        window.location.reload();
        return;
      }
      window.location.assign(target.href);
    }

    form.addEventListener("submit", function (event) {
      var file = input.files && input.files[0];
      if (!file) { return; } // the server's page says what is missing
      event.preventDefault();
      if (maxBytes && file.size > maxBytes) {
        showError(form.getAttribute("data-msg-too-large"));
        return;
      }
      var xhr = new XMLHttpRequest();
      var announced = -10;
      xhr.open("POST", form.action);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable) { return; }
        var percent = Math.floor((e.loaded * 100) / e.total);
        bar.value = percent;
        if (percent >= announced + 10 || percent === 100) { // every tenth, not every byte, for screen readers
          announced = percent;
          say(form.getAttribute("data-msg-progress").replace("{percent}", String(percent)));
        }
      });
      xhr.upload.addEventListener("load", function () {
        bar.value = 100;
        say(form.getAttribute("data-msg-checking"));
      });
      xhr.addEventListener("load", function () {
        var data = null;
        try { data = JSON.parse(xhr.responseText); } catch (ignored) { data = null; }
        if (xhr.status >= 200 && xhr.status < 300 && data && data.location) {
          show(data.location);
          return;
        }
        showError((data && data.error && data.error.detail) || form.getAttribute("data-msg-failed"));
      });
      xhr.addEventListener("error", function () { showError(form.getAttribute("data-msg-failed")); });
      xhr.addEventListener("abort", function () { showError(form.getAttribute("data-msg-failed")); });
      bar.value = 0;
      busy(true);
      say(form.getAttribute("data-msg-progress").replace("{percent}", "0"));
      xhr.send(new FormData(form));
    });
  }

  function start() {
    var forms = document.querySelectorAll("form[data-upload]");
    for (var i = 0; i < forms.length; i += 1) { setUp(forms[i]); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
