import { ApplicationFailure, log } from '@temporalio/activity';
import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { slackMessages } from '../db/schema/index.js';

/**
 * Posting once per idempotency key for the purchasing side (stock alerts, purchase orders), on the
 * same slack_messages table as the requisition notifier: the key is claimed before posting, Slack's
 * answer recorded after, and a retry that finds a claim without a ts looks for the message by its
 * metadata before posting again.
 */

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

const FINAL_SLACK_ERRORS = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'user_not_found',
  'cannot_dm_bot',
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
]);

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
  channel?: string;
  /** DM this user instead of posting to a channel. */
  user?: string;
  /** Reply in the thread of the message posted under this key. */
  threadKey?: string;
  message: SlackMessage;
  documentType: 'purchase_order' | 'stock_alert';
  documentId: string;
  purpose: string;
}

export function createSlackPoster(db: Database, slack: WebClient) {
  const findMessage = async (key: string) => (await db.select().from(slackMessages).where(eq(slackMessages.idempotencyKey, key)))[0];

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
    let channel = existing?.channel;
    if (!channel) {
      if (input.user) {
        const opened = await slack.conversations.open({ users: input.user }).catch(slackError);
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
      .catch(slackError);
    const ts = result.ts!;
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

  return { findMessage, postOnce, updateByKey };
}
