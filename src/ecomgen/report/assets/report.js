// Draw every chart from the JSON spec embedded next to it (plotly.js is inlined above).
(function () {
  var config = { displaylogo: false, responsive: true,
                 modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"] };
  var divs = document.querySelectorAll("div.chart");
  for (var i = 0; i < divs.length; i++) {
    var div = divs[i];
    var spec = JSON.parse(document.getElementById(div.id + "-spec").textContent);
    Plotly.newPlot(div, spec.data, spec.layout, config);
  }
})();
