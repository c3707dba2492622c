// Dashboard charts with ECharts (served from our own static files): it is what Chinese bank
// staff and the core systems' report screens already use, draws Chinese labels well, needs
// no build step, and its SVG renderer prints sharply. The data is a JSON block rendered by
// the page (json_script): not executable, so the CSP (script-src 'self') allows it.
// Clicking a bar or a slice opens the list of loans behind it.
// Charts on the first screen are drawn at once (IntersectionObserver); the others when they
// come near the screen or, one at a time, right after the page has loaded, so they are there
// by the time anyone scrolls: on the city dashboard the branch table fills the first screen,
// and drawing five charts before the load event only delayed the page (issue 15 part 5).
// Printing draws whatever is still pending.
// ECharts itself (545 KB) is fetched only when the first chart is to be drawn (its address is
// the data-echarts of this script's tag): a city dashboard, whose first screen has no chart,
// reaches its load event without downloading and parsing it.
(function () {
  "use strict";
  document.querySelectorAll(".js-print").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  var block = document.getElementById("dashboard-charts");
  var library = document.currentScript && document.currentScript.getAttribute("data-echarts");
  if (!block || !library) { return; }
  var data = JSON.parse(block.textContent);
  var charts = [];
  function num(value) { return value === null || value === undefined ? null : Number(value); }
  var pending = [];
  var waiting = null;
  function withEcharts(callback) {
    if (window.echarts) { callback(); return; }
    if (waiting) { waiting.push(callback); return; }
    waiting = [callback];
    var script = document.createElement("script");
    script.src = library;
    script.onload = function () {
      waiting.forEach(function (run) { run(); });
      waiting = null;
    };
    document.head.appendChild(script);
  }
  function render(el, option) {
    withEcharts(function () { renderNow(el, option); });
  }
  function renderNow(el, option) {
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option);
    chart.on("click", function (params) {
      var url = params.data && params.data.url;
      if (url) { window.location.href = url; }
    });
    charts.push(chart);
  }
  function drawPending(filter) {
    pending = pending.filter(function (job) {
      if (filter && !filter(job.el)) { return true; }
      render(job.el, job.option);
      return false;
    });
  }
  var observer = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
    var near = entries.filter(function (e) { return e.isIntersecting; }).map(function (e) { return e.target; });
    near.forEach(function (el) { observer.unobserve(el); });
    drawPending(function (el) { return near.indexOf(el) !== -1; });
  }, { rootMargin: "200px 0px" }) : null;
  function draw(name, option) {
    var el = document.querySelector('[data-chart="' + name + '"]');
    if (!el) { return; }
    if (!observer) { render(el, option); return; }
    pending.push({ el: el, option: option });
    observer.observe(el);
  }
  function items(list) {
    return list.map(function (item) { return { name: item.name, value: num(item.value), url: item.url }; });
  }
  function bars(list, rotate) {
    return {
      tooltip: { trigger: "axis" },
      grid: { left: 60, right: 20, top: 20, bottom: rotate ? 80 : 40 },
      xAxis: { type: "category", data: list.map(function (i) { return i.name; }), axisLabel: { rotate: rotate || 0, interval: 0 } },
      yAxis: { type: "value" },
      series: [{ type: "bar", data: items(list) }]
    };
  }
  draw("months", {
    tooltip: { trigger: "axis" },
    legend: { data: [data.labels.this_year, data.labels.last_year] },
    grid: { left: 60, right: 20, top: 40, bottom: 30 },
    xAxis: { type: "category", data: data.months },
    yAxis: { type: "value", scale: true },
    series: [
      { name: data.labels.this_year, type: "line", data: data.this_year.map(num), connectNulls: false },
      { name: data.labels.last_year, type: "line", data: data.last_year.map(num), lineStyle: { type: "dashed" } }
    ]
  });
  draw("classes", {
    tooltip: { trigger: "item" },
    series: [{ type: "pie", radius: ["35%", "65%"], data: items(data.classes) }]
  });
  draw("buckets", bars(data.buckets, 30));
  draw("products", bars(data.products, 20));
  draw("officers", bars(data.officers, 45));
  function drawNextLater() {
    if (!pending.length) { return; }
    window.setTimeout(function () {
      if (!pending.length) { return; }
      var job = pending[0];
      drawPending(function (el) { return el === job.el; });
      if (observer) { observer.unobserve(job.el); }
      drawNextLater();
    }, 0);
  }
  if (document.readyState === "complete") { drawNextLater(); } else { window.addEventListener("load", drawNextLater); }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  window.addEventListener("beforeprint", function () {
    drawPending(null);
    charts.forEach(function (c) { c.resize(); });
  });
})();
