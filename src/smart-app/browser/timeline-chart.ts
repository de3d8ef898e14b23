import uPlot from 'uplot';
import { displayUnit, formatInstant, formatNumber } from '../../report/format-evidence';
import {
  SERIES_ORDER,
  type MarkedPair,
  type SeriesId,
  type SeriesInfo,
  type TimelineModel,
} from '../timeline-model';
import { h } from './dom';

type RangeName = keyof TimelineModel['ranges'];

const COLOURS: Readonly<Record<SeriesId, string>> = {
  pf: '#1f5fbf',
  peep: '#6f42c1',
  plateau: '#a8326e',
  paco2: '#0b7a75',
  ph: '#8a5a00',
};
const THRESHOLD = '#b42318';
const LOOKBACK_FILL = 'rgba(31, 95, 191, 0.07)';
const LOOKBACK_EDGE = 'rgba(31, 95, 191, 0.45)';
/** Fixed y-axis width, so every panel's plot area lines up under the same times. */
const AXIS_SIZE = 58;
const PANEL_HEIGHT = 128;
/** Same padding on every panel, so the plot areas line up whichever shows the time axis. */
const PADDING: uPlot.Padding = [10, 28, 0, 0];
const SYNC_KEY = 'stellar-timeline';

const RANGE_LABELS: Readonly<Record<RangeName, string>> = {
  episode: 'Current episode',
  lookback: 'Blood-gas lookback',
  all: 'All ventilation data',
};

const utc = (ts: number) => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC');
const sec = (ms: number) => ms / 1000;

function qualifyingText(s: SeriesInfo): string {
  const unit = displayUnit(s.unit);
  const sign = s.threshold.qualifies === 'at-or-below' ? '≤' : '≥';
  return `qualifies ${sign} ${formatNumber(s.threshold.value, s.unit)}${unit ? ` ${unit}` : ''}`;
}

/** Draws the lookback band, the threshold line with its qualifying side, and numbered pairs. */
function overlay(model: TimelineModel, s: SeriesInfo) {
  return (u: uPlot) => {
    const ctx = u.ctx;
    const { left, top, width, height } = u.bbox;
    const px = uPlot.pxRatio;
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, width, height);
    ctx.clip();
    const x0 = u.valToPos(sec(model.lookback[0]), 'x', true);
    const x1 = u.valToPos(sec(model.lookback[1]), 'x', true);
    ctx.fillStyle = LOOKBACK_FILL;
    ctx.fillRect(x0, top, x1 - x0, height);

    ctx.strokeStyle = LOOKBACK_EDGE;
    ctx.lineWidth = 1 * px;
    ctx.beginPath();
    ctx.moveTo(x0, top);
    ctx.lineTo(x0, top + height);
    ctx.stroke();

    const y = u.valToPos(s.threshold.value, 'y', true);
    ctx.strokeStyle = THRESHOLD;
    ctx.lineWidth = 1.25 * px;
    ctx.setLineDash([6 * px, 4 * px]);
    ctx.beginPath();
    ctx.moveTo(left, y);
    ctx.lineTo(left + width, y);
    ctx.stroke();
    ctx.setLineDash([]);

    ctx.font = `${11 * px}px system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    for (const pair of model.pairs) {
      for (const p of pair.points) {
        if (p.series !== s.id) continue;
        const cx = u.valToPos(sec(p.time), 'x', true);
        const cy = u.valToPos(p.value, 'y', true);
        ctx.beginPath();
        ctx.arc(cx, cy, 8 * px, 0, 2 * Math.PI);
        ctx.fillStyle = '#ffffff';
        ctx.fill();
        ctx.lineWidth = 2 * px;
        ctx.strokeStyle = '#1b1f24';
        ctx.stroke();
        ctx.fillStyle = '#1b1f24';
        ctx.fillText(String(pair.number), cx, cy + 0.5 * px);
      }
    }
    ctx.restore();
  };
}

/** Draws the ventilation episodes as bars, failed extubations as ticks, and `now`. */
function episodeOverlay(model: TimelineModel) {
  return (u: uPlot) => {
    const ctx = u.ctx;
    const { left, top, width, height } = u.bbox;
    const px = uPlot.pxRatio;
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, width, height);
    ctx.clip();
    const barTop = top + height * 0.2;
    const barHeight = height * 0.6;
    const x0 = u.valToPos(sec(model.lookback[0]), 'x', true);
    const x1 = u.valToPos(sec(model.lookback[1]), 'x', true);
    ctx.fillStyle = LOOKBACK_FILL;
    ctx.fillRect(x0, top, x1 - x0, height);
    ctx.font = `${11 * px}px system-ui, sans-serif`;
    ctx.textBaseline = 'middle';
    for (const e of model.episodes) {
      const a = u.valToPos(sec(e.start), 'x', true);
      const b = u.valToPos(sec(e.end), 'x', true);
      ctx.fillStyle = e.current ? '#1f5fbf' : '#8c959f';
      ctx.fillRect(a, barTop, Math.max(b - a, 2 * px), barHeight);
      const label = `${e.current ? 'current episode, ' : ''}${e.days.toFixed(1)} days`;
      const visibleStart = Math.max(a, left);
      if (b - visibleStart > ctx.measureText(label).width + 12 * px) {
        ctx.fillStyle = '#ffffff';
        ctx.textAlign = 'left';
        ctx.fillText(label, visibleStart + 6 * px, barTop + barHeight / 2);
      }
      ctx.strokeStyle = '#ffffff';
      ctx.lineWidth = 2 * px;
      for (const t of e.failedExtubations) {
        const x = u.valToPos(sec(t), 'x', true);
        ctx.beginPath();
        ctx.moveTo(x, barTop);
        ctx.lineTo(x, barTop + barHeight);
        ctx.stroke();
      }
    }
    const xNow = u.valToPos(sec(model.now), 'x', true);
    ctx.strokeStyle = '#1b1f24';
    ctx.lineWidth = 1.5 * px;
    ctx.beginPath();
    ctx.moveTo(xNow, top);
    ctx.lineTo(xNow, top + height);
    ctx.stroke();
    ctx.restore();
  };
}

function panelOptions(
  model: TimelineModel,
  s: SeriesInfo,
  width: number,
  range: [number, number],
  last: boolean,
): uPlot.Options {
  const unit = displayUnit(s.unit);
  return {
    width,
    height: PANEL_HEIGHT + (last ? 36 : 0),
    padding: PADDING,
    tzDate: utc,
    legend: { show: false },
    cursor: { sync: { key: SYNC_KEY }, drag: { x: false, y: false }, points: { size: 8 } },
    scales: {
      x: { time: true, min: sec(range[0]), max: sec(range[1]) },
      y: {
        range: (_u, min, max) => {
          const t = s.threshold.value;
          const lo = Math.min(min ?? t, t);
          const hi = Math.max(max ?? t, t);
          const pad = (hi - lo || Math.abs(t) || 1) * 0.18;
          return [lo - pad, hi + pad];
        },
      },
    },
    series: [
      {},
      {
        label: s.label,
        stroke: COLOURS[s.id],
        width: 1.5,
        spanGaps: true,
        points: { show: true, size: 5, fill: COLOURS[s.id] },
        value: (_u, v) =>
          v === null ? '–' : `${formatNumber(v, s.unit)}${unit ? ` ${unit}` : ''}`,
      },
    ],
    axes: [
      { show: last, stroke: '#57606a', grid: { stroke: '#eaeef2' }, ticks: { stroke: '#d0d7de' } },
      {
        size: AXIS_SIZE,
        stroke: '#57606a',
        grid: { stroke: '#eaeef2' },
        ticks: { stroke: '#d0d7de' },
        values: (_u, splits) => splits.map((v) => formatNumber(v, s.unit)),
      },
    ],
    hooks: { draw: [overlay(model, s)] },
  };
}

function episodeOptions(
  model: TimelineModel,
  width: number,
  range: [number, number],
): uPlot.Options {
  return {
    width,
    height: 96,
    padding: PADDING,
    tzDate: utc,
    legend: { show: false },
    cursor: { sync: { key: SYNC_KEY }, drag: { x: false, y: false }, points: { show: false } },
    scales: { x: { time: true, min: sec(range[0]), max: sec(range[1]) }, y: { range: [0, 1] } },
    // An invisible flat series: uPlot lays out the time axis only for a scale that has data.
    series: [{}, { stroke: 'transparent', points: { show: false } }],
    axes: [
      // The time axis on top, so times are in view with the first panels.
      { side: 0, stroke: '#57606a', grid: { show: false }, ticks: { stroke: '#d0d7de' } },
      {
        size: AXIS_SIZE,
        show: true,
        values: () => [],
        grid: { show: false },
        ticks: { show: false },
      },
    ],
    hooks: { draw: [episodeOverlay(model)] },
  };
}

function data(points: readonly { time: number; value: number }[], range: [number, number]) {
  if (points.length === 0)
    return [
      [sec(range[0]), sec(range[1])],
      [null, null],
    ] as uPlot.AlignedData;
  return [points.map((p) => sec(p.time)), points.map((p) => p.value)] as uPlot.AlignedData;
}

/** The list under the chart naming every numbered point, so the chart is not needed to read it. */
function pairLegend(pairs: readonly MarkedPair[]): HTMLElement {
  if (pairs.length === 0) {
    return h('p', { class: 'muted' }, 'No blood gas in the lookback was paired with a setting.');
  }
  return h(
    'ol',
    { class: 'pair-legend' },
    pairs.map((p) =>
      h(
        'li',
        { value: p.number },
        h('span', { class: 'pair-number', 'aria-hidden': 'true' }, String(p.number)),
        p.text,
      ),
    ),
  );
}

/**
 * The worksheet's timeline: the ventilation episodes as bars over the same time axis as five
 * small charts (P/F, PEEP, plateau, PaCO2, pH), each with its threshold line and qualifying side
 * shaded, the blood-gas lookback shaded, and the values the screen paired numbered. A range
 * switch moves between the current episode, the lookback, and everything read.
 */
export function renderTimeline(model: TimelineModel): HTMLElement {
  const plotsHost = h('div', { class: 'timeline-plots' });
  const figure = h('figure', { class: 'timeline', 'aria-labelledby': 'timeline-title' }, plotsHost);
  let current: RangeName = 'episode';
  const charts: uPlot[] = [];
  const buttons = (Object.keys(RANGE_LABELS) as RangeName[]).map((name) =>
    h(
      'button',
      {
        type: 'button',
        class: 'segmented-button',
        'aria-pressed': name === current ? 'true' : 'false',
        onclick: () => select(name),
      },
      RANGE_LABELS[name],
    ),
  );
  const select = (name: RangeName) => {
    current = name;
    buttons.forEach((b, i) =>
      b.setAttribute('aria-pressed', (Object.keys(RANGE_LABELS)[i] === name).toString()),
    );
    const [min, max] = model.ranges[name];
    for (const c of charts) c.setScale('x', { min: sec(min), max: sec(max) });
  };
  const controls = h(
    'div',
    { class: 'segmented', role: 'group', 'aria-label': 'Time range of the chart' },
    buttons,
  );

  const build = () => {
    for (const c of charts.splice(0)) c.destroy();
    plotsHost.replaceChildren();
    const width = Math.max(280, Math.floor(plotsHost.clientWidth || 640));
    const range = model.ranges[current];
    const episodeRow = h(
      'div',
      { class: 'timeline-row' },
      h(
        'div',
        { class: 'timeline-label' },
        h('strong', {}, 'Ventilation episodes'),
        h(
          'span',
          {},
          'bar: invasive ventilation · tick: failed extubation · black line: now · shaded: blood-gas lookback',
        ),
      ),
    );
    plotsHost.append(episodeRow);
    const strip = h('div', { class: 'timeline-canvas' });
    episodeRow.append(strip);
    const flat = [
      [sec(range[0]), sec(range[1])],
      [0.5, 0.5],
    ] as uPlot.AlignedData;
    charts.push(new uPlot(episodeOptions(model, width, range), flat, strip));
    SERIES_ORDER.forEach((id, i) => {
      const s = model.series[id];
      const row = h(
        'div',
        { class: 'timeline-row' },
        h(
          'div',
          { class: 'timeline-label' },
          h(
            'strong',
            { style: undefined },
            h('span', { class: `swatch swatch-${id}`, 'aria-hidden': 'true' }),
            s.label,
            displayUnit(s.unit) ? ` (${displayUnit(s.unit)})` : '',
          ),
          h(
            'span',
            {},
            `${qualifyingText(s)} · ${s.points.length} value${s.points.length === 1 ? '' : 's'}`,
          ),
        ),
      );
      const host = h('div', { class: 'timeline-canvas' });
      row.append(host);
      plotsHost.append(row);
      if (s.points.length === 0)
        host.append(h('p', { class: 'timeline-empty' }, `No ${s.label} in the record read.`));
      charts.push(
        new uPlot(
          panelOptions(model, s, width, range, i === SERIES_ORDER.length - 1),
          data(s.points, range),
          host,
        ),
      );
    });
  };

  const header = h(
    'div',
    { class: 'section-header' },
    h('h2', { id: 'timeline-title' }, 'Ventilation and blood gases'),
    controls,
  );
  const caption = h(
    'figcaption',
    {},
    h(
      'p',
      { class: 'muted' },
      `Times in UTC. Shaded blue: the ${Math.round((model.lookback[1] - model.lookback[0]) / 3_600_000)} h blood-gas lookback (to ${formatInstant(new Date(model.now).toISOString())}). Dashed red line: the criterion's threshold. Numbered points: the values the screen paired (listed below).`,
    ),
    pairLegend(model.pairs),
  );
  figure.append(caption);
  const section = h(
    'section',
    { class: 'panel', 'aria-labelledby': 'timeline-title' },
    header,
    figure,
  );

  // Built once the panel has a width; rebuilt when the width changes (tablet rotation, print).
  let lastWidth = 0;
  const observer = new ResizeObserver(() => {
    const width = Math.floor(plotsHost.clientWidth);
    if (width > 0 && Math.abs(width - lastWidth) > 4) {
      lastWidth = width;
      build();
    }
  });
  observer.observe(plotsHost);
  return section;
}
