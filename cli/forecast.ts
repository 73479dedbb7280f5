import type { Database } from '../db/client.js';
import { modelLabel } from '../inventory/forecast/models.js';
import { refitForecasts, storedForecasts, type RefitSummary, type StoredForecast } from '../db/queries/forecasting.js';
import { CommandError, withCommandDatabase } from './database.js';
import { renderTable } from './text-table.js';

export interface ForecastOptions {
  /** Refit now (every item, or the one asked for) before showing. */
  refit?: boolean;
  json?: boolean;
  /** Items listed without a SKU (default 100). */
  limit?: number;
}

export const modelName = modelLabel;

const num = (x: number | string | null | undefined, digits = 2): string => (x === null || x === undefined ? '–' : Number(x).toFixed(digits));
const percent = (x: string | number | null): string => (x === null ? '–' : `${Number(x) >= 0 ? '+' : ''}${(Number(x) * 100).toFixed(1)} %`);
const unitOf = (f: StoredForecast) => (f.period === 'week' ? 'week' : 'day');

/** Why the forecast does or does not set the reorder point, in one sentence. */
export function forecastUseText(f: StoredForecast): string {
  if (f.drivesReorderPoint) return `sets the reorder point: ${f.reorderPoint} ${f.uom} (expected lead-time demand ${f.leadTimeDemand} + safety stock ${f.safetyStock})`;
  if (f.demandMethod === 'average') return `not used: the policy keeps the average/σ method (demand method 'average')`;
  if (!f.beatsCurrent) return `not used: it did not beat the average/σ method in backtest (MASE ${num(f.mase)} vs ${num(f.maseCurrent)})`;
  return 'not used until the next refit: the lead time or service level changed since it was fitted';
}

/** One item's forecast as text: model, scores against the benchmarks, what it does to the reorder point, the next periods. */
export function forecastText(f: StoredForecast): string {
  const unit = unitOf(f);
  const scope = f.warehouse ? ` (${f.warehouse})` : '';
  const lines = [
    `${f.sku}${scope}  ${f.name}`,
    `Model: ${modelName(f.model)} (${f.demandClass} demand, ${f.historyPeriods} ${unit}s of history to ${f.historyEnd}, fitted ${f.fittedAt.slice(0, 16).replace('T', ' ')} UTC)`,
    `Backtest (rolling origin, ${f.nextPeriods.length} ${unit}s ahead = lead time ${f.leadTimeDays} days + review): ` +
      `MASE ${num(f.mase)} vs seasonal naive ${num(f.maseSeasonalNaive)} and current method ${num(f.maseCurrent)}; bias ${percent(f.bias)}`,
    `Lead time ${f.leadTimeDays} days at ${(Number(f.serviceLevel) * 100).toFixed(1)} % service: ${forecastUseText(f)}`,
    '',
    renderTable(
      [{ header: `${unit === 'week' ? 'Week' : 'Day'} from` }, { header: 'Forecast', align: 'right' }, { header: '90 % interval', align: 'right' }],
      f.nextPeriods.map((p) => [p.start, num(p.mean, 1), `${num(p.lower, 1)} – ${num(p.upper, 1)}`]),
    ),
    '',
    'Candidates in backtest (MASE: mean absolute error ÷ that of the one-period naive forecast; bias: over (+) or under (−) forecast):',
    renderTable(
      [{ header: 'Model' }, { header: 'MASE', align: 'right' }, { header: 'Bias', align: 'right' }],
      f.backtest.map((b) => [`${modelName(b.model)}${b.model === f.model ? ' (chosen)' : ''}`, num(b.mase), percent(b.bias)]),
    ),
  ];
  return lines.join('\n');
}

/** Every item's forecast in one table, then how many set their reorder point. */
export function forecastListText(forecasts: StoredForecast[], total: number): string {
  if (total === 0) return 'No forecasts yet: run `stockroom forecast --refit`, or wait for the weekly schedule (Sunday 05:00).';
  const table = renderTable(
    [
      { header: 'SKU' },
      { header: 'Model' },
      { header: 'Per' },
      { header: 'MASE', align: 'right' },
      { header: 'Naive', align: 'right' },
      { header: 'Current', align: 'right' },
      { header: 'Bias', align: 'right' },
      { header: 'Lead-time demand', align: 'right' },
      { header: 'Reorder point', align: 'right' },
      { header: 'Used' },
    ],
    forecasts.map((f) => [
      f.warehouse ? `${f.sku} (${f.warehouse})` : f.sku,
      f.model,
      unitOf(f),
      num(f.mase),
      num(f.maseSeasonalNaive),
      num(f.maseCurrent),
      percent(f.bias),
      f.leadTimeDemand,
      f.reorderPoint,
      f.drivesReorderPoint ? 'yes' : 'no',
    ]),
  );
  const shown = forecasts.length < total ? `\n(${forecasts.length} of ${total} shown; --limit for more, or give a SKU)` : '';
  return `${table}${shown}`;
}

const summaryText = (s: RefitSummary) =>
  `Refitted ${s.policies} policies: ${s.forecast} forecast (${s.beatsCurrent} beat the current method), ${s.withoutForecast} with too little history. ` +
  `Models: ${Object.entries(s.models)
    .sort((a, b) => b[1] - a[1])
    .map(([m, c]) => `${m} ${c}`)
    .join(', ')}.`;

export async function renderForecast(db: Database, sku: string | undefined, opts: ForecastOptions = {}): Promise<string> {
  let refitted: RefitSummary | undefined;
  if (opts.refit) {
    let itemIds: string[] | undefined;
    if (sku) {
      const rows = (await (db as Database & { $client: import('postgres').Sql }).$client<{ id: string }[]>`
        select id from items where lower(sku) = lower(${sku})`) as { id: string }[];
      if (rows.length === 0) throw new CommandError(`No item with SKU ${sku}.`);
      itemIds = rows.map((r) => r.id);
    }
    refitted = await refitForecasts(db, { itemIds });
  }
  if (sku) {
    const forecasts = await storedForecasts(db, { sku });
    if (opts.json) return JSON.stringify(forecasts, null, 2);
    if (forecasts.length === 0) {
      const known = (await (db as Database & { $client: import('postgres').Sql }).$client<{ n: number }[]>`
        select count(*)::int as n from items where lower(sku) = lower(${sku})`)[0]!.n;
      if (known === 0) throw new CommandError(`No item with SKU ${sku}.`);
      return `${sku}: no forecast (no active reorder policy, or under eight weeks of issues); its reorder point uses the average/σ method.`;
    }
    return [...(refitted ? [summaryText(refitted)] : []), ...forecasts.map(forecastText)].join('\n\n');
  }
  const all = await storedForecasts(db);
  if (opts.json) return JSON.stringify(all, null, 2);
  const limit = opts.limit ?? 100;
  const used = all.filter((f) => f.drivesReorderPoint).length;
  const head = all.length > 0 ? `${all.length} forecasts; ${used} set their item's reorder point (they beat the average/σ method in backtest).\n\n` : '';
  return `${refitted ? `${summaryText(refitted)}\n\n` : ''}${head}${forecastListText(all.slice(0, limit), all.length)}`;
}

/** `stockroom forecast [sku] [--refit] [--json] [--limit N]` */
export async function forecastCommand(sku: string | undefined, opts: ForecastOptions & { databaseUrl?: string } = {}): Promise<string> {
  const text = await withCommandDatabase(opts.databaseUrl, (db) => renderForecast(db, sku, opts));
  console.log(text);
  return text;
}
