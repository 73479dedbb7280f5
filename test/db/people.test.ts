import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { budgetStatus, setBudget, upsertCostCenter } from '../../db/queries/cost-centers.js';
import {
  assignRole,
  ensureConfiguredAdmins,
  hasRole,
  listApprovers,
  PeopleError,
  replaceUsergroupMembers,
  revokeRole,
  rolesOf,
  usersWithRole,
} from '../../db/queries/people.js';
import { createRequisition, saveRequisitionState } from '../../db/queries/requisitions.js';
import { items } from '../../db/schema/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

describe('roles', () => {
  test('a role granted to a user group is held by its members; the approval limit is the largest grant', async () => {
    const { db } = database;
    await assignRole(db, { subject: { kind: 'user', id: 'U0ALICE' }, role: 'approver', approvalLimit: '500', grantedBy: 'U0ADMIN' });
    await assignRole(db, { subject: { kind: 'usergroup', id: 'S0LEADS' }, role: 'approver', approvalLimit: '2500.50', grantedBy: 'U0ADMIN' });
    await assignRole(db, { subject: { kind: 'usergroup', id: 'S0STORE' }, role: 'warehouse', grantedBy: 'U0ADMIN' });
    await replaceUsergroupMembers(db, { usergroupId: 'S0LEADS', members: ['U0ALICE', 'U0BOB'] });
    await replaceUsergroupMembers(db, { usergroupId: 'S0STORE', members: ['U0DAN'] });

    expect(await rolesOf(db, 'U0ALICE')).toEqual({ roles: ['approver'], approvalLimit: '2500.5' });
    expect(await rolesOf(db, 'U0DAN')).toEqual({ roles: ['warehouse'] });
    expect(await rolesOf(db, 'U0NOBODY')).toEqual({ roles: [] });
    expect(await listApprovers(db)).toEqual([
      { slackUserId: 'U0ALICE', limit: '2500.5' },
      { slackUserId: 'U0BOB', limit: '2500.5' },
    ]);
    expect(await usersWithRole(db, 'warehouse')).toEqual(['U0DAN']);

    // Slack says Bob left the group: he loses what the group gave him.
    await replaceUsergroupMembers(db, { usergroupId: 'S0LEADS', members: ['U0ALICE'] });
    expect(await hasRole(db, 'U0BOB', 'approver')).toBe(false);
    expect(await revokeRole(db, { subject: { kind: 'usergroup', id: 'S0STORE' }, role: 'warehouse' })).toBe(true);
    expect(await usersWithRole(db, 'warehouse')).toEqual([]);
  });

  test('approvers need a limit, others must not have one, ids must look like Slack ids', async () => {
    const { db } = database;
    await expect(assignRole(db, { subject: { kind: 'user', id: 'U0X' }, role: 'approver', grantedBy: 'U0ADMIN' })).rejects.toThrow(PeopleError);
    await expect(
      assignRole(db, { subject: { kind: 'user', id: 'U0X' }, role: 'warehouse', approvalLimit: '10', grantedBy: 'U0ADMIN' }),
    ).rejects.toMatchObject({ code: 'approval_limit_not_allowed' });
    await expect(
      assignRole(db, { subject: { kind: 'user', id: 'U0X' }, role: 'approver', approvalLimit: '1e5', grantedBy: 'U0ADMIN' }),
    ).rejects.toMatchObject({ code: 'invalid_amount' });
    await expect(assignRole(db, { subject: { kind: 'usergroup', id: 'U0X' }, role: 'buyer', grantedBy: 'U0ADMIN' })).rejects.toMatchObject({
      code: 'invalid_subject',
    });
  });

  test('configured admins are granted, and withdrawn when removed from the config; Slack grants stay', async () => {
    const { db } = database;
    await assignRole(db, { subject: { kind: 'user', id: 'U0SLACKADMIN' }, role: 'admin', grantedBy: 'U0FIRST' });
    await ensureConfiguredAdmins(db, ['U0FIRST', 'U0SECOND']);
    await ensureConfiguredAdmins(db, ['U0FIRST', 'U0SECOND']);
    expect(await usersWithRole(db, 'admin')).toEqual(['U0FIRST', 'U0SECOND', 'U0SLACKADMIN']);
    await ensureConfiguredAdmins(db, ['U0FIRST']);
    expect(await usersWithRole(db, 'admin')).toEqual(['U0FIRST', 'U0SLACKADMIN']);
  });
});

describe('budgets', () => {
  test('used is the value of requisitions approved in the period; issued ones count at their actual cost, rejected ones not at all', async () => {
    const { db } = database;
    await upsertCostCenter(db, { code: 'OPS', name: 'Operations', approverSlackUserId: 'U0ALICE' });
    await setBudget(db, { costCenter: 'ops', periodStart: '2026-01-01', periodEnd: '2027-01-01', amount: '10000' });
    const [item] = await db.insert(items).values({ sku: 'BUD-1', name: 'Budget item', standardCost: '100' }).returning();
    expect(item).toBeDefined();

    const submit = (key: string, quantity: string) =>
      createRequisition(db, { submissionKey: key, requester: 'U0REQ', costCenter: 'OPS', reason: 'r', lines: [{ sku: 'bud-1', quantity }], today: '2026-06-01' });
    const open = await submit('b1', '10'); // 1,000 approved, still open
    const issued = await submit('b2', '20'); // 2,000 approved, issued at 1,750
    const rejected = await submit('b3', '30'); // never counts
    const base = { currentLevel: null, awaiting: [], lines: [] };
    await saveRequisitionState(db, { ...base, number: open.number, status: 'picking', issuedValue: '0', approvedAt: '2026-06-01T10:00:00Z' });
    await saveRequisitionState(db, { ...base, number: issued.number, status: 'issued', issuedValue: '1750', approvedAt: '2026-06-02T10:00:00Z' });
    await saveRequisitionState(db, { ...base, number: rejected.number, status: 'rejected', issuedValue: '0', approvedAt: '2026-06-02T10:00:00Z' });

    expect(await budgetStatus(db, { costCenter: 'OPS', on: '2026-06-15' })).toEqual({
      costCenter: 'OPS',
      costCenterName: 'Operations',
      periodStart: '2026-01-01',
      periodEnd: '2027-01-01',
      amount: '10000',
      used: '2750',
      remaining: '7250',
    });
    expect(await budgetStatus(db, { costCenter: 'OPS', on: '2027-01-01' })).toBeUndefined();
  });
});
