// The dashboard's charts: Apache ECharts (vendored) drawn from the figures the panel carries
// as JSON (#dashboard-data). A click on a bar opens the cases behind it. htmx replaces the
// panel every minute; the charts are then drawn again from the new figures. Without
// JavaScript the tables and CSS bars under each chart are the page.
(function () {
  "use strict";
  var drawn = [];

  function axes(labels) {
    return {
      grid: { left: 40, right: 16, top: 24, bottom: 48, containLabel: true },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: labels, axisLabel: { rotate: labels.length > 8 ? 45 : 0 } },
      yAxis: { type: "value", minInterval: 1 }
    };
  }

  function intake(spec) {
    var option = axes(spec.labels);
    option.series = [{
      type: "bar",
      name: spec.title,
      data: spec.counts,
      barMaxWidth: 48,
      label: { show: true, position: "top" },
      itemStyle: { color: "#1d5fa8" }
    }];
    return { option: option, link: function (point) { return spec.links[point.dataIndex]; } };
  }

  function league(spec) {
    var option = axes(spec.units);
    option.legend = { top: 0 };
    option.grid.top = 40;
    option.yAxis.max = 100;
    option.yAxis.axisLabel = { formatter: "{value}%" };
    option.series = spec.series.map(function (series, index) {
      return {
        type: "bar",
        name: series.name,
        data: series.values,
        barMaxWidth: 64,
        label: { show: true, position: "top", formatter: "{c}%" },
        itemStyle: { color: index === 0 ? "#1d5fa8" : "#2e8540" }
      };
    });
    return {
      option: option,
      link: function (point) { return spec.series[point.seriesIndex].links[point.dataIndex]; }
    };
  }

  var KINDS = { weeks: intake, months: intake, league: league };

  function draw() {
    drawn.forEach(function (chart) { chart.dispose(); });
    drawn = [];
    var source = document.getElementById("dashboard-data");
    if (!source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    document.querySelectorAll("[data-chart]").forEach(function (box) {
      var name = box.dataset.chart;
      var spec = data[name];
      if (!spec || !KINDS[name]) { return; }
      var built = KINDS[name](spec);
      // Shown before it is drawn: ECharts measures the box it draws in.
      box.closest("section").classList.add("charted");
      // SVG: crisp when zoomed (elderly readers) and printed.
      var chart = echarts.init(box, null, { renderer: "svg" });
      chart.setOption(built.option);
      chart.on("click", function (point) {
        var link = built.link(point);
        if (link) { window.location.assign(link); }
      });
      drawn.push(chart);
    });
  }

  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target && event.target.id === "dashboard") { draw(); }
  });
  window.addEventListener("resize", function () {
    drawn.forEach(function (chart) { chart.resize(); });
  });
})();
