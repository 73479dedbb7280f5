import { ApplicationFailure, Context, heartbeat, sleep } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { WebClient } from '@slack/web-api';
import { sql } from 'drizzle-orm';
import {
  linkedRequisitionToldMessage,
  poApprovalClosedMessage,
  poApprovalRequestMessage,
  poEventMessage,
  purchaseOrderCard,
} from '../bot/blocks/purchase-order.js';
import { republishHomes } from '../bot/listeners/events/app-home.js';
import type { Database } from '../db/client.js';
import { availability, LedgerError } from '../db/queries/ledger.js';
import { listApprovers, usersWithRole } from '../db/queries/people.js';
import {
  cancelOpenQuantities,
  getPurchaseOrder,
  postReceipt,
  PurchasingError,
  recordPurchaseOrderApproval,
  recordSupplierInvoice,
  refreshLearnedLeadTime,
  savePurchaseOrderStatus,
  type PurchaseOrderRecord,
} from '../db/queries/purchasing.js';
import { backorderedRequisitionNumbers } from '../db/queries/requisitions.js';
import { routeApproval, routeLevel, type ApprovalRoute, type LevelRoute } from '../inventory/approval-policy.js';
import { dec } from '../inventory/decimal.js';
import type { PurchaseOrderStatus } from '../inventory/purchase-order.js';
import { DEFAULT_SETTINGS, overReceiptTolerance, requisitionSettings, type StockroomSettings } from '../runtime/settings.js';
import { requisitionWorkflowId } from '../workflows/ids.js';
import type { PurchaseOrderEvent, PurchaseOrderLineView, PurchaseOrderView } from '../workflows/purchase-order-messages.js';
import { checkRestockAfterMove, signalRestock } from './restock-trigger.js';
import { createSlackPoster, findSlackMessages, say } from './slack-post.js';

/** Idempotency keys of the purchase order workflow's Slack messages (from the number and the workflow's counters). */
export const poMessageKeys = {
  card: (number: string) => `${number}/card`,
  event: (number: string, seq: number, kind: string) => `${number}/event-${seq}-${kind}`,
  approvalRequest: (number: string, level: number, approver: string) => `${number}/approval/L${level}/${approver}`,
  reminder: (number: string, level: number, approver: string, count: number) => `${number}/approval/L${level}/${approver}/reminder-${count}`,
  linkedRequisition: (number: string, lineNo: number) => `${number}/line-${lineNo}/requisition-told`,
};

const APPROVAL_PURPOSE = 'po_approval_request';

/** What the workflow starts from. */
export interface PreparedPurchaseOrder {
  view: Omit<PurchaseOrderView, 'approvals' | 'receipts' | 'overdueReminders' | 'invoices' | 'autoApproved'>;
  /** Who may submit, cancel and enter invoices (the PO's buyer is always among them). */
  buyers: string[];
  /** Who may receive (warehouse staff and buyers). */
  receivers: string[];
  /**
   * The over-receipt tolerance as a fraction ("0.05"), from settings.restock, for the receive Update's
   * validator. Absent in histories recorded before it existed: the validator then uses the 5 % default.
   */
  overReceiptTolerance?: string;
}

export const toLineViews = (record: PurchaseOrderRecord): PurchaseOrderLineView[] =>
  record.lines.map((l) => ({
    lineNo: l.lineNo,
    sku: l.sku,
    name: l.name,
    uom: l.uom,
    decimals: l.decimals,
    ordered: l.ordered,
    received: l.received,
    cancelled: l.cancelled,
    unitPrice: l.unitPrice,
    ...(l.expectedDate ? { expectedDate: l.expectedDate } : {}),
    ...(l.defaultLocation ? { defaultLocation: l.defaultLocation } : {}),
    ...(l.requisitionLineId ? { requisitionLineId: l.requisitionLineId } : {}),
  }));

/** Purchasing refusals are final: the workflow turns them into a clear answer, retrying cannot help. */
async function final<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof PurchasingError || err instanceof LedgerError) {
      throw ApplicationFailure.create({ message: err.message, type: err.code, nonRetryable: true, details: 'details' in err ? [err.details] : [] });
    }
    throw err;
  }
}

const addDays = (date: Date, days: number) => new Date(date.getTime() + days * 86_400_000).toISOString().slice(0, 10);

export function createPurchasingActivities(deps: { db: Database; slack?: WebClient; settings?: StockroomSettings }) {
  const { db, slack } = deps;
  const settings = deps.settings ?? DEFAULT_SETTINGS;
  const currency = settings.currency;
  const tolerance = overReceiptTolerance(settings);
  const poster = slack ? createSlackPoster(db, slack) : undefined;

  const approversExcept = async (excluded: string[]) => (await listApprovers(db)).filter((a) => !excluded.includes(a.slackUserId));

  async function staff(buyer: string) {
    const buyers = [...new Set([buyer, ...(await usersWithRole(db, 'buyer'))])].sort();
    const receivers = [...new Set([...(await usersWithRole(db, 'warehouse')), ...buyers])].sort();
    return { buyers, receivers };
  }

  async function requisitionState(number: string, sku: string) {
    const rows = (await db.execute(sql`
      select r.status, coalesce(sum(l.quantity_backordered), 0)::text as backordered, coalesce(sum(l.quantity_reserved), 0)::text as reserved
        from requisitions r join requisition_lines l on l.requisition_id = r.id
       where r.number = ${number} and lower(l.sku) = lower(${sku})
       group by r.status`)) as unknown as { status: string; backordered: string; reserved: string }[];
    return rows[0];
  }

  const client = (): Client => Context.current().client;

  /** Approval DMs of levels no longer waiting: the outcome and the PO as it is now (status, receipts), no buttons. */
  async function refreshApprovals(view: PurchaseOrderView): Promise<number> {
    if (!poster) return 0;
    const rows = await findSlackMessages(db, { documentId: view.number, purposePrefix: `${APPROVAL_PURPOSE}/L` });
    let updated = 0;
    for (const row of rows) {
      const level = Number(row.purpose.split('/L')[1]);
      const state = view.approvals.find((a) => a.level === level)?.state;
      if ((state === 'waiting' && view.status === 'awaiting_approval') || !row.ts) continue;
      if (await poster.updateByKey(row.idempotencyKey, poApprovalClosedMessage(view, { level, currency }))) updated++;
    }
    return updated;
  }

  /** Buyers' Home tabs list drafts, goods due and invoices to match: published again for every buyer. Best effort. */
  async function refreshBuyerHomes(buyer: string): Promise<void> {
    if (!slack) return;
    const buyers = [buyer, ...(await usersWithRole(db, 'buyer'))];
    await republishHomes({ db, settings }, slack, buyers, (person, err) => say('warn', 'could not refresh App Home', { person, err: String(err) }));
  }

  /**
   * A stock alert lists the open purchase orders of its item with their status: the item's restock
   * workflow looks again (and updates its alert when what it shows changed). Only items with an open alert.
   */
  async function refreshAlerts(view: PurchaseOrderView): Promise<void> {
    let temporal: Client;
    try {
      temporal = client();
    } catch {
      return; // outside a worker: no workflow to tell
    }
    const skus = [...new Set(view.lines.map((l) => l.sku.toUpperCase()))];
    if (skus.length === 0) return;
    const alerted = (await db.execute(sql`
      select distinct i.sku from stock_alerts a join items i on i.id = a.item_id
       where a.resolved_at is null and upper(i.sku) in ${skus}`)) as unknown as { sku: string }[];
    for (const { sku } of alerted) {
      try {
        await signalRestock(temporal, sku, 'purchase_order');
      } catch (err) {
        say('warn', 'could not ask for the stock alert to be brought up to date', { sku, err: String(err) });
      }
    }
  }

  return {
    async preparePurchaseOrder(input: { number: string }): Promise<PreparedPurchaseOrder> {
      const record = await getPurchaseOrder(db, input.number);
      if (!record) throw ApplicationFailure.nonRetryable(`No purchase order ${input.number}`, 'unknown_purchase_order');
      return {
        view: {
          number: record.number,
          vendorCode: record.vendorCode,
          vendorName: record.vendorName,
          buyer: record.buyer,
          status: record.status,
          source: record.source,
          totalValue: record.totalValue,
          createdAt: record.createdAt,
          ...(record.sentAt ? { sentAt: record.sentAt } : {}),
          ...(record.expectedAt ? { expectedAt: record.expectedAt } : {}),
          lines: toLineViews(record),
        },
        ...(await staff(record.buyer)),
        overReceiptTolerance: tolerance,
      };
    },

    /**
     * Routes the PO through the same approval policy as requisitions (runtime settings: threshold,
     * levels, reminder and escalation times). Neither the submitter nor the PO's buyer may approve it.
     */
    async routePurchaseOrder(input: { number: string; submitter: string; buyer: string; amount: string }) {
      const timers = requisitionSettings(settings);
      const route: ApprovalRoute = routeApproval({
        amount: input.amount,
        requester: input.submitter,
        policy: timers.policy,
        approvers: await approversExcept([input.buyer]),
      });
      return { route, remindAfterMs: timers.remindAfterMs, escalateAfterMs: timers.escalateAfterMs };
    },

    /** One level routed again with today's approvers (escalation). */
    async refreshPoApprovalLevel(input: { submitter: string; buyer: string; level: number; name: string; requiredLimit: string }): Promise<LevelRoute> {
      return routeLevel({
        level: input.level,
        name: input.name,
        requiredLimit: input.requiredLimit,
        requester: input.submitter,
        approvers: await approversExcept([input.buyer]),
      });
    },

    async listPurchasingStaff(input: { buyer: string }): Promise<{ buyers: string[]; receivers: string[] }> {
      return staff(input.buyer);
    },

    async savePurchaseOrderState(input: {
      number: string;
      status: PurchaseOrderStatus;
      currentLevel?: number | null;
      awaiting?: string[];
      cancelReason?: string;
    }): Promise<void> {
      await savePurchaseOrderStatus(db, input);
    },

    async recordPurchaseOrderDecision(input: Parameters<typeof recordPurchaseOrderApproval>[1]): Promise<void> {
      await recordPurchaseOrderApproval(db, input);
    },

    /**
     * Marks the PO sent (sent_at now, kept on a retry) and fixes when the goods are due: the latest
     * line date, else today + the longest lead time of its items with this vendor (learned once
     * there are 3 receipts, else hand-set), else the vendor's default.
     */
    async sendPurchaseOrder(input: { number: string }): Promise<{ sentAt: string; expectedAt: string }> {
      const record = await getPurchaseOrder(db, input.number);
      if (!record) throw ApplicationFailure.nonRetryable(`No purchase order ${input.number}`, 'unknown_purchase_order');
      await savePurchaseOrderStatus(db, { number: record.number, status: 'sent' });
      const sent = (await getPurchaseOrder(db, record.number))!;
      const sentAt = new Date(sent.sentAt!);
      let expectedAt = record.expectedAt ?? record.lines.map((l) => l.expectedDate).filter(Boolean).sort().pop();
      if (!expectedAt) {
        const rows = (await db.execute(sql`
          select coalesce(max(case when p.learned_lead_time_samples >= 3 then p.learned_lead_time_days else p.lead_time_days end),
                          (select default_lead_time_days from vendors where id = ${record.vendorId}))::text as days
            from purchase_order_lines pl
            left join reorder_policies p on p.item_id = pl.item_id and p.vendor_id = ${record.vendorId} and p.active
           where pl.purchase_order_id = ${record.id}`)) as unknown as { days: string | null }[];
        const days = Math.ceil(Number(rows[0]?.days ?? '7')); // whole days for a due date
        expectedAt = addDays(sentAt, days);
      }
      await savePurchaseOrderStatus(db, { number: record.number, status: 'sent', expectedAt });
      return { sentAt: sentAt.toISOString(), expectedAt };
    },

    /** Posts a receipt (ledger receipts + cost layers at the PO price); refusals come back as a clear, final failure. */
    async postPurchaseOrderReceipt(input: {
      number: string;
      key: string;
      actor: string;
      lines: { lineNo: number; quantity: string; location?: string; lot?: string; note?: string }[];
    }) {
      return final(() => postReceipt(db, { ...input, tolerance }));
    },

    /**
     * After goods arrive: the learned lead time is refreshed, backordered requisitions waiting for each
     * SKU are told, oldest first, one at a time while stock is left (each is given a moment to reserve
     * before the next is told, so the oldest gets the stock), and the item's restock workflow hears of it.
     */
    async afterReceipt(input: { number: string; skus: string[] }): Promise<{ resumed: string[] }> {
      const record = await getPurchaseOrder(db, input.number);
      const resumed: string[] = [];
      for (const sku of [...new Set(input.skus.map((s) => s.toUpperCase()))]) {
        const line = record?.lines.find((l) => l.sku.toUpperCase() === sku);
        if (record && line) await refreshLearnedLeadTime(db, { itemId: line.itemId, vendorId: record.vendorId });
        for (const number of await backorderedRequisitionNumbers(db, sku)) {
          const available = await availability(db, { sku }).catch(() => undefined);
          if (!available || !dec(available.available).gt(0)) break;
          const before = await requisitionState(number, sku);
          try {
            await client().workflow.getHandle(requisitionWorkflowId(number)).signal('stockAvailable', { sku });
          } catch (err) {
            if ((err as { name?: string }).name !== 'WorkflowNotFoundError') throw err;
            continue;
          }
          resumed.push(number);
          if (before?.status !== 'backordered') continue; // busy with a pick: it tries when that is done
          const deadline = Date.now() + 10_000;
          for (;;) {
            heartbeat(number);
            const now = await requisitionState(number, sku);
            if (!now || now.status !== before.status || now.backordered !== before.backordered || now.reserved !== before.reserved) break;
            if (Date.now() > deadline) break;
            await sleep(200);
          }
        }
        await checkRestockAfterMove(db, sku, client());
      }
      return { resumed };
    },

    /** Cancels what is still open on every line; returns what was cancelled and the requisition lines it was for. */
    async cancelRemainingLines(input: { number: string }) {
      const cancelled = await cancelOpenQuantities(db, input.number);
      for (const line of cancelled) await checkRestockAfterMove(db, line.sku, client());
      return cancelled;
    },

    async recordPurchaseOrderInvoice(input: {
      number: string;
      key: string;
      actor: string;
      invoiceNumber: string;
      invoiceDate?: string;
      lines: { lineNo: number; quantity: string; unitPrice: string }[];
    }) {
      return final(() =>
        recordSupplierInvoice(db, {
          key: input.key,
          number: input.number,
          invoiceNumber: input.invoiceNumber,
          ...(input.invoiceDate ? { invoiceDate: input.invoiceDate } : {}),
          enteredBy: input.actor,
          lines: input.lines,
        }),
      );
    },

    // ---- Slack (best effort; each message once per key) ----

    /** The buyer's card (posted once, then updated in place) and one thread reply per event. */
    async notifyPurchaseOrder(input: { key: string; view: PurchaseOrderView; event: PurchaseOrderEvent }): Promise<void> {
      if (!poster) return say('info', 'Slack not configured: skipped purchase order message', { key: input.key });
      const cardKey = poMessageKeys.card(input.view.number);
      const card = purchaseOrderCard(input.view, { currency });
      const root = await poster.postOnce({
        key: cardKey,
        user: input.view.buyer,
        message: card,
        documentType: 'purchase_order',
        documentId: input.view.number,
        purpose: 'po_card',
      });
      if (!root.posted) await poster.updateByKey(cardKey, card);
      if (input.event.kind !== 'created') {
        await poster.postOnce({
          key: input.key,
          user: input.view.buyer,
          threadKey: cardKey,
          message: poEventMessage(input.view, input.event),
          documentType: 'purchase_order',
          documentId: input.view.number,
          purpose: 'po_event',
        });
      }
      // Every other message showing this PO follows it: approvers' DMs, the stock alerts listing it.
      await refreshApprovals(input.view);
      await refreshAlerts(input.view);
      await refreshBuyerHomes(input.view.buyer);
    },

    async requestPurchaseOrderApproval(input: { key: string; view: PurchaseOrderView; level: number; approver: string }): Promise<void> {
      if (!poster) return say('info', 'Slack not configured: skipped PO approval request', { key: input.key });
      await poster.postOnce({
        key: input.key,
        user: input.approver,
        message: poApprovalRequestMessage(input.view, { level: input.level, currency }),
        documentType: 'purchase_order',
        documentId: input.view.number,
        purpose: `${APPROVAL_PURPOSE}/L${input.level}`,
      });
    },

    async remindPurchaseOrderApprover(input: { key: string; requestKey: string; view: PurchaseOrderView; level: number; approver: string }): Promise<void> {
      if (!poster) return;
      await poster.postOnce({
        key: input.key,
        user: input.approver,
        threadKey: input.requestKey,
        message: {
          text: `Reminder: ${input.view.number} still needs your decision (level ${input.level}).`,
          blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `Reminder: *${input.view.number}* still needs your decision (level ${input.level}).` } }],
        },
        documentType: 'purchase_order',
        documentId: input.view.number,
        purpose: 'po_approval_reminder',
      });
    },

    /** Approval DMs of levels no longer waiting lose their buttons and show the outcome. */
    async refreshPurchaseOrderApprovals(input: { view: PurchaseOrderView }): Promise<{ updated: number }> {
      return { updated: await refreshApprovals(input.view) };
    },

    /** Tells the requesters of backordered requisition lines that their PO line was cancelled. */
    async tellLinkedRequisitions(input: { number: string; lines: { lineNo: number; sku: string; quantity: string; requisitionLineId?: string }[] }): Promise<{ told: string[] }> {
      const told: string[] = [];
      for (const line of input.lines) {
        if (!line.requisitionLineId) continue;
        const rows = (await db.execute(sql`
          select r.number, r.requester_slack_user_id as requester from requisition_lines l join requisitions r on r.id = l.requisition_id
           where l.id = ${line.requisitionLineId}`)) as unknown as { number: string; requester: string }[];
        const req = rows[0];
        if (!req) continue;
        await db.execute(sql`update requisition_lines set purchase_order_number = null
                              where id = ${line.requisitionLineId} and purchase_order_number = ${input.number}`);
        told.push(req.number);
        if (!poster) continue;
        await poster.postOnce({
          key: poMessageKeys.linkedRequisition(input.number, line.lineNo),
          user: req.requester,
          message: linkedRequisitionToldMessage({ purchaseOrder: input.number, requisition: req.number, sku: line.sku, quantity: line.quantity }),
          documentType: 'purchase_order',
          documentId: input.number,
          purpose: 'requisition_told',
        });
      }
      return { told };
    },
  };
}
