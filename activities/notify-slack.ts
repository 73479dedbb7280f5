import type { WebClient } from '@slack/web-api';
import {
  approvalClosedMessage,
  approvalReminderMessage,
  approvalRequestMessage,
  pickTaskClosedMessage,
  pickTaskMessage,
  requesterEventMessage,
  requisitionCard,
  type ApprovalContext,
} from '../bot/blocks/requisition.js';
import { republishHomes } from '../bot/listeners/events/app-home.js';
import type { Database } from '../db/client.js';
import { budgetStatus } from '../db/queries/cost-centers.js';
import { availability, LedgerError } from '../db/queries/ledger.js';
import { getRequisition } from '../db/queries/requisitions.js';
import { DEFAULT_SETTINGS, type StockroomSettings } from '../runtime/settings.js';
import type { RequisitionEvent, RequisitionView } from '../workflows/requisition-messages.js';
import { requisitionMessageKeys } from '../workflows/requisition-keys.js';
import { createSlackPoster, findSlackMessages, say, type SlackPoster } from './slack-post.js';

const APPROVAL_PURPOSE = 'approval_request';

export function createNotifySlackActivities(deps: { db: Database; slack?: WebClient; settings?: StockroomSettings }) {
  const { db, slack } = deps;
  const settings = deps.settings ?? DEFAULT_SETTINGS;
  const currency = settings.currency;

  const poster = slack ? createSlackPoster(db, slack) : undefined;

  function client(what: string, meta: Record<string, unknown>): SlackPoster | undefined {
    if (!poster) say('info', `Slack not configured: skipped ${what}`, meta);
    return poster;
  }

  /** Stock, budget and purchase orders as they are now, for the approver to decide on. */
  async function approvalContext(view: RequisitionView, level: number, escalatedFrom?: string): Promise<ApprovalContext> {
    const available: Record<string, string> = {};
    for (const line of view.lines) {
      try {
        available[line.sku.toUpperCase()] = (await availability(db, { sku: line.sku })).available;
      } catch (err) {
        if (!(err instanceof LedgerError)) throw err;
      }
    }
    const record = await getRequisition(db, view.number);
    const purchaseOrders: Record<string, string> = {};
    for (const line of record?.lines ?? []) if (line.purchaseOrder) purchaseOrders[line.sku.toUpperCase()] = line.purchaseOrder;
    const budget = await budgetStatus(db, { costCenter: view.costCenter, on: new Date().toISOString().slice(0, 10) });
    return { level, currency, available, purchaseOrders, ...(budget ? { budget } : {}), ...(escalatedFrom ? { escalatedFrom } : {}) };
  }

  /**
   * Approval DMs of levels no longer waiting (decided, or the requisition rejected or cancelled) show the
   * outcome and the requisition's status now, without buttons. Rewriting one with the same view is harmless,
   * so every event may call this: the DM reads "Issued" once the requisition is issued, not the status
   * it had when the approver clicked.
   */
  async function refreshApprovals(slackPoster: SlackPoster, view: RequisitionView): Promise<number> {
    const rows = await findSlackMessages(db, { documentId: view.number, purposePrefix: `${APPROVAL_PURPOSE}/L` });
    let updated = 0;
    for (const row of rows) {
      const level = Number(row.purpose.split('/L')[1]);
      const levelView = view.approvals.find((l) => l.level === level);
      const stillOpen = levelView?.state === 'waiting' && view.status === 'awaiting_approval';
      if (stillOpen || !row.ts) continue;
      if (await slackPoster.updateByKey(row.idempotencyKey, approvalClosedMessage(view, { level, currency }))) updated++;
    }
    return updated;
  }

  /** Home tabs list requisitions with their status: published again for the people involved. Best effort. */
  async function refreshHomes(people: string[]): Promise<void> {
    if (!slack) return;
    await republishHomes({ db, settings }, slack, people, (person, err) => say('warn', 'could not refresh App Home', { person, err: String(err) }));
  }

  return {
    /**
     * The requester's thread: the card on top (posted once, then updated in place) and one reply per
     * event. `key` identifies the event; the card's key is the requisition's.
     */
    async notifyRequester(input: { key: string; view: RequisitionView; event: RequisitionEvent }): Promise<void> {
      const slackPoster = client('requester message', { key: input.key });
      if (!slackPoster) return;
      const { view } = input;
      const threadKey = requisitionMessageKeys.thread(view.number);
      const card = requisitionCard(view, { currency });
      const root = await slackPoster.postOnce({ key: threadKey, user: view.requester, message: card, documentType: 'requisition', documentId: view.number, purpose: 'requester_thread' });
      if (input.event.kind === 'submitted') return;
      await slackPoster.postOnce({
        key: input.key,
        user: view.requester,
        threadKey,
        message: requesterEventMessage(view, input.event, { currency }),
        documentType: 'requisition',
        documentId: view.number,
        purpose: 'requester_event',
      });
      if (!root.posted) await slackPoster.updateByKey(threadKey, card);
      // Every other message showing this requisition's state follows it: approvers' DMs and Home tabs.
      await refreshApprovals(slackPoster, view);
      await refreshHomes([view.requester, ...view.approvals.flatMap((a) => a.asked)]);
    },

    /** DMs an approver the decision request for one level. */
    async requestApproval(input: { key: string; view: RequisitionView; level: number; approver: string; escalatedFrom?: string }): Promise<void> {
      const slackPoster = client('approval request', { key: input.key });
      if (!slackPoster) return;
      const context = await approvalContext(input.view, input.level, input.escalatedFrom);
      await slackPoster.postOnce({
        key: input.key,
        user: input.approver,
        message: approvalRequestMessage(input.view, context),
        documentType: 'requisition',
        documentId: input.view.number,
        purpose: `${APPROVAL_PURPOSE}/L${input.level}`,
      });
    },

    /** A reminder in the thread of the approver's request DM. */
    async remindApprover(input: { key: string; requestKey: string; view: RequisitionView; level: number; approver: string }): Promise<void> {
      const slackPoster = client('approval reminder', { key: input.key });
      if (!slackPoster) return;
      await slackPoster.postOnce({
        key: input.key,
        user: input.approver,
        threadKey: input.requestKey,
        message: approvalReminderMessage(input.view, { level: input.level, currency }),
        documentType: 'requisition',
        documentId: input.view.number,
        purpose: 'approval_reminder',
      });
    },

    /**
     * Brings every approval DM of the requisition up to date: a level no longer waiting (decided, or
     * the requisition rejected or cancelled) loses its buttons and shows the outcome.
     */
    async refreshApprovalMessages(input: { view: RequisitionView }): Promise<{ updated: number }> {
      const slackPoster = client('approval message update', { number: input.view.number });
      if (!slackPoster) return { updated: 0 };
      return { updated: await refreshApprovals(slackPoster, input.view) };
    },

    /** Posts the pick list to the warehouse channel. */
    async postPickTask(input: { key: string; view: RequisitionView; round: number }): Promise<void> {
      const slackPoster = client('pick task', { key: input.key });
      if (!slackPoster) return;
      await slackPoster.postOnce({
        key: input.key,
        channel: settings.requisitions.warehouseChannel,
        message: pickTaskMessage(input.view, { round: input.round }),
        documentType: 'requisition',
        documentId: input.view.number,
        purpose: 'pick_task',
      });
    },

    /** The pick task after the fact: confirmed (what was issued) or cancelled (do not pick). */
    async closePickTask(input: { key: string; view: RequisitionView; round: number; outcome: 'confirmed' | 'cancelled'; by?: string }): Promise<void> {
      const slackPoster = client('pick task update', { key: input.key });
      if (!slackPoster) return;
      await slackPoster.updateByKey(input.key, pickTaskClosedMessage(input.view, input));
    },
  };
}
