import { ApplicationFailure, log } from '@temporalio/activity';
import type { WebClient } from '@slack/web-api';
import { and, eq, like, sql } from 'drizzle-orm';
import {
  approvalClosedMessage,
  approvalReminderMessage,
  approvalRequestMessage,
  pickTaskClosedMessage,
  pickTaskMessage,
  requesterEventMessage,
  requisitionCard,
  type ApprovalContext,
  type SlackMessage,
} from '../bot/blocks/requisition.js';
import type { Database } from '../db/client.js';
import { budgetStatus } from '../db/queries/cost-centers.js';
import { availability, LedgerError } from '../db/queries/ledger.js';
import { getRequisition } from '../db/queries/requisitions.js';
import { slackMessages } from '../db/schema/index.js';
import { DEFAULT_SETTINGS, type StockroomSettings } from '../runtime/settings.js';
import type { RequisitionEvent, RequisitionView } from '../workflows/requisition-messages.js';
import { requisitionMessageKeys } from '../workflows/requisition-keys.js';

/** Slack answers that no retry can fix: the activity fails at once and the workflow carries on without the message. */
const FINAL_SLACK_ERRORS = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'user_not_found',
  'user_disabled',
  'cannot_dm_bot',
  'messages_tab_disabled',
  'invalid_blocks',
  'invalid_blocks_format',
  'msg_too_long',
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'missing_scope',
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
]);

/** The metadata event type the app's messages carry, with the idempotency key in the payload. */
export const MESSAGE_METADATA_EVENT = 'stockroom_message';

const APPROVAL_PURPOSE = 'approval_request';

function say(level: 'info' | 'warn', message: string, meta: Record<string, unknown>): void {
  try {
    log[level](message, meta);
  } catch {
    // Called outside an activity (a script or a unit test): no activity logger, nothing to say.
  }
}

function slackError(err: unknown): never {
  const code = (err as { data?: { error?: string } })?.data?.error;
  if (code && FINAL_SLACK_ERRORS.has(code)) throw ApplicationFailure.nonRetryable(`Slack refused: ${code}`, `slack_${code}`);
  throw err;
}

interface PostInput {
  key: string;
  /** A channel id or name, or a user to DM. */
  channel?: string;
  user?: string;
  /** Reply in the thread of the message posted under this key. */
  threadKey?: string;
  message: SlackMessage;
  documentId: string;
  purpose: string;
}

export function createNotifySlackActivities(deps: { db: Database; slack?: WebClient; settings?: StockroomSettings }) {
  const { db, slack } = deps;
  const settings = deps.settings ?? DEFAULT_SETTINGS;
  const currency = settings.currency;

  const findMessage = async (key: string) => (await db.select().from(slackMessages).where(eq(slackMessages.idempotencyKey, key)))[0];

  /**
   * Posts once per key. The key is claimed in slack_messages before posting; a retry finding a claim
   * without a ts looks for the message by its metadata first (the first attempt may have posted and
   * died before recording it), and only posts when it is not there.
   */
  async function postOnce(slackClient: WebClient, input: PostInput): Promise<{ channel: string; ts: string; posted: boolean }> {
    const existing = await findMessage(input.key);
    if (existing?.ts) return { channel: existing.channel, ts: existing.ts, posted: false };
    let channel = existing?.channel;
    if (!channel) {
      if (input.user) {
        const opened = await slackClient.conversations.open({ users: input.user }).catch(slackError);
        channel = opened.channel?.id;
        if (!channel) throw new Error(`conversations.open gave no channel for ${input.user}`);
      } else channel = input.channel!;
    }
    const root = input.threadKey ? await findMessage(input.threadKey) : undefined;
    const threadTs = root?.ts ?? undefined;
    if (!existing) {
      await db
        .insert(slackMessages)
        .values({
          idempotencyKey: input.key,
          channel,
          threadTs,
          documentType: 'requisition',
          documentId: input.documentId,
          purpose: input.purpose,
          recipient: input.user,
        })
        .onConflictDoNothing();
    } else {
      const found = await findPosted(slackClient, { channel, threadTs, key: input.key, since: existing.createdAt });
      if (found) {
        await db.update(slackMessages).set({ ts: found, updatedAt: sql`now()` }).where(eq(slackMessages.idempotencyKey, input.key));
        return { channel, ts: found, posted: false };
      }
    }
    const result = await slackClient.chat
      .postMessage({
        channel,
        text: input.message.text,
        blocks: input.message.blocks,
        ...(threadTs ? { thread_ts: threadTs } : {}),
        metadata: { event_type: MESSAGE_METADATA_EVENT, event_payload: { key: input.key } },
        unfurl_links: false,
        unfurl_media: false,
      })
      .catch(slackError);
    const ts = result.ts!;
    // Slack answers with the channel id even when posted by name; later updates need the id.
    const postedChannel = result.channel ?? channel;
    await db
      .update(slackMessages)
      .set({ ts, channel: postedChannel, updatedAt: sql`now()` })
      .where(eq(slackMessages.idempotencyKey, input.key));
    return { channel: postedChannel, ts, posted: true };
  }

  /** Best effort: a missing history scope or an unknown method means "not found", and the retry posts. */
  async function findPosted(
    slackClient: WebClient,
    input: { channel: string; threadTs?: string; key: string; since: Date },
  ): Promise<string | undefined> {
    const oldest = String(Math.floor(input.since.getTime() / 1000) - 60);
    try {
      const page = input.threadTs
        ? await slackClient.conversations.replies({ channel: input.channel, ts: input.threadTs, oldest, include_all_metadata: true, limit: 200 })
        : await slackClient.conversations.history({ channel: input.channel, oldest, include_all_metadata: true, limit: 200 });
      const match = (page.messages ?? []).find(
        (m) => (m as { metadata?: { event_payload?: { key?: unknown } } }).metadata?.event_payload?.key === input.key,
      );
      return match?.ts;
    } catch (err) {
      say('warn', 'could not look for an earlier post; posting', { key: input.key, err: String(err) });
      return undefined;
    }
  }

  async function updateByKey(slackClient: WebClient, key: string, message: SlackMessage): Promise<boolean> {
    const row = await findMessage(key);
    if (!row?.ts) return false;
    await slackClient.chat.update({ channel: row.channel, ts: row.ts, text: message.text, blocks: message.blocks }).catch(slackError);
    await db.update(slackMessages).set({ updatedAt: sql`now()` }).where(eq(slackMessages.idempotencyKey, key));
    return true;
  }

  function client(what: string, meta: Record<string, unknown>): WebClient | undefined {
    if (!slack) say('info', `Slack not configured: skipped ${what}`, meta);
    return slack;
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

  return {
    /**
     * The requester's thread: the card on top (posted once, then updated in place) and one reply per
     * event. `key` identifies the event; the card's key is the requisition's.
     */
    async notifyRequester(input: { key: string; view: RequisitionView; event: RequisitionEvent }): Promise<void> {
      const slackClient = client('requester message', { key: input.key });
      if (!slackClient) return;
      const { view } = input;
      const threadKey = requisitionMessageKeys.thread(view.number);
      const card = requisitionCard(view, { currency });
      const root = await postOnce(slackClient, { key: threadKey, user: view.requester, message: card, documentId: view.number, purpose: 'requester_thread' });
      if (input.event.kind === 'submitted') return;
      await postOnce(slackClient, {
        key: input.key,
        user: view.requester,
        threadKey,
        message: requesterEventMessage(view, input.event, { currency }),
        documentId: view.number,
        purpose: 'requester_event',
      });
      if (!root.posted) await updateByKey(slackClient, threadKey, card);
    },

    /** DMs an approver the decision request for one level. */
    async requestApproval(input: { key: string; view: RequisitionView; level: number; approver: string; escalatedFrom?: string }): Promise<void> {
      const slackClient = client('approval request', { key: input.key });
      if (!slackClient) return;
      const context = await approvalContext(input.view, input.level, input.escalatedFrom);
      await postOnce(slackClient, {
        key: input.key,
        user: input.approver,
        message: approvalRequestMessage(input.view, context),
        documentId: input.view.number,
        purpose: `${APPROVAL_PURPOSE}/L${input.level}`,
      });
    },

    /** A reminder in the thread of the approver's request DM. */
    async remindApprover(input: { key: string; requestKey: string; view: RequisitionView; level: number; approver: string }): Promise<void> {
      const slackClient = client('approval reminder', { key: input.key });
      if (!slackClient) return;
      await postOnce(slackClient, {
        key: input.key,
        user: input.approver,
        threadKey: input.requestKey,
        message: approvalReminderMessage(input.view, { level: input.level, currency }),
        documentId: input.view.number,
        purpose: 'approval_reminder',
      });
    },

    /**
     * Brings every approval DM of the requisition up to date: a level no longer waiting (decided, or
     * the requisition rejected or cancelled) loses its buttons and shows the outcome.
     */
    async refreshApprovalMessages(input: { view: RequisitionView }): Promise<{ updated: number }> {
      const slackClient = client('approval message update', { number: input.view.number });
      if (!slackClient) return { updated: 0 };
      const rows = await db
        .select()
        .from(slackMessages)
        .where(and(eq(slackMessages.documentId, input.view.number), like(slackMessages.purpose, `${APPROVAL_PURPOSE}/L%`)));
      let updated = 0;
      for (const row of rows) {
        const level = Number(row.purpose.split('/L')[1]);
        const levelView = input.view.approvals.find((l) => l.level === level);
        const stillOpen = levelView?.state === 'waiting' && input.view.status === 'awaiting_approval';
        if (stillOpen || !row.ts) continue;
        if (await updateByKey(slackClient, row.idempotencyKey, approvalClosedMessage(input.view, { level, currency }))) updated++;
      }
      return { updated };
    },

    /** Posts the pick list to the warehouse channel. */
    async postPickTask(input: { key: string; view: RequisitionView; round: number }): Promise<void> {
      const slackClient = client('pick task', { key: input.key });
      if (!slackClient) return;
      await postOnce(slackClient, {
        key: input.key,
        channel: settings.requisitions.warehouseChannel,
        message: pickTaskMessage(input.view, { round: input.round }),
        documentId: input.view.number,
        purpose: 'pick_task',
      });
    },

    /** The pick task after the fact: confirmed (what was issued) or cancelled (do not pick). */
    async closePickTask(input: { key: string; view: RequisitionView; round: number; outcome: 'confirmed' | 'cancelled'; by?: string }): Promise<void> {
      const slackClient = client('pick task update', { key: input.key });
      if (!slackClient) return;
      await updateByKey(slackClient, input.key, pickTaskClosedMessage(input.view, input));
    },
  };
}
