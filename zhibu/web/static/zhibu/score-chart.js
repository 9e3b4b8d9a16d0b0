// The committee dashboard's bar chart of branch scores, from the JSON the page carries in #score-data.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var source = document.getElementById("score-data");
  var target = document.getElementById("score-chart");
  if (!source || !target || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var chart = echarts.init(target, null, {renderer: "svg"});
  chart.setOption({
    animation: false,
    grid: {left: 8, right: 36, top: 8, bottom: 8, containLabel: true},
    xAxis: {type: "value", max: 100, axisLabel: {formatter: "{value}%"}},
    yAxis: {type: "category", data: data.names, inverse: true},
    series: [{type: "bar", data: data.scores, label: {show: true, position: "right", formatter: "{c}%"},
              itemStyle: {color: function (p) { return p.value >= 90 ? "#2e7d32" : (p.value >= 75 ? "#e6a100" : "#c62828"); }}}]
  });
  window.addEventListener("resize", function () { chart.resize(); });
});
