// Group an amount in đồng the Vietnamese way ("1500000" -> "1.500.000") when the
// officer leaves the field. Progressive enhancement only: the server reads and checks
// both forms (households/vietnamese_numbers.py), so nothing depends on this file.
// Loaded as a static file, so it runs under our Content-Security-Policy.
(function () {
  "use strict";
  var PLAIN = /^[0-9]+$/;
  var GROUPED = /^[1-9][0-9]{0,2}([. \u00a0\u202f][0-9]{3})+$/;

  function grouped(digits) {
    var trimmed = digits.replace(/^0+(?=[0-9])/, "");
    return trimmed.replace(/\B(?=([0-9]{3})+$)/g, ".");
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input || !input.matches || !input.matches("input[data-number='money']")) return;
    var value = input.value.trim();
    // Only what the server reads the same way; anything else is left for its message.
    if (PLAIN.test(value) || GROUPED.test(value)) {
      input.value = grouped(value.replace(/[^0-9]/g, ""));
    }
  });
})();
