// Progressive enhancement for the to-do list's move buttons (the list works
// without it): after a move reloads the page, put the keyboard focus back on
// the same control of the moved item, so a moderator can press "Up" again, and
// have screen readers say the outcome ("… is now number 2"). The message shown
// above the page is not read out: a live region speaks only about changes, and
// on a freshly loaded page nothing changed; so it is copied into the list's
// own (empty) status region once the focus has settled.
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
  var status = document.querySelector("[data-todo-status]");
  var message = document.querySelector(".messages .message");
  window.addEventListener("load", function () {
    window.setTimeout(function () {
      target.focus();
      if (status && message) {
        window.setTimeout(function () { status.textContent = message.textContent.trim(); }, 300);
      }
    }, 0);
  });
})();
