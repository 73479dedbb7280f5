import { sql } from 'drizzle-orm';
import { boolean, check, index, numeric, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * Roles beyond "requester", which everyone is. Granted to a Slack user or to a Slack user group
 * (everyone in the group holds it); an approver's grant carries an approval limit in money.
 */
export const role = pgEnum('role', ['approver', 'warehouse', 'buyer', 'inventory_manager', 'admin']);
export const roleSubject = pgEnum('role_subject', ['user', 'usergroup']);
/** Where a grant came from: an admin in Slack, or the config file / STOCKROOM_ADMINS at start. */
export const roleSource = pgEnum('role_source', ['slack', 'config']);

/** People by Slack user id, as last seen (names are for messages and reports, Slack is the truth). */
export const people = pgTable(
  'people',
  {
    slackUserId: text().primaryKey(),
    displayName: text().notNull(),
    email: text(),
    /** IANA time zone from Slack's users.info (user.tz); null until looked up. The digest goes out in it. */
    timeZone: text(),
    active: boolean().notNull().default(true),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('people_slack_user_id_shape', sql`${t.slackUserId} ~ '^[UW][A-Z0-9]+$'`)],
);

export const roleAssignments = pgTable(
  'role_assignments',
  {
    id: uuid().primaryKey().defaultRandom(),
    subjectKind: roleSubject().notNull(),
    /** U… / W… for a user, S… for a user group. */
    subjectId: text().notNull(),
    role: role().notNull(),
    /** Approvers only: the largest requisition value they may approve. */
    approvalLimit: numeric({ precision: 18, scale: 4 }),
    source: roleSource().notNull().default('slack'),
    grantedBy: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('role_assignments_subject_role_unique').on(t.subjectKind, t.subjectId, t.role),
    index('role_assignments_role_idx').on(t.role),
    check('role_assignments_limit_for_approvers', sql`(${t.role} = 'approver') = (${t.approvalLimit} is not null)`),
    check('role_assignments_limit_not_negative', sql`${t.approvalLimit} >= 0`),
  ],
);

/**
 * Who is in each Slack user group, synced from usergroups.users.list so role checks never call
 * Slack on the hot path (a click must be answered within 3 seconds).
 */
export const usergroupMembers = pgTable(
  'usergroup_members',
  {
    usergroupId: text().notNull(),
    slackUserId: text().notNull(),
    syncedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.usergroupId, t.slackUserId] }), index('usergroup_members_user_idx').on(t.slackUserId)],
);
