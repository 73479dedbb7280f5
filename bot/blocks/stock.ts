import type { KnownBlock } from '@slack/types';
import type { Availability, ItemMatch } from '../../db/queries/ledger.js';
import { modelLabel } from '../../inventory/forecast/models.js';
import { SLACK_LIMITS } from './limits.js';
import { escapeText, truncate } from './mrkdwn.js';
import type { SlackMessage } from './requisition.js';

/** `/stock` answers: one item's stock per location, or the items a search matched. */

/** Locations listed before "…and N more"; the section's 3,000 characters end the list earlier if names are long. */
export const MAX_STOCK_LOCATIONS = 25;
export const MAX_STOCK_MATCHES = 10;

const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text: truncate(text, SLACK_LIMITS.sectionText) } });

/** Rows joined until the cap or the text limit, then "…and N more". */
function listWithin(rows: string[], cap: number, limit = SLACK_LIMITS.sectionText): string {
  const out: string[] = [];
  let length = 0;
  for (const [i, row] of rows.entries()) {
    const more = `…and ${rows.length - i} more`;
    if (i >= cap || length + row.length + 1 > limit - more.length - 1) {
      out.push(more);
      break;
    }
    out.push(row);
    length += row.length + 1;
  }
  return out.join('\n');
}

/** What the item's reorder policy expects: demand over its lead time, and how long the stock lasts at that rate. */
export interface StockDemand {
  leadTimeDays: string;
  leadTimeDemand: string;
  daysOfCover?: string;
  source: 'forecast' | 'average';
  /** The forecast's model, when it is the source. */
  model?: string;
}

/** "Over the 14-day lead time: 56.6 ea expected (forecast: …) · 12.5 days of cover". */
export function demandLine(demand: StockDemand, uom: string): string {
  const expected = Number(demand.leadTimeDemand).toFixed(1).replace(/\.0$/, '');
  const source = demand.source === 'forecast' ? `forecast: ${demand.model ? modelLabel(demand.model) : 'demand forecast'}` : 'average of recent days';
  const cover = demand.daysOfCover === undefined ? 'no recent demand' : `${demand.daysOfCover} days of cover`;
  return `Over the ${demand.leadTimeDays}-day lead time: ${expected} ${uom} expected (${source}) · ${cover}`;
}

export function stockMessage(item: { sku: string; name: string; uom: string }, stock: Availability, demand?: StockDemand): SlackMessage {
  const summary = `*${escapeText(item.sku)}* · ${escapeText(item.name)}\nOn hand ${stock.onHand} ${item.uom} · reserved ${stock.reserved} · available ${stock.available}`;
  const rows = stock.locations.map((l) => `• ${escapeText(l.location)}: ${l.onHand} on hand, ${l.available} available`);
  const blocks: KnownBlock[] = [section(summary)];
  if (demand) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: truncate(demandLine(demand, escapeText(item.uom)), SLACK_LIMITS.sectionText) }] });
  blocks.push(section(rows.length ? listWithin(rows, MAX_STOCK_LOCATIONS) : 'No stock in any location.'));
  return { text: `${item.sku}: ${stock.available} ${item.uom} available of ${stock.onHand} on hand`, blocks };
}

export function matchesMessage(query: string, matches: ItemMatch[]): SlackMessage {
  const rows = matches.map(
    (m) => `• *${escapeText(m.sku)}* ${escapeText(m.name)}: ${m.available} ${m.uom} available${m.active ? '' : ' (no longer stocked)'}`,
  );
  return {
    text: `${matches.length} items match "${escapeText(query)}"`,
    blocks: [
      section(`Items matching "${escapeText(query)}":\n${listWithin(rows, MAX_STOCK_MATCHES)}`),
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'Type `/stock <SKU>` to see an item per location.' }] },
    ],
  };
}

export function textMessage(text: string): SlackMessage {
  return { text: truncate(text.replace(/[*_`]/g, ''), SLACK_LIMITS.sectionText), blocks: [section(text)] };
}
