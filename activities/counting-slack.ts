import type { WebClient } from '@slack/web-api';
import type { Database } from '../db/client.js';
import { createSlackPoster, findSlackMessages, type SlackMessage } from './slack-post.js';

/**
 * Direct messages for counting and the digest, posted once per key through the shared poster
 * (activities/slack-post.ts): the row is claimed by the step's key before posting, and a retry that
 * finds the message's ts, or finds the message by its metadata, posts nothing.
 */

export type DmMessage = SlackMessage;

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
  const poster = slack ? createSlackPoster(db, slack) : undefined;

  return {
    /** Posts once per key; returns where it is, or undefined when Slack is not configured. */
    async send(target: DmTarget, message: DmMessage): Promise<SentDm | undefined> {
      if (!poster) {
        log(`Slack not configured: skipped ${target.purpose} for ${target.user}`);
        return undefined;
      }
      const { channel, ts } = await poster.postOnce({
        key: target.key,
        user: target.user,
        message,
        documentType: target.documentType ?? 'cycle_count',
        documentId: target.documentId,
        purpose: target.purpose,
      });
      return { channel, ts };
    },

    /** Replaces a message sent earlier under `key` (no-op when it was never sent). */
    async update(key: string, message: DmMessage): Promise<void> {
      await poster?.updateByKey(key, message);
    },

    /** Keys of earlier DMs for a document and purpose (e.g. every manager's approval request). */
    async keysFor(documentId: string, purpose: string): Promise<string[]> {
      const rows = await findSlackMessages(db, { documentType: 'cycle_count', documentId, purpose });
      return rows.map((r) => r.idempotencyKey);
    },
  };
}

export type DmSender = ReturnType<typeof createDmSender>;
