// The bulk entry grid of a round (households/bulk_entry_views.py). After a row is
// saved, the cursor goes to the next row's first field; a date or a reviewer typed in
// a row is carried to the rows below that nobody has typed in. Progressive enhancement
// only: without this file each row still posts, is checked and saved by the server.
// Loaded as a static file, so it runs under our Content-Security-Policy.
(function () {
  "use strict";

  function nextWaiting(row) {
    var next = row.nextElementSibling;
    while (next && !next.classList.contains("pending")) next = next.nextElementSibling;
    return next;
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var row = event.target;
    if (!row.classList || !row.classList.contains("entry-row")) return;
    if (!row.classList.contains("saved")) return; // a refused row focuses its error
    var next = nextWaiting(row);
    var field = next && next.querySelector("input:not([type=hidden])");
    if (!field) field = document.querySelector("#het-danh-sach a");
    if (field) field.focus();
  });

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (input.matches && input.matches("input[data-carry]")) input.dataset.typed = "1";
  });

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[data-carry]")) return;
    var row = input.closest("tr");
    for (var next = row && nextWaiting(row); next; next = nextWaiting(next)) {
      var below = next.querySelector("input[data-carry='" + input.dataset.carry + "']");
      if (below && !below.dataset.typed) below.value = input.value;
    }
  });
})();
