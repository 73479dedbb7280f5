import { ApplicationFailure, log } from '@temporalio/activity';
import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { and, eq, like, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { slackMessages } from '../db/schema/index.js';

/**
 * The one way the app posts to Slack (requisitions, purchasing, restocking, counting, the digest):
 * once per idempotency key in slack_messages. The key is claimed before posting, Slack's answer
 * recorded after, and a retry that finds a claim without a ts looks for the message by its metadata
 * before posting again (the first attempt may have posted and died before recording it).
 */

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

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

export function say(level: 'info' | 'warn', message: string, meta: Record<string, unknown>): void {
  try {
    log[level](message, meta);
  } catch {
    // Outside an activity (a script or a test): nothing to log to.
  }
}

export function slackError(err: unknown): never {
  const code = (err as { data?: { error?: string } })?.data?.error;
  if (code && FINAL_SLACK_ERRORS.has(code)) throw ApplicationFailure.nonRetryable(`Slack refused: ${code}`, `slack_${code}`);
  throw err;
}

export interface PostInput {
  key: string;
  /** A channel id or name. */
  channel?: string;
  /** DM this user instead of posting to a channel. */
  user?: string;
  /** Reply in the thread of the message posted under this key. */
  threadKey?: string;
  message: SlackMessage;
  /** 'requisition', 'purchase_order', 'stock_alert', 'cycle_count', 'manager_digest', 'abc_run'. */
  documentType: string;
  documentId: string;
  purpose: string;
}

/**
 * Messages recorded for a document, by key: needs no Slack client (the rows say what was sent).
 * `purposePrefix` matches with LIKE, as the approval levels' purposes ('approval_request/L2') do.
 */
export async function findSlackMessages(
  db: Database,
  filter: { documentId: string; documentType?: string; purpose?: string; purposePrefix?: string },
) {
  const conditions: SQL[] = [eq(slackMessages.documentId, filter.documentId)];
  if (filter.documentType !== undefined) conditions.push(eq(slackMessages.documentType, filter.documentType));
  if (filter.purpose !== undefined) conditions.push(eq(slackMessages.purpose, filter.purpose));
  if (filter.purposePrefix !== undefined) conditions.push(like(slackMessages.purpose, `${filter.purposePrefix}%`));
  return db
    .select()
    .from(slackMessages)
    .where(and(...conditions))
    .orderBy(slackMessages.idempotencyKey);
}

/**
 * DM channel per person, per Slack client: the app's DM with a user keeps its id for good, so a cache in each
 * process is as right as any other process's and needs no coordination. Dropped when Slack refuses the channel.
 */
const dmChannels = new WeakMap<WebClient, Map<string, Promise<string>>>();

export function createSlackPoster(db: Database, slack: WebClient) {
  const findMessage = async (key: string) => (await db.select().from(slackMessages).where(eq(slackMessages.idempotencyKey, key)))[0];
  let knownDms = dmChannels.get(slack);
  if (!knownDms) dmChannels.set(slack, (knownDms = new Map()));
  const dms = knownDms;

  /**
   * The app's DM channel with a user: conversations.open the first time only. The open itself is what is
   * cached, so messages to one person at the same moment share it; a failed open is forgotten.
   */
  function openDm(user: string): Promise<string> {
    const known = dms.get(user);
    if (known) return known;
    const opening = slack.conversations
      .open({ users: user })
      .catch(slackError)
      .then((opened) => {
        const channel = opened.channel?.id;
        if (!channel) throw new Error(`conversations.open gave no channel for ${user}`);
        return channel;
      });
    dms.set(user, opening);
    opening.catch(() => dms.delete(user));
    return opening;
  }

  /** A refused DM channel is opened afresh next time (a closed or re-created conversation). */
  function forgetDm(user: string | undefined, err: unknown): never {
    if (user && (err as { data?: { error?: string } })?.data?.error === 'channel_not_found') dms.delete(user);
    return slackError(err);
  }

  /** Best effort: a missing history scope or an unknown method means "not found", and the retry posts. */
  async function findPosted(input: { channel: string; threadTs?: string; key: string; since: Date }): Promise<string | undefined> {
    const oldest = String(Math.floor(input.since.getTime() / 1000) - 60);
    try {
      const page = input.threadTs
        ? await slack.conversations.replies({ channel: input.channel, ts: input.threadTs, oldest, include_all_metadata: true, limit: 200 })
        : await slack.conversations.history({ channel: input.channel, oldest, include_all_metadata: true, limit: 200 });
      return (page.messages ?? []).find(
        (m) => (m as { metadata?: { event_payload?: { key?: unknown } } }).metadata?.event_payload?.key === input.key,
      )?.ts;
    } catch (err) {
      say('warn', 'could not look for an earlier post; posting', { key: input.key, err: String(err) });
      return undefined;
    }
  }

  async function postOnce(input: PostInput): Promise<{ channel: string; ts: string; posted: boolean }> {
    const existing = await findMessage(input.key);
    if (existing?.ts) return { channel: existing.channel, ts: existing.ts, posted: false };
    const channel = existing?.channel || (input.user ? await openDm(input.user) : input.channel!);
    const root = input.threadKey ? await findMessage(input.threadKey) : undefined;
    const threadTs = root?.ts ?? undefined;
    if (!existing) {
      await db
        .insert(slackMessages)
        .values({
          idempotencyKey: input.key,
          channel,
          threadTs,
          documentType: input.documentType,
          documentId: input.documentId,
          purpose: input.purpose,
          recipient: input.user,
        })
        .onConflictDoNothing();
    } else {
      const found = await findPosted({ channel, threadTs, key: input.key, since: existing.createdAt });
      if (found) {
        await db.update(slackMessages).set({ ts: found, updatedAt: sql`now()` }).where(eq(slackMessages.idempotencyKey, input.key));
        return { channel, ts: found, posted: false };
      }
    }
    const result = await slack.chat
      .postMessage({
        channel,
        text: input.message.text,
        blocks: input.message.blocks,
        ...(threadTs ? { thread_ts: threadTs } : {}),
        metadata: { event_type: MESSAGE_METADATA_EVENT, event_payload: { key: input.key } },
        unfurl_links: false,
        unfurl_media: false,
      })
      .catch((err: unknown) => forgetDm(input.user, err));
    const ts = result.ts!;
    // Slack answers with the channel id even when posted by name; later updates need the id.
    const postedChannel = result.channel ?? channel;
    await db.update(slackMessages).set({ ts, channel: postedChannel, updatedAt: sql`now()` }).where(eq(slackMessages.idempotencyKey, input.key));
    return { channel: postedChannel, ts, posted: true };
  }

  async function updateByKey(key: string, message: SlackMessage): Promise<boolean> {
    const row = await findMessage(key);
    if (!row?.ts) return false;
    await slack.chat.update({ channel: row.channel, ts: row.ts, text: message.text, blocks: message.blocks }).catch(slackError);
    await db.update(slackMessages).set({ updatedAt: sql`now()` }).where(eq(slackMessages.idempotencyKey, key));
    return true;
  }

  return { findMessage, openDm, postOnce, updateByKey };
}

export type SlackPoster = ReturnType<typeof createSlackPoster>;
