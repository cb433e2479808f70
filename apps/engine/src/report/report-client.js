// The report page's script: reads the chart model embedded as JSON and draws it with the inlined
// lightweight-charts build (global `LightweightCharts`). Plain browser JavaScript, no modules, no network.
// Data reaches the DOM only through textContent, never innerHTML.
(() => {
  const model = JSON.parse(document.getElementById('report-data').textContent);
  const LWC = window.LightweightCharts;

  const chartOptions = {
    autoSize: true,
    layout: { background: { type: 'solid', color: '#ffffff' }, textColor: '#37474f', fontSize: 12 },
    grid: { vertLines: { color: '#eceff1' }, horzLines: { color: '#eceff1' } },
    timeScale: { timeVisible: true, secondsVisible: false, borderColor: '#cfd8dc' },
    rightPriceScale: { borderColor: '#cfd8dc' },
    crosshair: { mode: 0 },
  };

  // FVG zones and entry→exit segments, drawn under the candles on the price pane.
  class OverlayPrimitive {
    constructor(zones, lines, colors) {
      this.zones = zones;
      this.lines = lines;
      this.colors = colors;
      this.chart = null;
      this.series = null;
      this.views = [
        { zOrder: () => 'bottom', renderer: () => ({ draw: (target) => this.drawZones(target) }) },
        { zOrder: () => 'normal', renderer: () => ({ draw: (target) => this.drawLines(target) }) },
      ];
    }
    attached(param) {
      this.chart = param.chart;
      this.series = param.series;
    }
    detached() {
      this.chart = null;
      this.series = null;
    }
    updateAllViews() {}
    paneViews() {
      return this.views;
    }
    x(time) {
      const scale = this.chart.timeScale();
      const x = scale.timeToCoordinate(time);
      if (x !== null) return x;
      const index = scale.timeToIndex(time, true);
      return index === null ? null : scale.logicalToCoordinate(index);
    }
    drawZones(target) {
      if (this.chart === null) return;
      const half = this.chart.timeScale().options().barSpacing / 2;
      target.useMediaCoordinateSpace(({ context, mediaSize }) => {
        for (const zone of this.zones) {
          const x1 = this.x(zone.from);
          const x2 = this.x(zone.to);
          const yTop = this.series.priceToCoordinate(zone.upper);
          const yBottom = this.series.priceToCoordinate(zone.lower);
          if (x1 === null || x2 === null || yTop === null || yBottom === null) continue;
          if (x2 + half < 0 || x1 - half > mediaSize.width) continue;
          const base = zone.bullish ? this.colors.up : this.colors.down;
          context.fillStyle = base + (zone.mitigated ? '26' : '47');
          context.fillRect(x1 - half, yTop, Math.max(1, x2 - x1 + 2 * half), Math.max(1, yBottom - yTop));
        }
      });
    }
    drawLines(target) {
      if (this.chart === null) return;
      target.useMediaCoordinateSpace(({ context }) => {
        context.lineWidth = 1.5;
        context.setLineDash([4, 3]);
        for (const line of this.lines) {
          const x1 = this.x(line.from);
          const x2 = this.x(line.to);
          const y1 = this.series.priceToCoordinate(line.fromPrice);
          const y2 = this.series.priceToCoordinate(line.toPrice);
          if (x1 === null || x2 === null || y1 === null || y2 === null) continue;
          context.strokeStyle = line.win ? this.colors.up : this.colors.down;
          context.beginPath();
          context.moveTo(x1, y1);
          context.lineTo(x2, y2);
          context.stroke();
        }
        context.setLineDash([]);
      });
    }
  }

  const colors = model.colors;
  const priceChart = LWC.createChart(document.getElementById('price-chart'), chartOptions);
  const candles = priceChart.addSeries(LWC.CandlestickSeries, {
    upColor: colors.up,
    downColor: colors.down,
    wickUpColor: colors.up,
    wickDownColor: colors.down,
    borderVisible: false,
  });
  candles.setData(model.candles);
  const candleTimes = model.candles.map((c) => c.time);
  const nwrqk = priceChart.addSeries(LWC.LineSeries, {
    color: colors.nwrqk,
    lineWidth: 2,
    priceLineVisible: false,
    lastValueVisible: false,
    crosshairMarkerVisible: false,
    title: 'NW-RQK',
  });
  nwrqk.setData(model.nwrqk);
  candles.attachPrimitive(new OverlayPrimitive(model.zones, model.tradeLines, colors));
  LWC.createSeriesMarkers(candles, model.markers);
  // Long runs open on their last 600 candles (markers stay legible); scroll or zoom out for the rest, or
  // click a row of the synergy or trade table to jump to it.
  const visible = 600;
  if (model.candles.length > visible) {
    priceChart
      .timeScale()
      .setVisibleLogicalRange({ from: model.candles.length - visible, to: model.candles.length });
  } else {
    priceChart.timeScale().fitContent();
  }

  function focus(time) {
    let lo = 0;
    let hi = candleTimes.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (candleTimes[mid] <= time) lo = mid;
      else hi = mid - 1;
    }
    priceChart.timeScale().setVisibleLogicalRange({ from: lo - 48, to: lo + 48 });
    document.getElementById('price-chart').scrollIntoView({ block: 'center' });
  }

  const equityChart = LWC.createChart(document.getElementById('equity-chart'), chartOptions);
  const equity = equityChart.addSeries(LWC.AreaSeries, {
    lineColor: colors.equity,
    topColor: `${colors.equity}55`,
    bottomColor: `${colors.equity}08`,
    lineWidth: 2,
    priceLineVisible: false,
  });
  equity.setData(model.equity);
  equityChart.timeScale().fitContent();

  function fillTable(id, rows, focusTimes) {
    const body = document.querySelector(`#${id} tbody`);
    rows.forEach((row, index) => {
      const tr = document.createElement('tr');
      const time = focusTimes === undefined ? null : focusTimes[index];
      if (time !== null && time !== undefined) {
        tr.className = 'focusable';
        tr.title = 'show on the chart';
        tr.addEventListener('click', () => focus(time));
      }
      for (const cell of row) {
        const td = document.createElement('td');
        td.textContent = cell;
        tr.appendChild(td);
      }
      body.appendChild(tr);
    });
  }
  fillTable('summary', model.summary);
  fillTable('synergies', model.synergyRows, model.synergyFocus);
  fillTable('trades', model.tradeRows, model.tradeFocus);
  const notes = document.getElementById('notes');
  for (const note of model.notes) {
    const li = document.createElement('li');
    li.textContent = note;
    notes.appendChild(li);
  }
  document.body.dataset.rendered = 'true';
})();
