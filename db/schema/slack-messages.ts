import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Every message the app posted, by the idempotency key of the step that posted it: a retried
 * activity finds its row and updates or skips instead of posting twice, and later steps find the
 * message to update in place (approval DMs when a decision lands, the pick task when cancelled).
 */
export const slackMessages = pgTable(
  'slack_messages',
  {
    idempotencyKey: text().primaryKey(),
    channel: text().notNull(),
    /**
     * Null between claiming the key and Slack's answer. A retry that finds it null looks for the
     * message by its metadata (the key travels in it) before posting, so a crash between Slack's
     * answer and this row's update does not post twice.
     */
    ts: text(),
    /** Set when the message is a reply in a thread. */
    threadTs: text(),
    /** What it is about ('requisition', 'REQ-000123') and what it is for ('approval_request', 'pick_task'). */
    documentType: text().notNull(),
    documentId: text().notNull(),
    purpose: text().notNull(),
    /** Who it was sent to, for DMs (so the DM can be updated per approver). */
    recipient: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('slack_messages_document_idx').on(t.documentType, t.documentId, t.purpose)],
);
