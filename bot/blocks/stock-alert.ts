import type { ActionsBlock, KnownBlock } from '@slack/types';
import { modelLabel } from '../../inventory/forecast/models.js';
import type { RestockFigures } from '../../workflows/restock-messages.js';
import { PURCHASING_ACTIONS } from '../ids.js';
import { SLACK_LIMITS } from './limits.js';
import { escapeText, truncate } from './mrkdwn.js';
import type { SlackMessage } from './requisition.js';

/**
 * The stock alert: one message per episode in the alerts channel, with the figures a buyer decides
 * on and a "Create purchase order" button; updated in place when the item gets worse and when it
 * recovers (then without the button). Pure functions of the restock workflow's figures.
 */

export interface CreatePurchaseOrderButtonValue {
  sku: string;
}

export const encodeCreatePoValue = (value: CreatePurchaseOrderButtonValue): string => JSON.stringify(value);

export function parseCreatePoValue(value: string): CreatePurchaseOrderButtonValue | undefined {
  try {
    const o = JSON.parse(value) as { sku?: unknown };
    return typeof o?.sku === 'string' && o.sku ? { sku: o.sku } : undefined;
  } catch {
    return undefined;
  }
}

const q = (value: string, uom: string) => `${value} ${uom}`;

/** "56.6 ea expected (forecast: …)" or "(average of recent days)"; undefined for figures from before forecasts. */
export function leadTimeDemandText(figures: Pick<RestockFigures, 'leadTimeDemand' | 'demandSource' | 'forecastModel' | 'uom'>): string | undefined {
  if (figures.leadTimeDemand === undefined) return undefined;
  const shown = Number(figures.leadTimeDemand).toFixed(1).replace(/\.0$/, '');
  const source =
    figures.demandSource === 'forecast' ? `forecast: ${figures.forecastModel ? modelLabel(figures.forecastModel) : 'demand forecast'}` : 'average of recent days';
  return `${shown} ${figures.uom} expected (${source})`;
}

export function stockAlertMessage(figures: RestockFigures, state: 'open' | 'recovered'): SlackMessage {
  // The header is plain text: names go in as typed, no mrkdwn escaping.
  const name = figures.name;
  const sku = figures.sku;
  const where = figures.warehouse ? ` in ${figures.warehouse}` : '';
  const title =
    state === 'recovered'
      ? `:white_check_mark: Recovered: ${sku} ${name}`
      : figures.status === 'stockout'
        ? `:rotating_light: Stockout: ${sku} ${name}${where}`
        : `:warning: Low stock: ${sku} ${name}${where}`;
  const pos = figures.openPurchaseOrders.length
    ? figures.openPurchaseOrders
        .slice(0, 5)
        .map((po) => `${po.number} (${po.status.replace('_', ' ')}, ${q(po.open, figures.uom)} open${po.expectedAt ? `, due ${po.expectedAt}` : ''})`)
        .join(', ') + (figures.openPurchaseOrders.length > 5 ? ` and ${figures.openPurchaseOrders.length - 5} more` : '')
    : 'none';
  const pairs: [string, string][] = [
    ['On hand', q(figures.onHand, figures.uom)],
    ['Reserved', q(figures.reserved, figures.uom)],
    ['Available', q(figures.available, figures.uom)],
    ['Reorder point', `${q(figures.reorderPoint, figures.uom)} (safety stock ${figures.safetyStock})`],
    ['On order', q(figures.onOrder, figures.uom)],
    [
      'Days of cover',
      figures.daysOfCover === undefined
        ? 'no recent demand'
        : figures.demandSource === 'forecast'
          ? `${figures.daysOfCover} days at the forecast rate`
          : `${figures.daysOfCover} days at ${figures.averageDaily}/day`,
    ],
    ['Lead time', `${figures.leadTimeDays} days (${figures.leadTimeSource === 'learned' ? 'learned from receipts' : 'set by hand'})`],
    ...(leadTimeDemandText(figures) ? [['Demand over lead time', leadTimeDemandText(figures)!] as [string, string]] : []),
    ['Suggested order', figures.suggestedQuantity === '0' ? 'none (covered by open orders)' : `${q(figures.suggestedQuantity, figures.uom)}${figures.vendorCode ? ` from ${escapeText(figures.vendorCode)}` : ''}`],
  ];
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(title, SLACK_LIMITS.headerText), emoji: true } },
    {
      type: 'section',
      fields: pairs.map(([label, value]) => ({ type: 'mrkdwn' as const, text: truncate(`*${label}*\n${value}`, SLACK_LIMITS.sectionFieldText) })),
    },
    { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(`Open purchase orders: ${pos}`, SLACK_LIMITS.sectionText) }] },
  ];
  if (state === 'open') {
    const actions: ActionsBlock = {
      type: 'actions',
      block_id: `restock_${figures.sku}`.slice(0, SLACK_LIMITS.blockId),
      elements: [
        {
          type: 'button',
          action_id: PURCHASING_ACTIONS.createPurchaseOrder,
          text: { type: 'plain_text', text: 'Create purchase order' },
          style: 'primary',
          value: encodeCreatePoValue({ sku: figures.sku }),
        },
      ],
    };
    blocks.push(actions);
  }
  const text =
    state === 'recovered'
      ? `Recovered: ${figures.sku} ${figures.name}, ${figures.available} ${figures.uom} available`
      : `${figures.status === 'stockout' ? 'Stockout' : 'Low stock'}: ${figures.sku} ${figures.name}, ${figures.available} ${figures.uom} available, reorder point ${figures.reorderPoint}`;
  return { text, blocks };
}
