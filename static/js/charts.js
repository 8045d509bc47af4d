// Draws the plotly charts of a page. Each chart's figure (data, layout, config) is JSON in a
// <script type="application/json"> named by the chart's data-figure attribute: the
// Content-Security-Policy runs no inline script. Without JavaScript the tables beside the
// charts hold the same figures.
"use strict";
document.querySelectorAll(".kp-plotly[data-figure]").forEach(function (chart) {
  var source = document.getElementById(chart.dataset.figure);
  if (!source || !window.Plotly) {
    return;
  }
  var figure = JSON.parse(source.textContent);
  window.Plotly.newPlot(chart, figure.data, figure.layout, figure.config);
});
