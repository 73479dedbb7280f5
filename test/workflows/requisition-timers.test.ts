import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { createRequisition } from '../../db/queries/requisitions.js';
import { requisitionWorkflowId } from '../../workflows/ids.js';
import { requisitionWorkflow } from '../../workflows/index.js';
import { approve, cancel, getStatus, type RequisitionView } from '../../workflows/requisition-messages.js';
import { recordHistoryFixture } from '../helpers/histories.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { createTimeSkippingEnv } from '../helpers/temporal.js';
import { PEOPLE, recordingActivities, seedRequisitionWorld, submissionKey, TEST_SETTINGS, today, waitForView } from '../helpers/requisitions.js';

// Reminders after a day and escalation after three are tested on Temporal's time-skipping test
// server: the durations are the real ones, the server skips the time.

let env: TestWorkflowEnvironment;
let database: TestDatabase;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  database = await createTestDatabase();
  await seedRequisitionWorld(database.db);
});

afterAll(async () => {
  await env?.teardown();
  await database?.drop();
});

test('no decision for a day: the approver is reminded; for three days: escalated up to the director; the clock restarts', async () => {
  const taskQueue = 'requisition-timers';
  const { activities, calls } = recordingActivities(createActivities({ db: database.db, settings: TEST_SETTINGS }));
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    workflowBundle: { codePath: inject('workflowBundle') },
    activities,
  });
  const { number } = await createRequisition(database.db, {
    submissionKey: submissionKey(),
    requester: PEOPLE.requester,
    costCenter: 'OPS',
    reason: 'Timers',
    lines: [{ sku: 'PAPER', quantity: '20' }],
    today: today(),
  });

  await worker.runUntil(async () => {
    const handle = await env.client.workflow.start(requisitionWorkflow, { taskQueue, workflowId: requisitionWorkflowId(number), args: [{ number }] });
    const read = () => handle.query(getStatus);
    const level = (v: RequisitionView) => v.approvals[0]!;
    const asked = await waitForView(read, (v) => v.status === 'awaiting_approval', 'awaiting approval');
    expect(level(asked)).toMatchObject({ asked: [PEOPLE.manager], reminders: 0, escalations: 0 });
    const reminders = () => calls.filter((c) => c.name === 'remindApprover').map((c) => (c.input as { approver: string }).approver);

    await env.sleep('23 hours');
    expect(level(await read()).reminders).toBe(0);
    expect(reminders()).toEqual([]);

    await env.sleep('2 hours'); // 25 h: reminded once
    await waitForView(read, (v) => level(v).reminders === 1, 'the first reminder');
    await waitForView(read, () => reminders().length === 1, 'the reminder activity');
    expect(reminders()).toEqual([PEOPLE.manager]);

    await env.sleep('2 days'); // 73 h: escalated up the ladder, past the more junior lead
    const escalated = await waitForView(read, (v) => level(v).escalations === 1, 'escalation');
    expect(level(escalated).asked).toEqual([PEOPLE.manager, PEOPLE.director]);
    expect(escalated.awaiting).toEqual({ kind: 'approval', level: 1, approvers: [PEOPLE.manager, PEOPLE.director] });
    const approvalRequests = calls.filter((c) => c.name === 'requestApproval').map((c) => c.input as { approver: string; escalatedFrom?: string });
    expect(approvalRequests).toEqual([
      expect.objectContaining({ approver: PEOPLE.manager }),
      expect.objectContaining({ approver: PEOPLE.director, escalatedFrom: PEOPLE.manager }),
    ]);
    const told = () => calls.filter((c) => c.name === 'notifyRequester').map((c) => (c.input as { event: { kind: string } }).event.kind);
    expect(told()).toContain('escalated');

    // The clock restarts at the escalation: a day later both are reminded.
    await env.sleep('25 hours');
    await waitForView(read, (v) => level(v).reminders === 2, 'the second reminder');
    await waitForView(read, () => reminders().length === 3, 'reminder activities');
    expect(reminders().slice(1).sort()).toEqual([PEOPLE.director, PEOPLE.manager].sort());

    // Either may decide; the director does.
    await handle.executeUpdate(approve, { args: [{ actor: PEOPLE.director, level: 1 }] });
    await waitForView(read, (v) => v.status === 'picking', 'picking');
    await handle.executeUpdate(cancel, { args: [{ actor: PEOPLE.requester }] });
    expect((await handle.result()).status).toBe('cancelled');
    recordHistoryFixture('requisition-reminded-escalated', await handle.fetchHistory());
  });
});

test('nobody left to escalate to: the requester is told once and reminders go on', async () => {
  const taskQueue = 'requisition-timers-exhausted';
  const { activities, calls } = recordingActivities(createActivities({ db: database.db, settings: TEST_SETTINGS }));
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    workflowBundle: { codePath: inject('workflowBundle') },
    activities,
  });
  // 6,000 needs the director at level 2, and only the director has that limit.
  const { number } = await createRequisition(database.db, {
    submissionKey: submissionKey(),
    requester: PEOPLE.requester,
    costCenter: 'OPS',
    reason: 'Exhausted',
    lines: [{ sku: 'LAPTOP', quantity: '4' }],
    today: today(),
  });
  await worker.runUntil(async () => {
    const handle = await env.client.workflow.start(requisitionWorkflow, { taskQueue, workflowId: requisitionWorkflowId(number), args: [{ number }] });
    const read = () => handle.query(getStatus);
    await waitForView(read, (v) => v.status === 'awaiting_approval', 'level 1');
    await handle.executeUpdate(approve, { args: [{ actor: PEOPLE.manager, level: 1 }] });
    await waitForView(read, (v) => v.awaiting.kind === 'approval' && v.awaiting.level === 2, 'level 2');
    await env.sleep('73 hours');
    const exhausted = await waitForView(read, (v) => v.approvals[1]!.exhausted, 'exhausted');
    expect(exhausted.approvals[1]).toMatchObject({ asked: [PEOPLE.director], escalations: 0, reminders: 1 });
    await env.sleep('25 hours');
    await waitForView(read, (v) => v.approvals[1]!.reminders === 2, 'the next reminder');
    await env.sleep('72 hours'); // past the second escalation attempt (144 h) to the reminder after it (168 h)
    await waitForView(read, (v) => v.approvals[1]!.reminders === 3, 'and the next');
    const noApprover = calls.filter((c) => c.name === 'notifyRequester' && (c.input as { event: { kind: string } }).event.kind === 'no_approver');
    expect(noApprover).toHaveLength(1);
    await handle.executeUpdate(cancel, { args: [{ actor: PEOPLE.requester }] });
    expect((await handle.result()).status).toBe('cancelled');
  });
});
