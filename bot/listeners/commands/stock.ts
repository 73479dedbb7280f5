import type { Middleware, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { Database, Executor } from '../../../db/client.js';
import { storedForecasts } from '../../../db/queries/forecasting.js';
import { getItem } from '../../../db/queries/items.js';
import { availability, searchItems } from '../../../db/queries/ledger.js';
import { evaluateItem } from '../../../db/queries/reorder-check.js';
import type { BotDeps } from '../../app.js';
import { matchesMessage, MAX_STOCK_MATCHES, stockMessage, textMessage, type StockDemand } from '../../blocks/stock.js';
import { escapeText } from '../../blocks/mrkdwn.js';
import type { SlackMessage } from '../../blocks/requisition.js';
import { COMMANDS } from '../../ids.js';
import { answerCommand } from './answer.js';

/** `/stock <sku|name|barcode>`: stock on hand per location, only to the person who asked. */
export const stockCommand =
  (deps: BotDeps): Middleware<SlackCommandMiddlewareArgs> =>
  async ({ ack, command, respond, logger }) => {
    const query = command.text.trim();
    if (!query) {
      await ack({ response_type: 'ephemeral', text: `Say which item: \`${COMMANDS.stock} <SKU, name or barcode>\`, e.g. \`${COMMANDS.stock} PEN-BLUE\`.` });
      return;
    }
    await answerCommand({ ack, respond, logger }, stockAnswer(deps.db, query), `Looking up "${query}"…`);
  };

export async function stockAnswer(db: Executor, query: string): Promise<SlackMessage> {
  const matches = await searchItems(db, { query, limit: MAX_STOCK_MATCHES + 1 });
  if (matches.length === 0) return textMessage(`No item matches "${escapeText(query)}". Try part of the name, the SKU or the barcode.`);
  const exact = matches.find((m) => m.sku.toLowerCase() === query.toLowerCase() || m.barcode === query);
  const item = exact ?? (matches.length === 1 ? matches[0] : undefined);
  if (!item) return matchesMessage(query, matches);
  return stockMessage(item, await availability(db, { sku: item.sku }), await expectedDemand(db, item.sku));
}

/**
 * The company-wide reorder policy's view of demand (the first warehouse policy's when there is no
 * company-wide one): what the reorder check uses, forecast or average. Undefined without a policy.
 */
async function expectedDemand(db: Executor, sku: string): Promise<StockDemand | undefined> {
  const found = await getItem(db, { sku });
  if (!found) return undefined;
  const evaluations = await evaluateItem(db as Database, { itemId: found.id, save: false });
  const policy = evaluations.find((e) => !e.warehouse) ?? evaluations[0];
  if (!policy) return undefined;
  const e = policy.evaluation;
  const model = e.demandSource === 'forecast' ? (await storedForecasts(db, { sku })).find((f) => f.policyId === policy.policyId)?.model : undefined;
  return {
    leadTimeDays: e.leadTimeDays,
    leadTimeDemand: e.leadTimeDemand,
    ...(e.daysOfCover !== undefined ? { daysOfCover: e.daysOfCover } : {}),
    source: e.demandSource,
    ...(model ? { model } : {}),
  };
}
