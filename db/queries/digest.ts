import { sql } from 'drizzle-orm';
import type { AbcClass } from '../../inventory/abc.js';
import { dateInTimeZone, isoWeekKey } from '../../inventory/cycle-count.js';
import { Decimal } from '../../inventory/decimal.js';
import type { Executor } from '../client.js';
import { abcRunSummary, type AbcRunSummary, inventoryValueByClass } from './abc.js';
import { accuracyByMonth, countsDue, type CountsDue, deadStock, type DeadStockRow, getCountingSettings } from './counting.js';
import { forecastAccuracyByClass, topClassAForecasts, type ForecastAccuracy, type RecentForecast } from './forecasting.js';

/**
 * What the weekly managers' digest says, gathered in a handful of aggregate queries. Work waiting in
 * other modules (reorder suggestions, requisition and purchase order approvals) is read from their
 * tables here; when those modules offer their own summaries, swap them in at waitingWork().
 */

export interface WaitingWork {
  /** Draft purchase orders that restocking suggested, not yet sent for approval. */
  reorderSuggestions: number;
  openStockAlerts: number;
  requisitionApprovals: number;
  purchaseOrderApprovals: number;
  countApprovals: number;
}

export interface ManagerDigest {
  week: string;
  today: string;
  timeZone: string;
  counts: CountsDue;
  /** Per month and class, the last six months, oldest first. */
  accuracy: { month: string; abcClass: AbcClass; counts: number; accurate: number; accuracy: string }[];
  waiting: WaitingWork;
  valueByClass: { abcClass: AbcClass; value: string; items: number }[];
  deadStock: { days: number; items: number; value: string; top: DeadStockRow[] };
  abc: AbcRunSummary | undefined;
  /** Demand forecasts: backtest accuracy by ABC class, and the top A items' actual vs forecast (for the chart). */
  forecast?: { byClass: ForecastAccuracy[]; topA: RecentForecast[] };
}

export async function waitingWork(db: Executor): Promise<WaitingWork> {
  const [row] = (await db.execute(sql`
    select (select count(*)::int from purchase_orders where status = 'draft' and source = 'restock') as reorder_suggestions,
           (select count(*)::int from stock_alerts where resolved_at is null) as open_stock_alerts,
           (select count(*)::int from requisitions where status = 'awaiting_approval') as requisition_approvals,
           (select count(*)::int from purchase_orders where status = 'awaiting_approval') as purchase_order_approvals,
           (select count(*)::int from cycle_counts where status = 'awaiting_approval') as count_approvals`)) as unknown as Record<
    string,
    number
  >[];
  return {
    reorderSuggestions: Number(row?.reorder_suggestions ?? 0),
    openStockAlerts: Number(row?.open_stock_alerts ?? 0),
    requisitionApprovals: Number(row?.requisition_approvals ?? 0),
    purchaseOrderApprovals: Number(row?.purchase_order_approvals ?? 0),
    countApprovals: Number(row?.count_approvals ?? 0),
  };
}

/** `timeZone`: the reader's (the manager's) zone for "today" and the week; the stockroom's by default. */
export async function buildManagerDigest(db: Executor, at: Date, opts: { timeZone?: string } = {}): Promise<ManagerDigest> {
  const settings = await getCountingSettings(db);
  const timeZone = opts.timeZone ?? settings.timeZone;
  const today = dateInTimeZone(at, timeZone);
  const monthly = await accuracyByMonth(db, { timeZone, months: 6, today });
  const accuracy = monthly.map((m) => ({ ...m, accuracy: new Decimal(m.accurate).div(m.counts).toFixed(4) }));
  return {
    week: isoWeekKey(today),
    today,
    timeZone,
    counts: await countsDue(db, today),
    accuracy,
    waiting: await waitingWork(db),
    valueByClass: await inventoryValueByClass(db),
    deadStock: { days: settings.deadStockDays, ...(await deadStock(db, { days: settings.deadStockDays, asOf: at })) },
    abc: await abcRunSummary(db),
    forecast: { byClass: await forecastAccuracyByClass(db), topA: await topClassAForecasts(db) },
  };
}
