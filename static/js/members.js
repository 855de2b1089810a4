// Add and remove member rows of the household form without a page reload.
// Loaded as a static file, so it runs under our Content-Security-Policy.
(function () {
  "use strict";
  var container = document.getElementById("member-forms");
  var template = document.getElementById("member-empty");
  var addButton = document.getElementById("add-member");
  if (!container || !template || !addButton) return;
  var total = document.querySelector("input[name='members-TOTAL_FORMS']");

  addButton.addEventListener("click", function () {
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index))
                                 .replace(/__number__/g, String(index + 1));
    container.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var added = container.lastElementChild;
    var first = added && added.querySelector("input[type=text]");
    if (first) first.focus();
  });

  container.addEventListener("change", function (event) {
    var box = event.target;
    if (box && box.name && /-DELETE$/.test(box.name)) {
      var fieldset = box.closest("fieldset");
      if (fieldset) fieldset.classList.toggle("deleted", box.checked);
    }
  });
})();
