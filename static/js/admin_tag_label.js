// Wagtail's tag field (jQuery tag-it) hides the labelled <input id="id_tags"> and
// has people type into an input of its own that has no label, so a screen reader
// announces an unnamed edit field (axe: "label", critical). Give that input the
// field's label and help text. Tag-it builds it after load, hence the observer.
(function () {
  "use strict";

  var UNLABELLED = "ul.tagit input.ui-autocomplete-input:not([aria-labelledby])";

  function labelTagInputs() {
    document.querySelectorAll(UNLABELLED).forEach(function (typed) {
      var list = typed.closest("ul.tagit");
      var original = list && list.previousElementSibling;
      if (!original || !original.id) return;
      var label = document.querySelector('label[for="' + original.id + '"]');
      if (!label) return;
      if (!label.id) label.id = original.id + "-label";
      typed.setAttribute("aria-labelledby", label.id);
      var help = original.getAttribute("aria-describedby");
      if (help) typed.setAttribute("aria-describedby", help);
    });
  }

  new MutationObserver(function () {
    if (document.querySelector(UNLABELLED)) labelTagInputs();
  }).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", labelTagInputs);
})();
