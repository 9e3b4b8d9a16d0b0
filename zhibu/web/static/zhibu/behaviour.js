// Page behaviour declared in templates by data attributes, so no page needs inline script
// (the Content-Security-Policy allows scripts from this site only). Delegated from the document,
// so parts swapped in by htmx behave the same.
//   <form data-confirm="问题？">          asks before submitting
//   <select data-autosubmit>              submits its form when changed
//   <button data-print>                   prints the page
//   <button data-copy-from="#a" data-copy-to="#b">  copies a's text into the field b
//   <button class="fill-due" data-month="3">        fills the month's empty dues cells with what is due
//   <form data-type-fields="#json">       shows only the fields the chosen #id_type uses (json: {fields, types})
//   <button data-roll-all="出席"> / <button data-roll-clear>  ticks that choice on every line of the roll / unticks all
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); event.stopImmediatePropagation(); }
  }, true);
  function showTypeFields(form) {
    var source = document.querySelector(form.getAttribute("data-type-fields"));
    var select = form.querySelector("#id_type");
    if (!source || !select) { return; }
    var data = JSON.parse(source.textContent);
    var used = data.types[select.value] || [];
    data.fields.forEach(function (name) {
      var box = form.querySelector('.field[data-field="' + name + '"]');
      if (box) { box.hidden = used.indexOf(name) < 0; }
    });
  }
  function showAllTypeFields() {
    document.querySelectorAll("form[data-type-fields]").forEach(showTypeFields);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", showAllTypeFields); } else { showAllTypeFields(); }
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.id === "id_type" && field.form && field.form.hasAttribute("data-type-fields")) { showTypeFields(field.form); }
    if (field.hasAttribute && field.hasAttribute("data-autosubmit") && field.form) {
      if (field.form.requestSubmit) { field.form.requestSubmit(); } else { field.form.submit(); }
    }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button, a") : null;
    if (!button) { return; }
    if (button.hasAttribute("data-print")) { event.preventDefault(); window.print(); return; }
    if (button.hasAttribute("data-copy-from")) {
      var from = document.querySelector(button.getAttribute("data-copy-from"));
      var to = document.querySelector(button.getAttribute("data-copy-to"));
      if (from && to) { to.value = from.textContent; }
      return;
    }
    if (button.hasAttribute("data-roll-all") || button.hasAttribute("data-roll-clear")) {
      var roll = button.closest(".roll");
      var value = button.getAttribute("data-roll-all");
      roll.querySelectorAll(".roll-choices input[type=radio]").forEach(function (radio) {
        radio.checked = value ? radio.value === value : false;
      });
      return;
    }
    if (button.classList.contains("fill-due")) {
      document.querySelectorAll('input[data-month="' + button.dataset.month + '"]').forEach(function (input) {
        if (!input.value && input.dataset.due) { input.value = input.dataset.due; }
      });
    }
  });
})();
