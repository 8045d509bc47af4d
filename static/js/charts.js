// Interactive charts on demand. Every chart is SVG drawn on the server (kraeftplan/charts.py)
// and stays what a reader sees first. Beside it is a button, hidden in the markup so that
// nothing dead shows without JavaScript, which this script shows: a click swaps the SVG for a
// plotly.js chart of the same figures, read from the chart's <script type="application/json">
// (the Content-Security-Policy runs no inline script). plotly.js (4.8 MB) is loaded on the
// first click, once per page, and never before.
//
// Each chart carries this script (deferred); its first run wires every chart on the page.
"use strict";
(function () {
  if (window.kpCharts) {
    return;
  }
  var config = document.currentScript.dataset;
  // plotly.js writes its CSS into the element with these ids, or else into an inline <style>
  // that the policy refuses: link our empty sheet under each id first (tests/test_charts.py
  // checks the ids against the installed plotly.js).
  var STYLE_IDS = [
    "plotly.js-style-global",
    "9f215cf04c5486422605d13261cb87401f4e7763b6296af81e98efbc0130da53",
  ];
  var library = null;

  function stylesheet(id) {
    return new Promise(function (resolve, reject) {
      if (document.getElementById(id)) {
        resolve();
        return;
      }
      var link = document.createElement("link");
      link.rel = "stylesheet";
      link.id = id;
      link.href = config.plotlyCss;
      link.onload = resolve;
      link.onerror = reject;
      document.head.appendChild(link);
    });
  }

  function loadPlotly() {
    if (!library) {
      library = Promise.all(STYLE_IDS.map(stylesheet)).then(function () {
        return new Promise(function (resolve, reject) {
          var script = document.createElement("script");
          script.src = config.plotly;
          script.defer = true;
          script.onload = function () {
            if (window.Plotly) {
              resolve(window.Plotly);
            } else {
              reject(new Error("plotly.js did not define Plotly"));
            }
          };
          script.onerror = reject;
          document.body.appendChild(script);
        });
      });
      // A failed load (the network) may be tried again with the next click.
      library.catch(function () {
        library = null;
      });
    }
    return library;
  }

  function show(element, visible) {
    // An <svg> has no .hidden property; the attribute works on both (DKFDS: [hidden] hides).
    element.toggleAttribute("hidden", !visible);
  }

  // The Danish data among plotly.js's texts, marked lang="da" as the server marks it in the
  // SVG (kraeftplan/charts.py, Languages): each trace's legend entry, the columns, the unit.
  // plotly.js draws its texts anew on every redraw (zoom, resize, legend clicks), so this runs
  // after each.
  function markLanguages(box, languages) {
    function mark(element, lang) {
      if (lang) {
        element.setAttribute("lang", lang);
      }
    }
    box.querySelectorAll(".legend .traces").forEach(function (entry, index) {
      var bound = entry.__data__ && entry.__data__[0] && entry.__data__[0].trace;
      var trace = bound ? bound.index : index;
      var text = entry.querySelector(".legendtext");
      if (text) {
        mark(text, languages.traces[trace]);
      }
    });
    box.querySelectorAll(".xtick text").forEach(function (text) {
      mark(text, languages.x);
    });
    box.querySelectorAll(".ytitle").forEach(function (text) {
      mark(text, languages.y);
    });
  }

  function wire(chart) {
    var button = chart.querySelector(".kp-chart-toggle");
    var source = button && document.getElementById(button.dataset.figure);
    var svg = chart.querySelector("svg.kp-svg");
    var legend = chart.querySelector(".kp-legend");
    if (!source || !svg) {
      return;
    }
    var interactiveLabel = button.textContent;
    var box = null;
    var failure = null;

    function showSimple() {
      show(box, false);
      show(svg, true);
      show(legend, true);
      button.textContent = interactiveLabel;
    }

    function showInteractive(Plotly) {
      var first = !box;
      if (first) {
        box = document.createElement("div");
        box.className = "kp-plotly";
        box.setAttribute("role", "group");
        box.setAttribute("aria-labelledby", chart.id + "-titel");
        chart.insertBefore(box, svg);
      }
      show(svg, false);
      show(legend, false);
      show(box, true);
      button.textContent = config.simple;
      if (first) {
        var figure = JSON.parse(source.textContent);
        var languages = figure.layout.meta && figure.layout.meta.lang;
        return Plotly.newPlot(box, figure.data, figure.layout, figure.config).then(function () {
          if (languages) {
            markLanguages(box, languages);
            box.on("plotly_afterplot", function () {
              markLanguages(box, languages);
            });
          }
        });
      }
      return Plotly.Plots.resize(box);
    }

    button.addEventListener("click", function () {
      if (box && !box.hidden) {
        showSimple();
        return;
      }
      if (failure) {
        failure.remove();
        failure = null;
      }
      button.disabled = true;
      button.setAttribute("aria-busy", "true");
      loadPlotly()
        .then(showInteractive)
        .catch(function () {
          if (box) {
            showSimple();
          }
          failure = document.createElement("p");
          failure.className = "kp-note";
          failure.setAttribute("role", "status");
          failure.textContent = config.failed;
          button.after(failure);
        })
        .finally(function () {
          button.disabled = false;
          button.removeAttribute("aria-busy");
        });
    });
    show(button, true);
  }

  window.kpCharts = true;
  document.querySelectorAll(".kp-chart").forEach(wire);
})();
