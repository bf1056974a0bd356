// Progressive enhancement for the to-do list's move buttons (the list works
// without it): after a move reloads the page, put the keyboard focus back on
// the same control of the moved item, so a moderator can press "Up" again.
(function () {
  "use strict";
  var KEY = "todo-move-focus";
  var list = document.querySelector(".todo-list");
  if (!list) return;

  list.addEventListener("submit", function (event) {
    var item = event.target.closest("[data-item]");
    var button = event.submitter;
    if (!item || !button) return;
    try {
      sessionStorage.setItem(KEY, JSON.stringify({ item: item.dataset.item, move: button.dataset.move }));
    } catch (e) { /* storage unavailable: focus simply stays where the browser puts it */ }
  });

  var saved = null;
  try {
    saved = JSON.parse(sessionStorage.getItem(KEY) || "null");
    sessionStorage.removeItem(KEY);
  } catch (e) { saved = null; }
  if (!saved || ["up", "down", "position"].indexOf(saved.move) < 0) return;
  var item = list.querySelector('[data-item="' + String(saved.item).replace(/[^0-9]/g, "") + '"]');
  if (!item) return;
  var target = item.querySelector('[data-move="' + saved.move + '"]') ||
    item.querySelector("[data-move]") || item.querySelector("a");
  if (!target) return;
  // After the browser has scrolled to the #item-N fragment: that step would
  // otherwise take the focus away again.
  window.addEventListener("load", function () {
    window.setTimeout(function () { target.focus(); }, 0);
  });
})();
