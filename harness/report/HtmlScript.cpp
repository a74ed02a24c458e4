#include "report/HtmlScript.hpp"

namespace deadpeer::report {

std::string_view html_error_hook_script() {
  return R"JS(
window.deadpeerErrors = [];
function deadpeerError(message) {
  window.deadpeerErrors.push(String(message));
  document.documentElement.setAttribute('data-js-errors', String(window.deadpeerErrors.length));
  var el = document.getElementById('js-errors');
  if (el) { el.hidden = false; el.textContent = 'Charts failed: ' + window.deadpeerErrors.join('; '); }
}
window.onerror = function (message, source, line) { deadpeerError(message + ' (line ' + line + ')'); };
document.addEventListener('securitypolicyviolation', function (e) {
  deadpeerError('blocked by the page policy: ' + e.blockedURI + ' (' + e.violatedDirective + ')');
});
)JS";
}

// Data (built by HtmlReport.cpp):
//   kinds: [{name, canvas, cases: [index into cases]}]
//   cases: [{id, label, axis, horizon_s,
//            client/server: {predicted: [lo, hi] | null, cause, runs: [{run, t | null, cause}]},
//            timeline: {canvas, runs: [{run, entries: [[t_s, source, text]], dropped}]}}]
std::string_view html_draw_script() {
  return R"JS(
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('deadpeer-data').textContent);
  var COLOR = {client: 'rgb(31,119,180)', server: 'rgb(255,127,14)', fault: 'rgb(214,39,40)'};
  var RUNS = ['rgb(44,160,44)', 'rgb(148,103,189)', 'rgb(140,86,75)', 'rgb(227,119,194)', 'rgb(127,127,127)',
              'rgb(188,189,34)', 'rgb(23,190,207)'];
  var SIDES = ['client', 'server'];
  var OFFSET = {client: -0.17, server: 0.17};
  function alpha(rgb, a) { return rgb.replace('rgb(', 'rgba(').replace(')', ',' + a + ')'); }
  function secs(t) { return t === null ? 'not detected' : t.toFixed(3) + ' s'; }
  function spread(k, n, width) { return n > 1 ? (k / (n - 1) - 0.5) * width : 0; }
  function tooltip() { return {callbacks: {label: function (ctx) { return ctx.raw && ctx.raw.tip ? ctx.raw.tip : ''; }}}; }
  function fixedTicks(values) { return function (axis) { axis.ticks = values.map(function (v) { return {value: v}; }); }; }

  // A predicted window as a thick vertical (or horizontal) bar: a two-point line, then a gap.
  function windowPoints(points, a, b, tip) {
    points.push({x: a.x, y: a.y, tip: tip}, {x: b.x, y: b.y, tip: tip}, {x: b.x, y: null});
  }

  function detectionChart(kind) {
    var cases = kind.cases.map(function (i) { return data.cases[i]; });
    var datasets = [];
    SIDES.forEach(function (side) {
      var bars = [];
      cases.forEach(function (c, i) {
        var p = c[side].predicted;
        if (!p) return;
        var x = i + OFFSET[side];
        var tip = side + ' predicted ' + p[0].toFixed(3) + '–' + p[1].toFixed(3) + ' s ' + c[side].cause;
        windowPoints(bars, {x: x, y: p[0]}, {x: x, y: p[1]}, tip);
      });
      datasets.push({label: side + ' predicted window', data: bars, showLine: true, spanGaps: false,
                     borderColor: alpha(COLOR[side], 0.3), backgroundColor: alpha(COLOR[side], 0.3),
                     borderWidth: 16, borderCapStyle: 'butt', pointRadius: 0, pointHitRadius: 8, order: 2});
    });
    SIDES.forEach(function (side) {
      var hit = [], missed = [];
      cases.forEach(function (c, i) {
        var runs = c[side].runs;
        runs.forEach(function (r, k) {
          var x = i + OFFSET[side] + spread(k, runs.length, 0.1);
          if (r.t === null)
            missed.push({x: x, y: c.horizon_s, tip: side + ' run ' + r.run + ': not detected within the horizon'});
          else
            hit.push({x: x, y: r.t, tip: side + ' run ' + r.run + ': ' + secs(r.t) + ' ' + r.cause});
        });
      });
      datasets.push({label: side + ' measured', data: hit, backgroundColor: COLOR[side], borderColor: COLOR[side],
                     pointRadius: 4, order: 1});
      if (missed.length)
        datasets.push({label: side + ' not detected (drawn at the horizon)', data: missed, pointStyle: 'crossRot',
                       pointRadius: 7, borderWidth: 2, borderColor: COLOR[side], order: 1});
    });
    var indices = cases.map(function (c, i) { return i; });
    return {type: 'scatter', data: {datasets: datasets}, options: {
      animation: false, responsive: true, maintainAspectRatio: false,
      scales: {
        x: {type: 'linear', min: -0.5, max: cases.length - 0.5, afterBuildTicks: fixedTicks(indices), grid: {display: false},
            ticks: {autoSkip: false, callback: function (v) { return cases[v] ? cases[v].axis : ''; }}},
        y: {beginAtZero: true, grace: '5%', title: {display: true, text: 'seconds after the fault'}}},
      plugins: {tooltip: tooltip(), title: {display: true,
        text: kind.name + ': detection time per case (points: runs; bars: predicted window; left client, right server)'}}}};
  }

  var LANE_ORDER = ['fault', 'client', 'client.log', 'server', 'server.log'];
  function laneRank(source) { var i = LANE_ORDER.indexOf(source); return i < 0 ? LANE_ORDER.length : i; }

  function timelineChart(c) {
    var lanes = [];
    c.timeline.runs.forEach(function (r) {
      r.entries.forEach(function (e) { if (lanes.indexOf(e[1]) < 0) lanes.push(e[1]); });
    });
    lanes.sort(function (a, b) { return laneRank(a) - laneRank(b) || (a < b ? -1 : a > b ? 1 : 0); });
    var detected = lanes.length;
    lanes.push('detected');
    var n = c.timeline.runs.length;
    var datasets = c.timeline.runs.map(function (r, k) {
      var dy = spread(k, n, 0.5);
      return {label: 'run ' + r.run, backgroundColor: RUNS[k % RUNS.length], borderColor: RUNS[k % RUNS.length],
              pointRadius: 3, data: r.entries.map(function (e) {
                return {x: e[0], y: lanes.indexOf(e[1]) + dy,
                        tip: 'run ' + r.run + ' · ' + e[1] + ' · ' + e[0].toFixed(3) + ' s: ' + e[2]};
              })};
    });
    SIDES.forEach(function (side) {
      var y = detected + OFFSET[side];
      var p = c[side].predicted;
      if (p) {
        var bar = [];
        windowPoints(bar, {x: p[0], y: y}, {x: p[1], y: y},
                     side + ' predicted ' + p[0].toFixed(3) + '–' + p[1].toFixed(3) + ' s ' + c[side].cause);
        datasets.push({label: side + ' predicted window', data: bar, showLine: true, borderWidth: 10,
                       borderCapStyle: 'butt', borderColor: alpha(COLOR[side], 0.3), pointRadius: 0, pointHitRadius: 8});
      }
      var stars = c[side].runs.filter(function (r) { return r.t !== null; }).map(function (r) {
        return {x: r.t, y: y, tip: side + ' detected in run ' + r.run + ': ' + secs(r.t) + ' ' + r.cause};
      });
      datasets.push({label: side + ' detected', data: stars, pointStyle: 'star', pointRadius: 9, borderWidth: 2,
                     borderColor: COLOR[side], backgroundColor: COLOR[side]});
    });
    datasets.push({label: 'fault (t0)', showLine: true, borderColor: COLOR.fault, borderDash: [6, 4], borderWidth: 2,
                   pointRadius: 0, data: [{x: 0, y: -0.5, tip: 'fault applied: t0'},
                                          {x: 0, y: lanes.length - 0.5, tip: 'fault applied: t0'}]});
    var ys = lanes.map(function (l, i) { return i; });
    return {type: 'scatter', data: {datasets: datasets}, options: {
      animation: false, responsive: true, maintainAspectRatio: false,
      scales: {
        x: {grace: '3%', title: {display: true, text: 'seconds after the fault (t0)'}},
        y: {min: -0.5, max: lanes.length - 0.5, afterBuildTicks: fixedTicks(ys),
            ticks: {autoSkip: false, callback: function (v) { return lanes[v] || ''; }}}},
      plugins: {tooltip: tooltip(), title: {display: true, text: c.label + ': timeline of each run'}}}};
  }

  // A chart counts as drawn when its canvas has painted pixels, not merely when it was built.
  function painted(canvas) {
    var px = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    for (var i = 3; i < px.length; i += 4) if (px[i] !== 0) return true;
    return false;
  }

  var drawn = 0, expected = 0;
  function draw(canvasId, config) {
    expected++;
    try {
      var canvas = document.getElementById(canvasId);
      var chart = new Chart(canvas, config());
      if (painted(chart.canvas)) drawn++;
    } catch (e) {
      deadpeerError(canvasId + ': ' + (e && e.message ? e.message : e));
    }
  }
  data.kinds.forEach(function (kind) { draw(kind.canvas, function () { return detectionChart(kind); }); });
  data.cases.forEach(function (c) { draw(c.timeline.canvas, function () { return timelineChart(c); }); });
  document.documentElement.setAttribute('data-charts-expected', String(expected));
  document.documentElement.setAttribute('data-charts-drawn', String(drawn));
})();
)JS";
}

}  // namespace deadpeer::report
