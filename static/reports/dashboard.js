// The dashboard's charts, drawn by Apache ECharts (static/vendor/echarts.min.js) as SVG, which prints
// crisply, from the figures the page carries in #report-charts (the tables beside them hold the same).
(function () {
  "use strict";
  var island = document.getElementById("report-charts");
  if (!island || !window.echarts) { return; }
  var data = JSON.parse(island.textContent);
  // The app's own colours, told apart by more than hue: bars and a line.
  var COLOURS = ["#1455a5", "#b42318", "#05703f", "#6d4200", "#4f5865"];
  var still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var charts = [];

  function axis(name, categories) {
    return {type: "category", data: categories, name: "", axisLabel: {hideOverlap: true, color: "#1b1f24", fontSize: 13}};
  }

  function values(unit, right) {
    return {type: "value", name: unit || "", position: right ? "right" : "left", minInterval: 1,
            axisLabel: {color: "#1b1f24", fontSize: 13}, nameTextStyle: {color: "#4f5865", fontSize: 13},
            splitLine: {show: !right}};
  }

  function option(spec, width) {
    var category = axis("", spec.categories);
    var scales = [values(spec.units[0], false)];
    if (spec.series.some(function (s) { return s.axis === 1; })) { scales.push(values(spec.units[1], true)); }
    var series = spec.series.map(function (s) {
      var one = {name: s.name, type: s.kind, data: s.data, connectNulls: true, symbolSize: 8};
      if (spec.horizontal) { one.xAxisIndex = 0; } else { one.yAxisIndex = s.axis; }
      return one;
    });
    return {
      animation: !still, color: COLOURS, series: series,
      textStyle: {fontFamily: getComputedStyle(document.body).fontFamily},
      // Every legend entry stays in sight (and in print): on a phone the legend takes two lines.
      legend: {top: 0, itemGap: 12, textStyle: {color: "#1b1f24", fontSize: 14}},
      grid: {left: 8, right: 8, top: width < 480 ? 72 : 44, bottom: 8, containLabel: true},
      // richText: the tooltip is drawn inside the chart, with no HTML of its own (the CSP allows no inline styles).
      tooltip: {trigger: "axis", renderMode: "richText", confine: true},
      xAxis: spec.horizontal ? scales[0] : category,
      yAxis: spec.horizontal ? Object.assign(category, {inverse: true}) : scales
    };
  }

  document.querySelectorAll("[data-chart]").forEach(function (box) {
    var spec = data[box.getAttribute("data-chart")];
    if (!spec) { return; }
    // A chart of rows (communities, categories) grows with them: a class per three rows, as CSS sets no height inline.
    if (spec.horizontal) { box.classList.add("report-chart--tall-" + Math.min(Math.ceil(spec.categories.length / 3), 4)); }
    var chart = window.echarts.init(box, null, {renderer: "svg"});
    // Marked drawn once its bars have grown (a print, or a test, reads the finished chart).
    chart.on("finished", function () { box.setAttribute("data-drawn", "true"); });
    chart.setOption(option(spec, box.clientWidth));
    charts.push(chart);
  });

  // Redrawn at once, without animation: a print must not catch bars half grown.
  function fit() { charts.forEach(function (chart) { chart.resize({animation: {duration: 0}}); }); }
  window.addEventListener("resize", fit);
  // Printing lays the page out narrower (A4): redraw the charts to the printed width.
  window.addEventListener("beforeprint", fit);
  window.addEventListener("afterprint", fit);
  window.matchMedia("print").addEventListener("change", fit);
})();
