/* Kræftplan-portalen: "All" and "None" buttons of the round-opening table tick or clear a whole
   column or row in place. Without this script the same buttons send the form and the server
   shows the table again with the column or row ticked (contributions/round_opening.py). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-kp-select]");
    if (!button || !button.form) {
      return;
    }
    event.preventDefault();
    var line = button.getAttribute("data-kp-select");
    var ticked = button.name === "alle";
    var boxes = button.form.querySelectorAll('input[type="checkbox"][data-kp-lines~="' + line + '"]');
    boxes.forEach(function (box) {
      box.checked = ticked;
    });
    var status = document.getElementById("valg-status");
    if (status) {
      status.textContent = button.getAttribute("data-kp-done");
    }
  });
})();
