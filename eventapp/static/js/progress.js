// A mailing's delivery page: while mails are still waiting, ask for the counts every few seconds and
// update the table (its body is an aria-live region, so screen readers hear the change).
(function () {
  var table = document.getElementById("progress");
  if (!table || !window.fetch) { return; }
  var url = table.getAttribute("data-progress-url");
  function cell(name) { return table.querySelector('[data-count="' + name + '"]'); }
  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        ["queued", "sent", "failed"].forEach(function (name) {
          var node = cell(name);
          if (node && node.textContent !== String(data[name])) { node.textContent = String(data[name]); }
        });
        if (data.queued > 0) { window.setTimeout(poll, 3000); }
        else if (data.failed > 0) { window.location.reload(); }
      })
      .catch(function () { window.setTimeout(poll, 10000); });
  }
  if (Number(cell("queued").textContent) > 0) { window.setTimeout(poll, 3000); }
})();
