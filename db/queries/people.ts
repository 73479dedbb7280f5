import { and, eq, inArray, notInArray, or, sql } from 'drizzle-orm';
import type { Approver } from '../../inventory/approval-policy.js';
import { dec, parseDecimal, toPlain } from '../../inventory/decimal.js';
import type { Executor } from '../client.js';
import { people, roleAssignments, usergroupMembers } from '../schema/index.js';

export type Role = (typeof roleAssignments.role.enumValues)[number];
export const ROLES: readonly Role[] = roleAssignments.role.enumValues;
export type RoleSubject = { kind: 'user' | 'usergroup'; id: string };

export class PeopleError extends Error {
  constructor(
    readonly code: 'invalid_subject' | 'approval_limit_required' | 'approval_limit_not_allowed' | 'invalid_amount',
    message: string,
  ) {
    super(message);
    this.name = 'PeopleError';
  }
}

const USER_ID = /^[UW][A-Z0-9]+$/;
const USERGROUP_ID = /^S[A-Z0-9]+$/;

function checkSubject(subject: RoleSubject): void {
  const ok = subject.kind === 'user' ? USER_ID.test(subject.id) : USERGROUP_ID.test(subject.id);
  if (!ok) {
    throw new PeopleError('invalid_subject', `${subject.id} is not a Slack ${subject.kind === 'user' ? 'user id (U…)' : 'user group id (S…)'}`);
  }
}

/** Records a person as Slack shows them (called when they first use the app, and on profile sync). */
export async function upsertPerson(db: Executor, input: { slackUserId: string; displayName: string; email?: string }): Promise<void> {
  checkSubject({ kind: 'user', id: input.slackUserId });
  await db
    .insert(people)
    .values({ slackUserId: input.slackUserId, displayName: input.displayName, email: input.email })
    .onConflictDoUpdate({
      target: people.slackUserId,
      set: { displayName: input.displayName, email: input.email ?? sql`${people.email}`, updatedAt: sql`now()` },
    });
}

export async function displayNames(db: Executor, slackUserIds: string[]): Promise<Map<string, string>> {
  if (slackUserIds.length === 0) return new Map();
  const rows = await db.select().from(people).where(inArray(people.slackUserId, slackUserIds));
  return new Map(rows.map((r) => [r.slackUserId, r.displayName]));
}

/** Grants a role (again: updates the limit). Approver grants need a limit; other roles must not have one. */
export async function assignRole(
  db: Executor,
  input: { subject: RoleSubject; role: Role; approvalLimit?: string; grantedBy: string; source?: 'slack' | 'config' },
): Promise<void> {
  checkSubject(input.subject);
  let limit: string | null = null;
  if (input.role === 'approver') {
    if (input.approvalLimit === undefined) throw new PeopleError('approval_limit_required', 'An approver needs an approval limit (an amount).');
    const parsed = parseDecimal(input.approvalLimit);
    if (!parsed || parsed.isNegative() || parsed.decimalPlaces() > 4) {
      throw new PeopleError('invalid_amount', `"${input.approvalLimit}" is not an amount (use digits and a dot, e.g. 5000 or 1250.50).`);
    }
    limit = toPlain(parsed);
  } else if (input.approvalLimit !== undefined) {
    throw new PeopleError('approval_limit_not_allowed', `Only approvers have an approval limit, not ${input.role}.`);
  }
  await db
    .insert(roleAssignments)
    .values({
      subjectKind: input.subject.kind,
      subjectId: input.subject.id,
      role: input.role,
      approvalLimit: limit,
      grantedBy: input.grantedBy,
      source: input.source ?? 'slack',
    })
    .onConflictDoUpdate({
      target: [roleAssignments.subjectKind, roleAssignments.subjectId, roleAssignments.role],
      set: { approvalLimit: limit, grantedBy: input.grantedBy, source: input.source ?? 'slack', updatedAt: sql`now()` },
    });
}

/** Removes a grant; true when there was one. */
export async function revokeRole(db: Executor, input: { subject: RoleSubject; role: Role }): Promise<boolean> {
  const removed = await db
    .delete(roleAssignments)
    .where(
      and(
        eq(roleAssignments.subjectKind, input.subject.kind),
        eq(roleAssignments.subjectId, input.subject.id),
        eq(roleAssignments.role, input.role),
      ),
    )
    .returning({ id: roleAssignments.id });
  return removed.length > 0;
}

/** Replaces a user group's members with what Slack reports now. */
export async function replaceUsergroupMembers(db: Executor, input: { usergroupId: string; members: string[] }): Promise<void> {
  checkSubject({ kind: 'usergroup', id: input.usergroupId });
  const members = [...new Set(input.members)];
  await db.transaction(async (tx) => {
    await tx
      .delete(usergroupMembers)
      .where(
        members.length
          ? and(eq(usergroupMembers.usergroupId, input.usergroupId), notInArray(usergroupMembers.slackUserId, members))
          : eq(usergroupMembers.usergroupId, input.usergroupId),
      );
    if (members.length) {
      await tx
        .insert(usergroupMembers)
        .values(members.map((slackUserId) => ({ usergroupId: input.usergroupId, slackUserId })))
        .onConflictDoUpdate({ target: [usergroupMembers.usergroupId, usergroupMembers.slackUserId], set: { syncedAt: sql`now()` } });
    }
  });
}

/** Every (user, role, limit) a grant gives, directly or through a user group. */
async function holders(db: Executor, where: { role?: Role; slackUserId?: string }) {
  const holder = sql<string>`coalesce(${usergroupMembers.slackUserId}, ${roleAssignments.subjectId})`;
  const rows = await db
    .select({ slackUserId: holder, role: roleAssignments.role, approvalLimit: roleAssignments.approvalLimit })
    .from(roleAssignments)
    .leftJoin(
      usergroupMembers,
      and(eq(roleAssignments.subjectKind, 'usergroup'), eq(usergroupMembers.usergroupId, roleAssignments.subjectId)),
    )
    .where(
      and(
        or(eq(roleAssignments.subjectKind, 'user'), sql`${usergroupMembers.slackUserId} is not null`),
        where.role ? eq(roleAssignments.role, where.role) : undefined,
        where.slackUserId ? sql`${holder} = ${where.slackUserId}` : undefined,
      ),
    );
  return rows;
}

/** A person's roles (requester is implicit, not listed) and their approval limit: the largest grant. */
export async function rolesOf(db: Executor, slackUserId: string): Promise<{ roles: Role[]; approvalLimit?: string }> {
  const rows = await holders(db, { slackUserId });
  const roles = ROLES.filter((r) => rows.some((row) => row.role === r));
  const limits = rows.filter((r) => r.approvalLimit !== null).map((r) => dec(r.approvalLimit!));
  const approvalLimit = limits.length ? toPlain(limits.reduce((a, b) => (b.gt(a) ? b : a))) : undefined;
  return approvalLimit === undefined ? { roles } : { roles, approvalLimit };
}

export async function hasRole(db: Executor, slackUserId: string, role: Role): Promise<boolean> {
  return (await holders(db, { slackUserId, role })).length > 0;
}

/** Slack user ids holding a role, group members included, sorted. */
export async function usersWithRole(db: Executor, role: Role): Promise<string[]> {
  const rows = await holders(db, { role });
  return [...new Set(rows.map((r) => r.slackUserId))].sort();
}

/** Everyone who may approve, with their effective (largest) limit: the approval policy's input. */
export async function listApprovers(db: Executor): Promise<Approver[]> {
  const best = new Map<string, string>();
  for (const row of await holders(db, { role: 'approver' })) {
    const current = best.get(row.slackUserId);
    if (current === undefined || dec(row.approvalLimit!).gt(current)) best.set(row.slackUserId, toPlain(dec(row.approvalLimit!)));
  }
  return [...best.entries()].map(([slackUserId, limit]) => ({ slackUserId, limit })).sort((a, b) => (a.slackUserId < b.slackUserId ? -1 : 1));
}

/**
 * Makes the configured admins (stockroom.config.json "admins" and STOCKROOM_ADMINS) hold the admin
 * role, and withdraws it from config-granted admins no longer listed. Grants made in Slack are untouched.
 */
export async function ensureConfiguredAdmins(db: Executor, slackUserIds: string[]): Promise<void> {
  for (const id of slackUserIds) checkSubject({ kind: 'user', id });
  await db.transaction(async (tx) => {
    await tx
      .delete(roleAssignments)
      .where(
        and(
          eq(roleAssignments.role, 'admin'),
          eq(roleAssignments.source, 'config'),
          slackUserIds.length ? notInArray(roleAssignments.subjectId, slackUserIds) : undefined,
        ),
      );
    for (const id of slackUserIds) {
      await tx
        .insert(roleAssignments)
        .values({ subjectKind: 'user', subjectId: id, role: 'admin', grantedBy: 'config', source: 'config' })
        .onConflictDoNothing();
    }
  });
}

export async function listRoleAssignments(db: Executor) {
  return db.select().from(roleAssignments).orderBy(roleAssignments.role, roleAssignments.subjectKind, roleAssignments.subjectId);
}

/** Stores a person's IANA time zone as Slack reports it (users.info user.tz); creates the person when new. */
export async function recordTimeZone(
  db: Executor,
  input: { slackUserId: string; displayName: string; timeZone: string | null },
): Promise<void> {
  checkSubject({ kind: 'user', id: input.slackUserId });
  await db
    .insert(people)
    .values({ slackUserId: input.slackUserId, displayName: input.displayName, timeZone: input.timeZone })
    .onConflictDoUpdate({ target: people.slackUserId, set: { timeZone: input.timeZone, updatedAt: sql`now()` } });
}

/** Stored time zones by Slack user id (null: never looked up, or Slack had none). */
export async function timeZonesOf(db: Executor, slackUserIds: string[]): Promise<Map<string, string | null>> {
  if (slackUserIds.length === 0) return new Map();
  const rows = await db
    .select({ slackUserId: people.slackUserId, timeZone: people.timeZone })
    .from(people)
    .where(inArray(people.slackUserId, slackUserIds));
  return new Map(rows.map((r) => [r.slackUserId, r.timeZone]));
}
