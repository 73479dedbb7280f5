import type { Database } from '../db/client.js';
import { abcRunSummary, runAbcClassification, type AbcRunSummary } from '../db/queries/abc.js';
import { formatShare } from '../inventory/abc.js';
import { formatMoney } from '../inventory/decimal.js';
import { withCommandDatabase } from './database.js';
import { renderTable } from './text-table.js';

export interface AbcOptions {
  /** Classify now (a manual run over the last 12 months) instead of showing the latest run. */
  run?: boolean;
  json?: boolean;
}

/** The Pareto table of a run as text: class, item count, share of items, value, share of value. */
export function paretoText(summary: AbcRunSummary | undefined): string {
  if (!summary) return 'No ABC analysis has run yet: run `stockroom abc --run`, or wait for the monthly schedule.';
  const table = renderTable(
    [
      { header: 'Class' },
      { header: 'Items', align: 'right' },
      { header: 'Share of items', align: 'right' },
      { header: 'Annual consumption value', align: 'right' },
      { header: 'Share of value', align: 'right' },
    ],
    [
      ...summary.pareto.map((r) => [r.abcClass, String(r.itemCount), formatShare(r.itemShare), formatMoney(r.value), formatShare(r.valueShare)]),
      null,
      ['All', String(summary.itemCount), '100.0 %', formatMoney(summary.totalValue), '100.0 %'],
    ],
  );
  const changes = summary.changes.length
    ? `\n\nChanged class since the previous run (${summary.changedCount}):\n${summary.changes.map((c) => `  ${c.sku}  ${c.from} → ${c.to}`).join('\n')}`
    : '';
  return (
    `ABC analysis #${summary.runId}: issues from ${summary.periodStart.slice(0, 10)} to ${summary.periodEnd.slice(0, 10)}, ` +
    `cut-offs A ${formatShare(summary.cutoffs.a)}, B ${formatShare(summary.cutoffs.b)}\n\n${table}${changes}`
  );
}

export async function renderAbc(db: Database, opts: AbcOptions = {}): Promise<string> {
  const summary = opts.run
    ? await runAbcClassification(db, { key: `manual-${new Date().toISOString()}`, trigger: 'manual', requestedBy: 'cli' })
    : await abcRunSummary(db);
  return opts.json ? JSON.stringify(summary ?? null, null, 2) : paretoText(summary);
}

/** `stockroom abc [--run] [--json]` */
export async function abcCommand(opts: AbcOptions & { databaseUrl?: string } = {}): Promise<string> {
  const text = await withCommandDatabase(opts.databaseUrl, (db) => renderAbc(db, opts));
  console.log(text);
  return text;
}
