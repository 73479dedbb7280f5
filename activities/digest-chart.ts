import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { ManagerDigest } from '../db/queries/digest.js';

/**
 * The digest's one chart, from a chart grammar: a vega-lite spec (pure, tested), compiled to vega,
 * rendered headless to SVG (no canvas, no browser), then rasterised to PNG by resvg, whose binary ships
 * in its npm package. Text uses the system fonts (DejaVu Sans on the Debian images).
 */

/** Figures become JS numbers only here, for plotting; every figure in text stays an exact decimal. */
export function digestChartSpec(digest: Pick<ManagerDigest, 'valueByClass' | 'accuracy' | 'today'>, currency = ''): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: `Stockroom week of ${digest.today}`, anchor: 'start', fontSize: 16 },
    config: { font: 'DejaVu Sans', view: { stroke: null }, axis: { labelFontSize: 11, titleFontSize: 12 } },
    background: 'white',
    padding: 12,
    // The bars need no legend (the axis says the class); the lines do.
    resolve: { legend: { color: 'independent' } },
    hconcat: [
      {
        title: 'Inventory value by ABC class',
        width: 260,
        height: 220,
        data: { values: digest.valueByClass.map((c) => ({ class: c.abcClass, value: Number(c.value), items: c.items })) },
        mark: { type: 'bar', cornerRadiusEnd: 3 },
        encoding: {
          x: { field: 'class', type: 'nominal', title: 'Class', sort: ['A', 'B', 'C'], axis: { labelAngle: 0 } },
          y: { field: 'value', type: 'quantitative', title: `Value on the books${currency ? ` (${currency.trim()})` : ''}` },
          color: {
            field: 'class',
            type: 'nominal',
            scale: { domain: ['A', 'B', 'C'], range: ['#c0392b', '#e67e22', '#7f8c8d'] },
            legend: null,
          },
        },
      },
      {
        title: 'Count accuracy by month',
        width: 340,
        height: 220,
        data: {
          values: digest.accuracy.map((a) => ({ month: a.month, class: a.abcClass, accuracy: Number(a.accuracy) * 100, counts: a.counts })),
        },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'month', type: 'ordinal', title: 'Month', axis: { labelAngle: 0 } },
          y: { field: 'accuracy', type: 'quantitative', title: 'Within tolerance (%)', scale: { domain: [0, 100] } },
          color: {
            field: 'class',
            type: 'nominal',
            title: 'Class',
            scale: { domain: ['A', 'B', 'C'], range: ['#c0392b', '#e67e22', '#7f8c8d'] },
          },
        },
      },
    ],
  };
}

/**
 * Actual vs forecast for the top A items: one small panel per item over its last recorded periods
 * (what happened, and the model's forecast one period before), so a manager sees where forecasts miss.
 */
export function forecastChartSpec(digest: Pick<ManagerDigest, 'forecast' | 'today'>): TopLevelSpec {
  const label = (item: { sku: string; model: string }) => `${item.sku} (${item.model})`;
  const values = (digest.forecast?.topA ?? []).flatMap((item) =>
    item.recent.flatMap((p) => [
      { item: label(item), start: p.start, series: 'actual', units: p.actual },
      { item: label(item), start: p.start, series: 'forecast', units: p.forecast },
    ]),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: `Top A items: actual vs forecast, to ${digest.today}`, anchor: 'start', fontSize: 16 },
    config: { font: 'DejaVu Sans', view: { stroke: null }, axis: { labelFontSize: 10, titleFontSize: 11 } },
    background: 'white',
    padding: 12,
    data: { values },
    // Panels in ABC rank order, the biggest consumer first.
    facet: { field: 'item', type: 'nominal', title: null, sort: (digest.forecast?.topA ?? []).map(label) },
    columns: 2,
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 280,
      height: 150,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'start', type: 'temporal', title: null, axis: { format: '%d %b', labelAngle: 0 } },
        y: { field: 'units', type: 'quantitative', title: 'Units issued' },
        // One legend: colour and dash share the field.
        color: { field: 'series', type: 'nominal', title: null, scale: { domain: ['actual', 'forecast'], range: ['#2c3e50', '#e67e22'] } },
        strokeDash: { field: 'series', type: 'nominal', title: null, scale: { domain: ['actual', 'forecast'], range: [[1, 0], [5, 3]] } },
      },
    },
  } as TopLevelSpec;
}

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export async function renderPng(spec: TopLevelSpec, scale = 2): Promise<Buffer> {
  const svg = await renderSvg(spec);
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return Buffer.from(resvg.render().asPng());
}
