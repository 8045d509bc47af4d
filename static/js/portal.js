// Starts Det Fælles Designsystem's components (dkfds.min.js, loaded deferred just before this
// file): on a phone, its menu button opens its menu drawer. The page first says it runs
// JavaScript ("kp-js" on <html>), so that CSS shows that button in place of the menu that works
// without JavaScript (a <details>), and DKFDS finds the button shown when it wires it up.
"use strict";
(function () {
  var root = document.documentElement;
  if (!window.DKFDS) {
    return;
  }
  root.classList.add("kp-js");
  try {
    window.DKFDS.init();
  } catch (error) {
    root.classList.remove("kp-js"); // the menu without JavaScript, rather than a dead button
    throw error;
  }
  // DKFDS writes its desktop "more" button in Danish; say it in the page's language.
  var nav = document.querySelector(".navigation-menu[data-more-label]");
  var more = nav && nav.querySelector(".more-button span");
  if (more) {
    more.textContent = nav.getAttribute("data-more-label");
  }
})();
