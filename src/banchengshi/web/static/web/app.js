/* Behaviours every page may use, declared in the markup by data attributes: the pages carry
   no inline script or event handler, so the Content-Security-Policy allows no inline script
   (docs/security.md). Loaded deferred by every base template. */
(function () {
  "use strict";

  /* <select data-autosubmit>: choosing sends its form (the language switch). */
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  /* <button data-print>: opens the browser's print dialogue. */
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  /* <input data-select-all="ID">: ticks every case box in #ID; shown only when this runs,
     since it needs it. */
  document.querySelectorAll("input[data-select-all]").forEach(function (box) {
    box.hidden = false;
    box.labels.forEach(function (label) { label.hidden = false; });
    box.addEventListener("change", function () {
      document.querySelectorAll("#" + box.dataset.selectAll + " input[name=case]").forEach(function (one) {
        one.checked = box.checked;
      });
    });
  });
})();
