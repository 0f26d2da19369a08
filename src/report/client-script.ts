// The script of the report page: draws every chart of the embedded model with uPlot (inlined next to it)
// and marks each chart's element data-drawn="1" once uPlot has drawn it, which the browser test checks.
export const CLIENT_SCRIPT = `
(function () {
  var model = JSON.parse(document.getElementById('report-model').textContent);
  var bars = uPlot.paths.bars({ size: [0.8, 40] });
  function fmtNum(v) {
    if (v == null) return '';
    var a = Math.abs(v);
    return a >= 1e4 ? (v / 1e3).toFixed(0) + 'k' : a >= 1e3 ? (v / 1e3).toFixed(1) + 'k' : a >= 10 ? v.toFixed(0) : v.toFixed(2);
  }
  function draw(spec, el) {
    var width = Math.max(320, el.clientWidth || 900);
    var hasBars = spec.series.some(function (s) { return s.bars; });
    var hasPct = spec.series.some(function (s) { return s.scale === 'pct'; });
    var xAxis = { stroke: '#334155', grid: { stroke: '#e2e8f0' } };
    if (spec.xKind === 'category') {
      var longest = spec.labels.reduce(function (m, l) { return Math.max(m, l.length); }, 0);
      xAxis.space = Math.max(30, longest * 7 + 10);
      xAxis.values = function (u, splits) {
        return splits.map(function (i) { return spec.labels[Math.round(i)] || ''; });
      };
    }
    var opts = {
      width: width,
      height: 280,
      scales: {
        x: spec.xKind === 'category'
          ? { time: false, range: function () { return [-0.5, spec.x.length - 0.5]; } }
          : { time: spec.xKind === 'time' },
        // Bars are read against zero, so their axis always includes it.
        y: hasBars ? { range: function (u, min, max) { return [Math.min(0, min), Math.max(0, max) * 1.05 || 1]; } } : {},
        pct: { range: [0, 105] },
      },
      axes: [xAxis, { stroke: '#334155', grid: { stroke: '#e2e8f0' }, label: spec.yLabel, values: function (u, s) { return s.map(fmtNum); } }].concat(
        hasPct ? [{ scale: 'pct', side: 1, stroke: '#64748b', grid: { show: false }, label: '%' }] : []
      ),
      series: [{ label: spec.xKind === 'time' ? 'time' : 'x', value: spec.xKind === 'category' ? function (u, i) { return i == null ? '' : spec.labels[Math.round(i)]; } : undefined }].concat(
        spec.series.map(function (s) {
          var o = { label: s.label, stroke: s.color, width: 1.5, spanGaps: false, value: function (u, v) { return fmtNum(v); } };
          if (s.dash) o.dash = s.dash;
          if (s.scale) o.scale = s.scale;
          if (s.bars) { o.paths = bars; o.fill = s.color + '99'; o.points = { show: false }; }
          return o;
        })
      ),
      bands: (spec.bands || []).map(function (b) { return { series: b, fill: 'rgba(148,163,184,0.25)' }; }),
      hooks: {
        draw: [function (u) { el.setAttribute('data-drawn', '1'); }],
      },
    };
    var data = [spec.x].concat(spec.series.map(function (s) { return s.values; }));
    return new uPlot(opts, data, el);
  }
  model.charts.forEach(function (spec) {
    var el = document.querySelector('[data-chart="' + spec.id + '"] .plot');
    try {
      draw(spec, el);
    } catch (e) {
      el.setAttribute('data-error', String(e && e.message || e));
      throw e;
    }
  });
})();
`;
