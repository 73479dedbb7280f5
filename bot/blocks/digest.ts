import type { KnownBlock, SectionBlock } from '@slack/types';
import type { ManagerDigest } from '../../db/queries/digest.js';
import { formatShare } from '../../inventory/abc.js';
import { Decimal, formatMoney, sum } from '../../inventory/decimal.js';
import { SLACK_LIMITS } from './limits.js';
import { escapeText, truncate } from './mrkdwn.js';

/**
 * The weekly managers' digest as Block Kit: counts due and overdue, accuracy, work waiting for a decision,
 * inventory value by ABC class and dead stock. The chart goes up as a file right after this message.
 */

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

const section = (markdown: string): SectionBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: truncate(markdown, SLACK_LIMITS.sectionText) },
});
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Accuracy of the latest month with counts, all classes together, e.g. '92.3 % of 130 lines (2026-11)'. */
export function latestAccuracy(accuracy: ManagerDigest['accuracy']): string {
  const months = [...new Set(accuracy.map((a) => a.month))].sort();
  const month = months[months.length - 1];
  if (!month) return 'no counts yet';
  const rows = accuracy.filter((a) => a.month === month);
  const counts = rows.reduce((acc, r) => acc + r.counts, 0);
  const accurate = rows.reduce((acc, r) => acc + r.accurate, 0);
  const perClass = rows.map((r) => `${r.abcClass} ${formatShare(r.accuracy)}`).join(' · ');
  return `${formatShare(new Decimal(accurate).div(counts).toFixed(4))} of ${plural(counts, 'line')} within tolerance in ${month} (${perClass})`;
}

/**
 * The forecast-accuracy line: mean backtest MASE (error ÷ the naive forecast's; under 1 beats it) and
 * bias of the chosen models per ABC class, and how many forecasts set reorder points.
 */
export function forecastAccuracyLine(forecast: ManagerDigest['forecast']): string {
  const classes = forecast?.byClass.filter((c) => c.items > 0) ?? [];
  if (classes.length === 0) return ':crystal_ball: *Forecast accuracy*: no demand forecasts yet (refitted every Sunday).';
  const parts = classes.map((c) => {
    const bias = c.bias === null ? '' : `, bias ${Number(c.bias) >= 0 ? '+' : ''}${(Number(c.bias) * 100).toFixed(1)} %`;
    return `${c.abcClass} MASE ${c.mase === null ? '–' : Number(c.mase).toFixed(2)}${bias} (${plural(c.items, 'item')})`;
  });
  const items = classes.reduce((a, c) => a + c.items, 0);
  const used = classes.reduce((a, c) => a + c.used, 0);
  return `:crystal_ball: *Forecast accuracy* (backtest): ${parts.join(' · ')}. ${used} of ${plural(items, 'forecast')} set their reorder point.`;
}

export function digestMessage(digest: ManagerDigest, currency = ''): SlackMessage {
  const { counts, waiting } = digest;
  const totalValue = sum(digest.valueByClass.map((c) => c.value));
  const valueRows = digest.valueByClass.map((c) => {
    const share = totalValue.isZero() ? '0.0000' : new Decimal(c.value).div(totalValue).toFixed(4);
    return `*${c.abcClass}*  ${formatMoney(c.value, currency)} (${formatShare(share)}) in ${plural(c.items, 'item')}`;
  });
  const overdueList = counts.overdueDocuments
    .slice(0, 5)
    .map((d) => `${d.number}${d.counter ? ` (<@${d.counter}>)` : ' (unassigned)'} due ${d.dueOn}`)
    .join(', ');
  const waitingParts = [
    `${plural(waiting.reorderSuggestions, 'reorder suggestion')} to review`,
    `${plural(waiting.openStockAlerts, 'open stock alert')}`,
    `${plural(waiting.requisitionApprovals, 'requisition')} and ${plural(waiting.purchaseOrderApprovals, 'purchase order')} awaiting approval`,
    `${plural(waiting.countApprovals, 'count adjustment')} awaiting your decision`,
  ];
  const dead = digest.deadStock;
  const deadRows = dead.top.map(
    (d) => `• *${escapeText(d.sku)}* ${escapeText(truncate(d.name, 60))}: ${d.onHand} on hand, ${formatMoney(d.value, currency)}, last issued ${d.lastIssuedOn ?? 'never'}`,
  );
  const abc = digest.abc
    ? `ABC analysis of ${digest.abc.periodEnd.slice(0, 10)}: ${digest.abc.pareto.map((r) => `${r.abcClass} ${r.itemCount}`).join(' · ')}${digest.abc.changedCount ? `, ${plural(digest.abc.changedCount, 'item')} changed class` : ''}.`
    : 'No ABC analysis yet: every item counts as C until the first monthly run.';

  const text = `Stockroom weekly digest ${digest.week}: ${plural(counts.dueToday, 'count')} due today, ${counts.overdue} overdue; ${latestAccuracy(digest.accuracy)}.`;
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: `Stockroom weekly digest · ${digest.week}`, emoji: true } },
    section(
      `:clipboard: *Cycle counts*: ${plural(counts.dueToday, 'count')} due today, *${counts.overdue} overdue*${overdueList ? ` (${overdueList})` : ''}.\n:dart: *Accuracy*: ${latestAccuracy(digest.accuracy)}.`,
    ),
    section(`:hourglass_flowing_sand: *Waiting*: ${waitingParts.join('; ')}.`),
    section(forecastAccuracyLine(digest.forecast)),
    section(`:moneybag: *Inventory value by ABC class* (${formatMoney(totalValue, currency)} in all)\n${valueRows.join('\n')}`),
    section(
      dead.items === 0
        ? `:ghost: *Dead stock*: nothing on hand has gone ${dead.days} days without an issue.`
        : `:ghost: *Dead stock*: ${plural(dead.items, 'item')} worth ${formatMoney(dead.value, currency)} with no issue in ${dead.days} days.\n${deadRows.join('\n')}`,
    ),
    { type: 'context', elements: [{ type: 'mrkdwn', text: `${abc} Dates in ${digest.timeZone}.` }] },
  ];
  return { text, blocks };
}
