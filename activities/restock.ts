import { Context, heartbeat } from '@temporalio/activity';
import type { WebClient } from '@slack/web-api';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { stockAlertMessage } from '../bot/blocks/stock-alert.js';
import { dec } from '../inventory/decimal.js';
import type { Database } from '../db/client.js';
import { getItem } from '../db/queries/items.js';
import { openPurchaseOrdersForItem } from '../db/queries/purchasing.js';
import { storedForecasts } from '../db/queries/forecasting.js';
import { evaluateItem, runReorderCheck, type PolicyEvaluation } from '../db/queries/reorder-check.js';
import { stockAlerts } from '../db/schema/index.js';
import type { ReorderCheckOutcome, RestockFigures } from '../workflows/restock-messages.js';
import { signalRestock } from './restock-trigger.js';
import { createSlackPoster, say } from './slack-post.js';

export interface RestockSettings {
  /** Where stock alerts go: a channel id, or a name the bot has joined. */
  alertsChannel: string;
}

export const DEFAULT_RESTOCK_SETTINGS: RestockSettings = { alertsChannel: '#stock-alerts' };

const RANK = { stockout: 2, low: 1, ok: 0 } as const;

/** The policy that matters most for the alert: the worst status, then the least available. */
export function worstEvaluation(evaluations: PolicyEvaluation[]): PolicyEvaluation | undefined {
  return [...evaluations].sort(
    (a, b) =>
      RANK[b.evaluation.status] - RANK[a.evaluation.status] ||
      dec(a.evaluation.available).comparedTo(b.evaluation.available) ||
      a.policyId.localeCompare(b.policyId),
  )[0];
}

const alertKey = (episodeId: string) => `stock-alert/${episodeId}`;

/** Figures the alert compares to decide whether its message needs an update. */
const shown = (f: RestockFigures) => `${f.status}|${f.onOrder}|${f.openPurchaseOrders.map((p) => `${p.number}:${p.status}`).join(',')}`;

export function createRestockActivities(deps: { db: Database; slack?: WebClient; restock?: Partial<RestockSettings> }) {
  const { db, slack } = deps;
  const settings = { ...DEFAULT_RESTOCK_SETTINGS, ...deps.restock };
  const poster = slack ? createSlackPoster(db, slack) : undefined;

  const openEpisode = async (itemId: string) =>
    (await db.select().from(stockAlerts).where(and(eq(stockAlerts.itemId, itemId), isNull(stockAlerts.resolvedAt))))[0];

  return {
    /** The item's figures now (worst policy), with the purchase orders already open for it. */
    async evaluateRestock(input: { sku: string }): Promise<RestockFigures> {
      const item = await getItem(db, { sku: input.sku });
      const blank = {
        sku: input.sku,
        name: item?.name ?? input.sku,
        uom: item?.uom ?? 'ea',
        onHand: '0',
        reserved: '0',
        available: '0',
        reorderPoint: '0',
        safetyStock: '0',
        onOrder: '0',
        openPurchaseOrders: [],
        averageDaily: '0',
        leadTimeDays: '0',
        leadTimeSource: 'manual' as const,
        suggestedQuantity: '0',
      };
      if (!item) return { ...blank, status: 'unknown_item' };
      const worst = worstEvaluation(await evaluateItem(db, { itemId: item.id }));
      if (!worst) return { ...blank, sku: item.sku, status: 'no_policy' };
      const e = worst.evaluation;
      const model = e.demandSource === 'forecast' ? (await storedForecasts(db, { sku: item.sku })).find((f) => f.policyId === worst.policyId)?.model : undefined;
      return {
        sku: item.sku,
        name: item.name,
        uom: item.uom,
        status: e.status,
        onHand: e.onHand,
        reserved: e.reserved,
        available: e.available,
        reorderPoint: e.reorderPoint,
        safetyStock: e.safetyStock,
        onOrder: e.onOrder,
        openPurchaseOrders: await openPurchaseOrdersForItem(db, item.id),
        averageDaily: e.averageDaily,
        ...(e.daysOfCover !== undefined ? { daysOfCover: e.daysOfCover } : {}),
        leadTimeDays: e.leadTimeDays,
        leadTimeSource: e.leadTimeSource,
        suggestedQuantity: e.suggestedQuantity,
        ...(worst.vendorCode ? { vendorCode: worst.vendorCode } : {}),
        ...(worst.warehouse ? { warehouse: worst.warehouse } : {}),
        leadTimeDemand: e.leadTimeDemand,
        demandSource: e.demandSource,
        ...(model ? { forecastModel: model } : {}),
      };
    },

    /**
     * Opens the item's alert episode if none is open (the partial unique index keeps one) and posts
     * its message once; later calls update that message when the status or the open orders change.
     */
    async raiseStockAlert(input: { figures: RestockFigures }): Promise<{ episodeId: string; opened: boolean; posted: boolean; updated: boolean }> {
      const { figures } = input;
      const item = await getItem(db, { sku: figures.sku });
      if (!item) throw new Error(`No item ${figures.sku}`);
      const kind = figures.status === 'stockout' ? 'stockout' : 'low_stock';
      const inserted = await db
        .insert(stockAlerts)
        .values({ itemId: item.id, kind, figures })
        .onConflictDoNothing({ target: stockAlerts.itemId, where: sql`${stockAlerts.resolvedAt} is null` })
        .returning({ id: stockAlerts.id });
      const episode = (await openEpisode(item.id))!;
      const changed = inserted.length === 0 && shown(episode.figures as RestockFigures) !== shown(figures);
      if (changed) {
        await db.update(stockAlerts).set({ kind, figures, updatedAt: new Date() }).where(eq(stockAlerts.id, episode.id));
      }
      if (!poster) {
        say('info', 'Slack not configured: stock alert not posted', { sku: figures.sku });
        return { episodeId: episode.id, opened: inserted.length > 0, posted: false, updated: false };
      }
      const post = await poster.postOnce({
        key: alertKey(episode.id),
        channel: settings.alertsChannel,
        message: stockAlertMessage(figures, 'open'),
        documentType: 'stock_alert',
        documentId: figures.sku,
        purpose: 'stock_alert',
      });
      if (post.posted) {
        await db.update(stockAlerts).set({ channel: post.channel, messageTs: post.ts }).where(eq(stockAlerts.id, episode.id));
      }
      const updated = !post.posted && changed ? await poster.updateByKey(alertKey(episode.id), stockAlertMessage(figures, 'open')) : false;
      return { episodeId: episode.id, opened: inserted.length > 0, posted: post.posted, updated };
    },

    /** Closes the open episode (if any) and turns its message into "recovered". True when one was open. */
    async resolveStockAlert(input: { figures: RestockFigures }): Promise<boolean> {
      const item = await getItem(db, { sku: input.figures.sku });
      if (!item) return false;
      const episode = await openEpisode(item.id);
      if (!episode) return false;
      if (poster) {
        try {
          await poster.updateByKey(alertKey(episode.id), stockAlertMessage(input.figures, 'recovered'));
        } catch (err) {
          say('warn', 'could not mark the stock alert recovered in Slack', { sku: input.figures.sku, err: String(err) });
        }
      }
      await db
        .update(stockAlerts)
        .set({ resolvedAt: new Date(), figures: input.figures, updatedAt: new Date() })
        .where(and(eq(stockAlerts.id, episode.id), isNull(stockAlerts.resolvedAt)));
      return true;
    },

    /**
     * The daily check: every policy evaluated (computed figures saved), then every item at or below
     * its reorder point, or with an alert open, gets its restock workflow started or signalled.
     */
    async runDailyReorderCheck(_input: { asOf?: string }): Promise<ReorderCheckOutcome> {
      const asOf = _input.asOf ? new Date(_input.asOf) : new Date();
      const summary = await runReorderCheck(db, { asOf });
      const open = (await db.execute(sql`
        select i.sku from stock_alerts a join items i on i.id = a.item_id where a.resolved_at is null`)) as unknown as { sku: string }[];
      const skus = [...new Set([...summary.belowReorderPoint.map((b) => b.sku.toUpperCase()), ...open.map((o) => o.sku.toUpperCase())])].sort();
      const client = Context.current().client;
      for (const [i, sku] of skus.entries()) {
        await signalRestock(client, sku, 'daily');
        if (i % 100 === 0) heartbeat(i);
      }
      return {
        checked: summary.checked,
        ok: summary.ok,
        low: summary.low,
        stockout: summary.stockout,
        suggestions: summary.suggestions.length,
        signalled: skus.length,
      };
    },
  };
}
