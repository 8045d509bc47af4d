// The portal's own start-up, deferred (no inline script: the CSP forbids them).
"use strict";
// A table wider than its scroll region (kp's scrollable_tables) gets a line above it that says
// so, in the page's language (<main data-scroll-hint>), while and only while it is wider: a
// phone turned, a window resized, the fonts loaded. Without JavaScript the shadow at the
// region's edge is the cue. First, so that a failing DKFDS does not stop it.
(function () {
  var main = document.querySelector("main[data-scroll-hint]");
  var regions = main ? main.querySelectorAll(".kp-table-scroll") : [];
  if (!regions.length) {
    return;
  }
  var text = main.getAttribute("data-scroll-hint");
  var hints = [];
  function update() {
    for (var i = 0; i < regions.length; i++) {
      hints[i].hidden = regions[i].scrollWidth <= regions[i].clientWidth + 1;
    }
  }
  for (var i = 0; i < regions.length; i++) {
    var hint = document.createElement("p");
    hint.className = "kp-scroll-hint";
    hint.textContent = text;
    hint.hidden = true;
    regions[i].parentNode.insertBefore(hint, regions[i]);
    hints.push(hint);
  }
  update();
  if (window.ResizeObserver) {
    var observer = new ResizeObserver(update);
    for (var j = 0; j < regions.length; j++) {
      observer.observe(regions[j]);
      if (regions[j].firstElementChild) {
        observer.observe(regions[j].firstElementChild);
      }
    }
  } else {
    window.addEventListener("resize", update);
  }
})();

// Then Det Fælles Designsystem's components (dkfds.min.js, loaded deferred just before this
// file): on a phone, its menu button opens its menu drawer. The page first says it runs
// JavaScript ("kp-js" on <html>), so that CSS shows that button in place of the menu that works
// without JavaScript (a <details>), and DKFDS finds the button shown when it wires it up.
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
