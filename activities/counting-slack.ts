import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';

/**
 * Direct messages for counting and the digest, idempotent through slack_messages: the row is claimed by
 * the step's key before posting, and a retry that finds the message's ts updates nothing and posts
 * nothing. (A crash between Slack's answer and storing the ts can still post twice: at least once.)
 */

export interface DmMessage {
  text: string;
  blocks: KnownBlock[];
}

export interface DmTarget {
  key: string;
  user: string;
  /** 'cycle_count' unless said otherwise ('manager_digest', 'abc_run'). */
  documentType?: string;
  documentId: string;
  purpose: string;
}

export interface SentDm {
  channel: string;
  ts: string;
}

export function createDmSender(db: Database, slack: WebClient | undefined, log: (message: string) => void = () => {}) {
  async function dmChannel(user: string): Promise<string> {
    const opened = await slack!.conversations.open({ users: user });
    return opened.channel!.id!;
  }

  return {
    /** Posts once per key; returns where it is, or undefined when Slack is not configured. */
    async send(target: DmTarget, message: DmMessage): Promise<SentDm | undefined> {
      if (!slack) {
        log(`Slack not configured: skipped ${target.purpose} for ${target.user}`);
        return undefined;
      }
      await db.execute(sql`
        insert into slack_messages (idempotency_key, channel, document_type, document_id, purpose, recipient)
        values (${target.key}, ${target.user}, ${target.documentType ?? 'cycle_count'}, ${target.documentId}, ${target.purpose}, ${target.user})
        on conflict (idempotency_key) do nothing`);
      const [row] = (await db.execute(
        sql`select channel, ts from slack_messages where idempotency_key = ${target.key}`,
      )) as unknown as { channel: string; ts: string | null }[];
      if (row?.ts) return { channel: row.channel, ts: row.ts };
      const channel = await dmChannel(target.user);
      const posted = await slack.chat.postMessage({ channel, text: message.text, blocks: message.blocks });
      await db.execute(sql`update slack_messages set channel = ${channel}, ts = ${posted.ts!}, updated_at = now()
                            where idempotency_key = ${target.key}`);
      return { channel, ts: posted.ts! };
    },

    /** Replaces a message sent earlier under `key` (no-op when it was never sent). */
    async update(key: string, message: DmMessage): Promise<void> {
      if (!slack) return;
      const [row] = (await db.execute(
        sql`select channel, ts from slack_messages where idempotency_key = ${key}`,
      )) as unknown as { channel: string; ts: string | null }[];
      if (!row?.ts) return;
      await slack.chat.update({ channel: row.channel, ts: row.ts, text: message.text, blocks: message.blocks });
    },

    /** Keys of earlier DMs for a document and purpose (e.g. every manager's approval request). */
    async keysFor(documentId: string, purpose: string): Promise<string[]> {
      const rows = (await db.execute(
        sql`select idempotency_key from slack_messages where document_type = 'cycle_count' and document_id = ${documentId}
              and purpose = ${purpose} order by idempotency_key`,
      )) as unknown as { idempotency_key: string }[];
      return rows.map((r) => r.idempotency_key);
    },

    dmChannel,
  };
}

export type DmSender = ReturnType<typeof createDmSender>;
