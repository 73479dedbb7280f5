import { WorkflowUpdateFailedError, WorkflowUpdateStage, type WorkflowHandle } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { createActivities, type Activities } from '../../activities/index.js';
import { availability, receive } from '../../db/queries/ledger.js';
import { dec, toPlain } from '../../inventory/decimal.js';
import { createRequisition, getRequisition, listApprovalDecisions } from '../../db/queries/requisitions.js';
import { clickAnswer, requisitionHandle, signalStockAvailable, submitRequisition } from '../../runtime/requisitions.js';
import { requisitionWorkflowId } from '../../workflows/ids.js';
import { requisitionWorkflow } from '../../workflows/index.js';
import {
  approve,
  cancel,
  confirmPick,
  getStatus,
  reject,
  stockAvailable,
  type PickedLine,
  type RequisitionView,
} from '../../workflows/requisition-messages.js';
import { createLogger } from '../../runtime/logger.js';
import { installTemporalLogging } from '../../runtime/temporal-logging.js';
import { recordHistoryFixture } from '../helpers/histories.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import {
  ledgerFacts,
  PEOPLE,
  recordingActivities,
  seedRequisitionWorld,
  submissionKey,
  TEST_SETTINGS,
  today,
  waitForView,
} from '../helpers/requisitions.js';
import { connectTestTemporal, type RunningWorker, type TestTemporal } from '../helpers/temporal.js';

let database: TestDatabase;
let temporal: TestTemporal;
let worker: RunningWorker | undefined;
let calls: { name: string; input: unknown }[];
/** Workflows whose histories the replay check and the fixtures use, by scenario name. */
const recorded = new Map<string, string>();

beforeAll(async () => {
  installTemporalLogging(createLogger(process.env.LOG_LEVEL ?? 'silent'));
  database = await createTestDatabase();
  temporal = await connectTestTemporal();
  await seedRequisitionWorld(database.db);
  const recording = recordingActivities(createActivities({ db: database.db, settings: TEST_SETTINGS }));
  calls = recording.calls;
  worker = await temporal.startWorker(recording.activities);
});

afterAll(async () => {
  await worker?.stop();
  await temporal?.close();
  await database?.drop();
});

type Line = { sku: string; quantity: string; neededBy?: string };

async function submit(lines: Line[], opts: { requester?: string; costCenter?: string } = {}) {
  const submitted = await submitRequisition(
    { db: database.db, client: temporal.client },
    {
      submissionKey: submissionKey(),
      requester: opts.requester ?? PEOPLE.requester,
      costCenter: opts.costCenter ?? 'OPS',
      reason: 'Team supplies',
      lines,
      today: today(),
    },
  );
  return { number: submitted.number, handle: requisitionHandle(temporal.client, submitted.number) };
}

const status = (handle: WorkflowHandle) => () => handle.query(getStatus);
const until = (handle: WorkflowHandle, ready: (v: RequisitionView) => boolean, what: string) => waitForView(status(handle), ready, what);

/** The sentence a refused update answers with. */
async function refusal(update: Promise<unknown>): Promise<string> {
  const err = await update.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  return (err as WorkflowUpdateFailedError).cause?.message ?? '';
}

const pickAll = (view: RequisitionView): PickedLine[] => view.lines.filter((l) => l.reserved !== '0').map((l) => ({ lineNo: l.lineNo, picked: l.reserved }));
const callsFor = (name: string, number: string) =>
  calls.filter((c) => c.name === name && JSON.stringify(c.input).includes(`"${number}`));

describe('approval', () => {
  test('under the threshold it is approved automatically, picked by the warehouse and issued once', async () => {
    const { number, handle } = await submit([{ sku: 'PEN', quantity: '10' }]);
    const picking = await until(handle, (v) => v.status === 'picking', 'picking');
    expect(picking.autoApproved).toBe(true);
    expect(picking.approvals).toEqual([]);
    expect(picking.awaiting).toEqual({ kind: 'pick', round: 1, warehouse: [PEOPLE.warehouse] });
    expect(picking.lines[0]).toMatchObject({ sku: 'PEN', requested: '10', reserved: '10', allocations: [{ location: 'Main/A/1', quantity: '10' }] });

    const result = await handle.executeUpdate(confirmPick, { args: [{ actor: PEOPLE.warehouse, round: 1, lines: pickAll(picking) }] });
    expect(result).toMatchObject({ number, round: 1, status: 'issued', issued: [{ lineNo: 1, sku: 'PEN', quantity: '10', cost: '20' }] });
    expect(await handle.result()).toEqual({ number, status: 'issued', issuedValue: '20', lines: [{ lineNo: 1, sku: 'PEN', issued: '10', cancelled: '0' }] });

    expect(await ledgerFacts(database.db, number)).toEqual({ issues: 1, issued: '10', open: '0' });
    const record = await getRequisition(database.db, number);
    expect(record).toMatchObject({ status: 'issued', issuedValue: '20' });
    expect(record!.lines[0]).toMatchObject({ issued: '10', picked: '10', reserved: '0', backordered: '0' });
    expect(await listApprovalDecisions(database.db, number)).toMatchObject([{ level: 0, approver: 'auto', decision: 'auto_approved' }]);
    recorded.set('auto-approved', number);
  });

  test('approve path: the manager is asked, a double click is refused, the requester hears each step', async () => {
    const { number, handle } = await submit([{ sku: 'PAPER', quantity: '20' }]);
    const waiting = await until(handle, (v) => v.status === 'awaiting_approval', 'awaiting approval');
    expect(waiting.totalValue).toBe('200');
    expect(waiting.awaiting).toEqual({ kind: 'approval', level: 1, approvers: [PEOPLE.manager] });
    expect((await getRequisition(database.db, number))!.awaiting).toEqual([PEOPLE.manager]);

    const decision = await handle.executeUpdate(approve, { args: [{ actor: PEOPLE.manager, level: 1 }] });
    expect(decision).toEqual({ number, level: 1, decision: 'approved', message: `You approved ${number}.` });
    expect(await refusal(handle.executeUpdate(approve, { args: [{ actor: PEOPLE.manager, level: 1 }] }))).toBe(
      `Level 1 of ${number} was already approved by <@${PEOPLE.manager}>.`,
    );

    const picking = await until(handle, (v) => v.status === 'picking', 'picking');
    await handle.executeUpdate(confirmPick, { args: [{ actor: PEOPLE.warehouse, lines: pickAll(picking) }] });
    expect((await handle.result()).status).toBe('issued');
    expect(await listApprovalDecisions(database.db, number)).toMatchObject([{ level: 1, approver: PEOPLE.manager, decision: 'approved' }]);
    expect(callsFor('requestApproval', number).map((c) => (c.input as { approver: string }).approver)).toEqual([PEOPLE.manager]);
    const events = callsFor('notifyRequester', number).map((c) => (c.input as { event: { kind: string } }).event.kind);
    expect(events).toEqual(['submitted', 'awaiting_approval', 'approved', 'picking', 'ready']);
    expect(callsFor('refreshApprovalMessages', number).length).toBeGreaterThan(0);
    recorded.set('approved', number);
  });

  test('reject: a reason is required, the requisition closes and nothing is reserved', async () => {
    const { number, handle } = await submit([{ sku: 'PAPER', quantity: '15' }]);
    await until(handle, (v) => v.status === 'awaiting_approval', 'awaiting approval');
    expect(await refusal(handle.executeUpdate(reject, { args: [{ actor: PEOPLE.manager, reason: '  ' }] }))).toMatch(/a reason is required/);
    const decision = await handle.executeUpdate(reject, { args: [{ actor: PEOPLE.manager, reason: 'Use the stock in the lab' }] });
    expect(decision.decision).toBe('rejected');
    expect((await handle.result()).status).toBe('rejected');
    const view = await handle.query(getStatus);
    expect(view.rejected).toMatchObject({ by: PEOPLE.manager, reason: 'Use the stock in the lab', level: 1 });
    // Closed: Temporal refuses updates to a finished workflow; clickAnswer turns that into a sentence.
    expect(await clickAnswer({ db: database.db, client: temporal.client }, number, approve, { actor: PEOPLE.manager })).toEqual({
      ok: false,
      message: `${number} is rejected; there is nothing left to do.`,
    });
    expect(await ledgerFacts(database.db, number)).toEqual({ issues: 0, issued: '0', open: '0' });
    expect(await listApprovalDecisions(database.db, number)).toMatchObject([{ level: 1, decision: 'rejected', reason: 'Use the stock in the lab' }]);
    recorded.set('rejected', number);
  });

  test('nobody approves their own requisition: the manager requesting on their own cost center goes to the next approver', async () => {
    const { handle } = await submit([{ sku: 'PAPER', quantity: '20' }], { requester: PEOPLE.manager });
    const waiting = await until(handle, (v) => v.status === 'awaiting_approval', 'awaiting approval');
    expect(waiting.approvals[0]!.passedOver).toEqual([{ slackUserId: PEOPLE.manager, limit: '5000', reason: 'own_requisition' }]);
    expect(waiting.awaiting).toEqual({ kind: 'approval', level: 1, approvers: [PEOPLE.lead] });
    expect(await refusal(handle.executeUpdate(approve, { args: [{ actor: PEOPLE.manager }] }))).toBe('You cannot approve or reject your own requisition.');
    expect(await refusal(handle.executeUpdate(reject, { args: [{ actor: PEOPLE.manager, reason: 'no' }] }))).toBe(
      'You cannot approve or reject your own requisition.',
    );
    expect(await refusal(handle.executeUpdate(approve, { args: [{ actor: PEOPLE.stranger }] }))).toMatch(/You are not an approver for level 1/);
    await handle.executeUpdate(approve, { args: [{ actor: PEOPLE.lead }] });
    await until(handle, (v) => v.status === 'picking', 'picking');
    await handle.executeUpdate(cancel, { args: [{ actor: PEOPLE.manager }] });
    expect((await handle.result()).status).toBe('cancelled');
  });

  test('an approver whose limit is below the amount is passed over and told so when they click', async () => {
    // LAB's designated approver (limit 1,000) cannot approve 3,000: the manager is asked instead.
    const { number, handle } = await submit([{ sku: 'LAPTOP', quantity: '2' }], { costCenter: 'LAB' });
    const waiting = await until(handle, (v) => v.status === 'awaiting_approval', 'awaiting approval');
    expect(waiting.approvals).toHaveLength(1);
    expect(waiting.approvals[0]).toMatchObject({
      requiredLimit: '3000',
      asked: [PEOPLE.manager],
      passedOver: [{ slackUserId: PEOPLE.lead, limit: '1000', reason: 'limit_below_amount' }],
    });
    expect(await refusal(handle.executeUpdate(approve, { args: [{ actor: PEOPLE.lead }] }))).toBe(
      'Your approval limit 1,000.00 is below the 3,000.00 level 1 (Manager) needs.',
    );
    await handle.executeUpdate(approve, { args: [{ actor: PEOPLE.manager }] });
    const picking = await until(handle, (v) => v.status === 'picking', 'picking');
    await handle.executeUpdate(confirmPick, { args: [{ actor: PEOPLE.warehouse, lines: pickAll(picking) }] });
    expect(await handle.result()).toMatchObject({ status: 'issued', issuedValue: '3000' });
    expect(await ledgerFacts(database.db, number)).toEqual({ issues: 1, issued: '2', open: '0' });
    recorded.set('over-limit', number);
  });

  test('multi-level: manager then director; the level 1 approver cannot also approve level 2; stale clicks are refused', async () => {
    const { number, handle } = await submit([{ sku: 'LAPTOP', quantity: '4' }]);
    const first = await until(handle, (v) => v.status === 'awaiting_approval', 'level 1');
    expect(first.approvals.map((a) => [a.level, a.name, a.requiredLimit, a.state])).toEqual([
      [1, 'Manager', '5000', 'waiting'],
      [2, 'Director', '6000', 'pending'],
    ]);
    expect(await refusal(handle.executeUpdate(approve, { args: [{ actor: PEOPLE.director, level: 2 }] }))).toBe(
      `That message was for level 2; ${number} is now at level 1.`,
    );
    const one = await handle.executeUpdate(approve, { args: [{ actor: PEOPLE.manager, level: 1 }] });
    expect(one.message).toBe(`You approved level 1 of ${number}; it now goes to level 2.`);
    const second = await until(handle, (v) => v.awaiting.kind === 'approval' && v.awaiting.level === 2, 'level 2');
    expect(second.awaiting).toEqual({ kind: 'approval', level: 2, approvers: [PEOPLE.director] });
    expect(await refusal(handle.executeUpdate(approve, { args: [{ actor: PEOPLE.manager, level: 1 }] }))).toBe(
      `Level 1 of ${number} was already approved by <@${PEOPLE.manager}>.`,
    );
    expect(await refusal(handle.executeUpdate(approve, { args: [{ actor: PEOPLE.manager, level: 2 }] }))).toBe(
      'You already approved an earlier level; level 2 (Director) needs someone else.',
    );
    await handle.executeUpdate(approve, { args: [{ actor: PEOPLE.director, level: 2 }] });
    const picking = await until(handle, (v) => v.status === 'picking', 'picking');
    await handle.executeUpdate(confirmPick, { args: [{ actor: PEOPLE.warehouse, lines: pickAll(picking) }] });
    expect((await handle.result()).status).toBe('issued');
    expect(await listApprovalDecisions(database.db, number)).toMatchObject([
      { level: 1, approver: PEOPLE.manager, decision: 'approved' },
      { level: 2, approver: PEOPLE.director, decision: 'approved' },
    ]);
    expect(callsFor('requestApproval', number).map((c) => (c.input as { approver: string }).approver)).toEqual([PEOPLE.manager, PEOPLE.director]);
    recorded.set('multi-level', number);
  });
});

describe('cancel', () => {
  test('only the requester cancels; before the pick the reservation is released and the pick task closed', async () => {
    const { number, handle } = await submit([{ sku: 'PEN', quantity: '30' }]);
    await until(handle, (v) => v.status === 'picking', 'picking');
    expect((await availability(database.db, { sku: 'PEN' })).reserved).not.toBe('0');
    expect(await ledgerFacts(database.db, number)).toMatchObject({ open: '30' });

    expect(await refusal(handle.executeUpdate(cancel, { args: [{ actor: PEOPLE.warehouse }] }))).toBe(
      `Only the requester, <@${PEOPLE.requester}>, can cancel ${number}.`,
    );
    const result = await handle.executeUpdate(cancel, { args: [{ actor: PEOPLE.requester, reason: 'Found some in a drawer' }] });
    expect(result).toEqual({
      number,
      status: 'cancelled',
      released: [{ sku: 'PEN', location: 'Main/A/1', quantity: '30' }],
      message: `${number} is cancelled; reserved stock was released.`,
    });
    expect(await handle.result()).toMatchObject({ status: 'cancelled', lines: [{ issued: '0', cancelled: '30' }] });
    expect(await ledgerFacts(database.db, number)).toEqual({ issues: 0, issued: '0', open: '0' });
    expect(callsFor('closePickTask', number).map((c) => (c.input as { outcome: string }).outcome)).toEqual(['cancelled']);
    expect(
      await clickAnswer({ db: database.db, client: temporal.client }, number, confirmPick, { actor: PEOPLE.warehouse, lines: [{ lineNo: 1, picked: '30' }] }),
    ).toEqual({ ok: false, message: `${number} is cancelled; there is nothing left to do.` });
    const view = await handle.query(getStatus);
    expect(view.cancelled).toMatchObject({ by: PEOPLE.requester, reason: 'Found some in a drawer' });
    recorded.set('cancelled-at-pick', number);
  });

  test('cancelled while the pick task is being posted: the task is closed and the requester is not told it is being picked', async () => {
    const taskQueue = 'requisition-cancel-while-posting';
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    let postingStarted!: () => void;
    const posting = new Promise<void>((resolve) => (postingStarted = resolve));
    const real = createActivities({ db: database.db, settings: TEST_SETTINGS });
    const gated = recordingActivities({
      ...real,
      async postPickTask(input) {
        postingStarted();
        await gate;
        return real.postPickTask(input);
      },
    });
    const { number } = await createRequisition(database.db, {
      submissionKey: submissionKey(),
      requester: PEOPLE.requester,
      costCenter: 'OPS',
      reason: 'Cancel race',
      lines: [{ sku: 'PEN', quantity: '5' }],
      today: today(),
    });
    const gatedWorker = await temporal.createWorker(gated.activities, { taskQueue });
    await gatedWorker.runUntil(async () => {
      const handle = await temporal.client.workflow.start(requisitionWorkflow, { taskQueue, workflowId: requisitionWorkflowId(number), args: [{ number }] });
      await posting;
      const update = await handle.startUpdate(cancel, { args: [{ actor: PEOPLE.requester }], waitForStage: WorkflowUpdateStage.ACCEPTED });
      openGate();
      expect(await update.result()).toMatchObject({ status: 'cancelled', released: [{ sku: 'PEN', quantity: '5' }] });
      expect((await handle.result()).status).toBe('cancelled');
    });
    const told = gated.calls.filter((c) => c.name === 'notifyRequester').map((c) => (c.input as { event: { kind: string } }).event.kind);
    expect(told).toEqual(['submitted', 'auto_approved', 'cancelled']);
    expect(gated.calls.filter((c) => c.name === 'closePickTask').map((c) => (c.input as { outcome: string }).outcome)).toEqual(['cancelled']);
    recorded.set('cancelled-while-posting', number);
  });

  test('cancelled while awaiting approval: approvers messages are updated, nothing reserved', async () => {
    const { number, handle } = await submit([{ sku: 'PAPER', quantity: '12' }]);
    await until(handle, (v) => v.status === 'awaiting_approval', 'awaiting approval');
    const result = await handle.executeUpdate(cancel, { args: [{ actor: PEOPLE.requester }] });
    expect(result).toMatchObject({ status: 'cancelled', released: [] });
    expect((await handle.result()).status).toBe('cancelled');
    expect(callsFor('refreshApprovalMessages', number)).toHaveLength(1);
    expect(callsFor('reserveRequisitionLine', number)).toHaveLength(0);
    expect(await clickAnswer({ db: database.db, client: temporal.client }, number, approve, { actor: PEOPLE.manager })).toMatchObject({
      ok: false,
      message: `${number} is cancelled; there is nothing left to do.`,
    });
  });
});

describe('stock', () => {
  test('backorder: with no stock the requisition waits for stockAvailable, then reserves, picks and issues', async () => {
    const { number, handle } = await submit([{ sku: 'GLUE', quantity: '6' }]);
    const waiting = await until(handle, (v) => v.status === 'backordered', 'backordered');
    expect(waiting.awaiting).toEqual({ kind: 'stock', skus: ['GLUE'] });
    expect(waiting.lines[0]).toMatchObject({ backordered: '6', reserved: '0' });
    expect((await getRequisition(database.db, number))!.lines[0]!.backordered).toBe('6');

    // A signal for another SKU changes nothing.
    await handle.signal(stockAvailable, { sku: 'PEN' });
    await receive(database.db, { key: `glue-${number}`, sku: 'GLUE', location: 'Main/B/1', quantity: '4', unitCost: '5', document: { type: 'demo', id: 't' }, actor: 'test' });
    expect(await signalStockAvailable({ db: database.db, client: temporal.client }, 'glue')).toContain(number);

    // Four arrived: they are picked now, two stay backordered.
    const partial = await until(handle, (v) => v.status === 'picking', 'partial pick');
    expect(partial.lines[0]).toMatchObject({ reserved: '4', backordered: '2' });
    const round1 = await handle.executeUpdate(confirmPick, { args: [{ actor: PEOPLE.warehouse, round: 1, lines: pickAll(partial) }] });
    expect(round1).toMatchObject({ status: 'backordered', issued: [{ quantity: '4' }] });

    await receive(database.db, { key: `glue2-${number}`, sku: 'GLUE', location: 'Main/B/1', quantity: '10', unitCost: '5', document: { type: 'demo', id: 't' }, actor: 'test' });
    await handle.signal(stockAvailable, { sku: 'GLUE' });
    const second = await until(handle, (v) => v.status === 'picking' && v.pickRound === 2, 'second pick');
    expect(await refusal(handle.executeUpdate(confirmPick, { args: [{ actor: PEOPLE.warehouse, round: 1, lines: pickAll(second) }] }))).toBe(
      `That pick task was round 1; ${number} is now on round 2.`,
    );
    await handle.executeUpdate(confirmPick, { args: [{ actor: PEOPLE.warehouse, round: 2, lines: pickAll(second) }] });
    expect(await handle.result()).toMatchObject({ status: 'issued', lines: [{ issued: '6', cancelled: '0' }] });
    expect(await ledgerFacts(database.db, number)).toEqual({ issues: 2, issued: '6', open: '0' });
    recorded.set('backordered', number);
  });

  test('short pick: only the warehouse confirms; the rest of one line is cancelled, of the other backordered until a receipt', async () => {
    const { number, handle } = await submit([
      { sku: 'PEN', quantity: '10' },
      { sku: 'PAPER', quantity: '5' },
    ]);
    const picking = await until(handle, (v) => v.status === 'picking', 'picking');
    expect(picking.status).toBe('picking');
    expect(await refusal(handle.executeUpdate(confirmPick, { args: [{ actor: PEOPLE.requester, lines: pickAll(picking) }] }))).toBe(
      'Only warehouse staff can confirm picks.',
    );
    expect(await refusal(handle.executeUpdate(confirmPick, { args: [{ actor: PEOPLE.warehouse, lines: [{ lineNo: 1, picked: '11' }, { lineNo: 2, picked: '5' }] }] }))).toBe(
      'Line 1 (PEN): picked 11 is more than the 10 to pick.',
    );
    expect(await refusal(handle.executeUpdate(confirmPick, { args: [{ actor: PEOPLE.warehouse, lines: [{ lineNo: 1, picked: '10' }] }] }))).toBe(
      'Say what was picked for line 2.',
    );
    const penBefore = await availability(database.db, { sku: 'PEN' });
    const result = await handle.executeUpdate(confirmPick, {
      args: [{ actor: PEOPLE.warehouse, lines: [{ lineNo: 1, picked: '7', remainder: 'cancel' }, { lineNo: 2, picked: '3', remainder: 'backorder' }] }],
    });
    expect(result).toMatchObject({ status: 'backordered', issued: [{ sku: 'PEN', quantity: '7' }, { sku: 'PAPER', quantity: '3' }] });
    const after = await handle.query(getStatus);
    expect(after.lines.map((l) => [l.sku, l.issued, l.cancelled, l.backordered, l.reserved])).toEqual([
      ['PEN', '7', '3', '0', '0'],
      ['PAPER', '3', '0', '2', '0'],
    ]);
    expect(after.awaiting).toEqual({ kind: 'stock', skus: ['PAPER'] });
    const penAfter = await availability(database.db, { sku: 'PEN' });
    expect(penAfter.onHand).toBe(toPlain(dec(penBefore.onHand).minus(7)));
    expect(await ledgerFacts(database.db, number)).toEqual({ issues: 2, issued: '10', open: '0' });

    await handle.signal(stockAvailable, { sku: 'paper' });
    const round2 = await until(handle, (v) => v.status === 'picking' && v.pickRound === 2, 'round 2');
    expect(round2.lines[1]).toMatchObject({ reserved: '2' });
    await handle.executeUpdate(confirmPick, { args: [{ actor: PEOPLE.warehouse, round: 2, lines: pickAll(round2) }] });
    expect(await handle.result()).toMatchObject({
      status: 'issued',
      lines: [
        { sku: 'PEN', issued: '7', cancelled: '3' },
        { sku: 'PAPER', issued: '5', cancelled: '0' },
      ],
    });
    recorded.set('short-pick', number);
  });
});

describe('durability', () => {
  test('worker restarted mid-flow: a new worker finishes it and the stock is issued exactly once', async () => {
    const taskQueue = 'requisition-restart';
    // A lost completion: the first issue attempt moves stock and then "crashes", so Temporal retries it.
    let crashed = false;
    const real = createActivities({ db: database.db, settings: TEST_SETTINGS });
    const flaky: Activities = {
      ...real,
      async issueRequisitionLine(input) {
        const result = await real.issueRequisitionLine(input);
        if (!crashed) {
          crashed = true;
          throw new Error('worker lost the activity result');
        }
        return result;
      },
    };
    const created = await createRequisition(database.db, {
      submissionKey: submissionKey(),
      requester: PEOPLE.requester,
      costCenter: 'OPS',
      reason: 'Restart test',
      lines: [{ sku: 'PAPER', quantity: '40' }],
      today: today(),
    });
    const number = created.number;
    const first = await temporal.createWorker(real, { taskQueue });
    const handle = await first.runUntil(async () => {
      const started = await temporal.client.workflow.start(requisitionWorkflow, {
        taskQueue,
        workflowId: requisitionWorkflowId(number),
        args: [{ number }],
      });
      await until(started, (v) => v.status === 'awaiting_approval', 'awaiting approval');
      await started.executeUpdate(approve, { args: [{ actor: PEOPLE.manager }] });
      await until(started, (v) => v.status === 'picking', 'picking');
      return started;
    });
    expect(first.getState()).toBe('STOPPED');

    // No worker now: the click waits in Temporal until the new worker takes it.
    const second = await temporal.createWorker(flaky, { taskQueue });
    let bins = 0;
    const result = await second.runUntil(async () => {
      const view = await handle.query(getStatus);
      bins = view.lines[0]!.allocations.length;
      await handle.executeUpdate(confirmPick, { args: [{ actor: PEOPLE.warehouse, lines: pickAll(view) }] });
      return handle.result();
    });
    expect(crashed).toBe(true);
    expect(result).toMatchObject({ status: 'issued', lines: [{ issued: '40' }] });
    // One issue move per bin it was reserved in, none repeated by the retried activity.
    expect(bins).toBeGreaterThan(0);
    expect(await ledgerFacts(database.db, number)).toEqual({ issues: bins, issued: '40', open: '0' });
    recorded.set('restarted', number);
  });
});

describe('history', () => {
  test('recorded histories replay without nondeterminism against the current bundle', async () => {
    expect(recorded.size).toBeGreaterThanOrEqual(5);
    const histories = [];
    for (const [scenario, number] of recorded) {
      const history = await temporal.client.workflow.getHandle(requisitionWorkflowId(number)).fetchHistory();
      histories.push({ workflowId: `${scenario}-${number}`, history });
      recordHistoryFixture(`requisition-${scenario}`, history);
    }
    const results = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath: inject('workflowBundle') } }, histories)) {
      results.push({ id: result.workflowId, error: result.error?.message });
    }
    expect(results.filter((r) => r.error)).toEqual([]);
    expect(results).toHaveLength(recorded.size);
  });
});
