import { WorkflowUpdateFailedError } from '@temporalio/client';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { saveCountPlan } from '../../db/queries/counting.js';
import { createItem } from '../../db/queries/items.js';
import { availability, issue, receive } from '../../db/queries/ledger.js';
import { ensureLocation } from '../../db/queries/locations.js';
import { assignRole } from '../../db/queries/people.js';
import type { CountPlan } from '../../inventory/cycle-count.js';
import { decideCount, getCountView, reassignCount, startCount, submitCount, type CountView } from '../../workflows/cycle-count-messages.js';
import { countPlanningWorkflowId, cycleCountWorkflowId, TASK_QUEUE } from '../../workflows/ids.js';
import { countPlanningWorkflow, cycleCountWorkflow } from '../../workflows/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { connectTestTemporal, type RunningWorker, type TestTemporal } from '../helpers/temporal.js';
import { eventually } from '../helpers/eventually.js';

const DMITRI = 'U0WHS00001'; // counter
const ADA = 'U0REQ00001'; // second counter (recounts go to someone else)
const FARAH = 'U0INV00001'; // inventory manager

let database: TestDatabase;
let temporal: TestTemporal;
let worker: RunningWorker | undefined;
const doc = { type: 'demo' as const, id: 'seed' };

beforeAll(async () => {
  database = await createTestDatabase();
  temporal = await connectTestTemporal();
  const db = database.db;
  for (const p of ['Main/Aisle 1/Bin 1', 'Main/Aisle 1/Bin 2', 'Main/Aisle 2/Bin 1']) await ensureLocation(db, { path: p });
  await createItem(db, { sku: 'BOLT', name: 'Hex bolt M8', uom: 'ea', standardCost: '0.5' });
  await createItem(db, { sku: 'GLUE', name: 'Epoxy glue', uom: 'ea', standardCost: '4' });
  await createItem(db, { sku: 'WIRE', name: 'Copper wire', uom: 'm', uomDecimals: 2, standardCost: '2' });
  await createItem(db, { sku: 'DRILL', name: 'Cordless drill', uom: 'ea', standardCost: '120' });
  const stock: [string, string, string, string][] = [
    ['BOLT', 'Main/Aisle 1/Bin 1', '137', '0.5'],
    ['GLUE', 'Main/Aisle 1/Bin 1', '40', '4'],
    ['WIRE', 'Main/Aisle 1/Bin 2', '59.5', '2'],
    ['DRILL', 'Main/Aisle 2/Bin 1', '6', '120'],
  ];
  for (const [sku, location, quantity, unitCost] of stock) {
    await receive(db, { key: `seed-${sku}`, sku, location, quantity, unitCost, document: doc, actor: 'test' });
  }
  for (const id of [DMITRI, ADA]) await assignRole(db, { subject: { kind: 'user', id }, role: 'warehouse', grantedBy: 'test' });
  await assignRole(db, { subject: { kind: 'user', id: FARAH }, role: 'inventory_manager', grantedBy: 'test' });
  worker = await temporal.startWorker(createActivities({ db }));
});
afterAll(async () => {
  await worker?.stop();
  await temporal?.close();
  await database?.drop();
});

let planDay = 0;
/** A count document planned by hand (so the lines are known), and its workflow started. */
async function startCountDocument(lines: { sku: string; location: string; abcClass?: 'A' | 'B' | 'C' }[], counter = DMITRI, dueOn?: string) {
  const date = dueOn ?? `2030-01-${String(++planDay).padStart(2, '0')}`;
  const plan: CountPlan = {
    date,
    workingDay: true,
    due: [],
    unlocated: [],
    counts: [
      {
        sequence: 1,
        group: 'Main/Aisle 1',
        counter,
        lines: lines.map((l) => ({ sku: l.sku, location: l.location, abcClass: l.abcClass ?? 'C', deadline: date })),
      },
    ],
  };
  const saved = await saveCountPlan(database.db, plan);
  const number = saved.documents[0]!.number;
  const handle = await temporal.client.workflow.start(cycleCountWorkflow, {
    taskQueue: TASK_QUEUE,
    workflowId: cycleCountWorkflowId(number),
    args: [{ number }],
  });
  await waitForView(number, (v) => v.status === 'assigned');
  return { number, handle };
}

async function lineIds(number: string): Promise<Record<string, string>> {
  const rows = (await database.db.execute(sql`
    select i.sku, cl.id::text as id from cycle_count_lines cl join cycle_counts c on c.id = cl.count_id join items i on i.id = cl.item_id
     where c.number = ${number}`)) as unknown as { sku: string; id: string }[];
  return Object.fromEntries(rows.map((r) => [r.sku, r.id]));
}

async function waitForView(number: string, done: (v: CountView) => boolean): Promise<CountView> {
  const handle = temporal.client.workflow.getHandle<typeof cycleCountWorkflow>(cycleCountWorkflowId(number));
  return eventually(() => handle.query(getCountView), done, `count ${number}`);
}

const onHand = async (sku: string, location: string) =>
  (await availability(database.db, { sku })).locations.find((l) => l.location === location)?.onHand ?? '0';

describe('a count document from snapshot to adjustment', () => {
  test('moves posted during the count are not variances; within tolerance posts by itself', async () => {
    const { number, handle } = await startCountDocument([
      { sku: 'BOLT', location: 'Main/Aisle 1/Bin 1' },
      { sku: 'GLUE', location: 'Main/Aisle 1/Bin 1' },
    ]);
    const ids = await lineIds(number);
    await handle.executeUpdate(startCount, { args: [{ by: DMITRI }] });
    // While Dmitri counts, 7 bolts are issued from the bin: the shelf and the book both lose 7.
    await issue(database.db, { key: 'during-count', sku: 'BOLT', location: 'Main/Aisle 1/Bin 1', quantity: '7', document: doc, actor: 'test', unreserved: true });
    // GLUE: 2 missing, class C tolerance (5 units, 100.00) → posted without asking anyone.
    await handle.executeUpdate(submitCount, { args: [{ by: DMITRI, quantities: { [ids.BOLT!]: '130', [ids.GLUE!]: '38' } }] });
    const view = await handle.result();
    expect(view.status).toBe('posted');
    const bolt = view.results!.find((r) => r.sku === 'BOLT')!;
    expect(bolt).toMatchObject({ counted: '130', expected: '130', variance: '0', outcome: 'matched' });
    const glue = view.results!.find((r) => r.sku === 'GLUE')!;
    expect(glue).toMatchObject({ counted: '38', expected: '40', variance: '-2', withinTolerance: true, outcome: 'adjusted', valueImpact: '-8' });
    expect(await onHand('GLUE', 'Main/Aisle 1/Bin 1')).toBe('38');
    expect(await onHand('BOLT', 'Main/Aisle 1/Bin 1')).toBe('130');

    const [line] = (await database.db.execute(sql`
      select ledger_num(snapshot_on_hand) as snapshot, ledger_num(moves_during_count) as moves, snapshot_move_id
        from cycle_count_lines where id = ${ids.BOLT}`)) as unknown as { snapshot: string; moves: string; snapshot_move_id: number }[];
    expect(line).toMatchObject({ snapshot: '137', moves: '-7' });
    expect(Number(line!.snapshot_move_id)).toBeGreaterThan(0);
    const [move] = (await database.db.execute(sql`
      select ledger_num(quantity) as quantity, document_type, document_id from stock_moves where id = (
        select adjustment_move_id from cycle_count_lines where id = ${ids.GLUE})`)) as unknown as Record<string, string>[];
    expect(move).toEqual({ quantity: '-2', document_type: 'cycle_count', document_id: number });
  });

  test('bad counts are refused by the validator and nothing is recorded', async () => {
    const { number, handle } = await startCountDocument([{ sku: 'WIRE', location: 'Main/Aisle 1/Bin 2' }]);
    const ids = await lineIds(number);
    await handle.executeUpdate(startCount, { args: [{ by: DMITRI }] });
    for (const [typed, message] of [
      ['-1', /cannot be negative/],
      ['lots', /not a number/],
      ['59.505', /at most 2 decimals/],
    ] as const) {
      const refused = handle.executeUpdate(submitCount, { args: [{ by: DMITRI, quantities: { [ids.WIRE!]: typed } }] });
      await expect(refused).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
      await expect(refused).rejects.toMatchObject({ cause: { message: expect.stringMatching(message) } });
    }
    // Someone else's count is refused too.
    await expect(handle.executeUpdate(submitCount, { args: [{ by: ADA, quantities: { [ids.WIRE!]: '59.5' } }] })).rejects.toBeInstanceOf(
      WorkflowUpdateFailedError,
    );
    const [row] = (await database.db.execute(
      sql`select counted_quantity, outcome from cycle_count_lines where id = ${ids.WIRE}`,
    )) as unknown as { counted_quantity: string | null; outcome: string }[];
    expect(row).toEqual({ counted_quantity: null, outcome: 'pending' });
    expect((await handle.query(getCountView)).status).toBe('counting');
    // A valid count still goes through afterwards.
    await handle.executeUpdate(submitCount, { args: [{ by: DMITRI, quantities: { [ids.WIRE!]: '59.50' } }] });
    expect((await handle.result()).results![0]).toMatchObject({ counted: '59.5', variance: '0', outcome: 'matched' });
  });

  test('above tolerance: recount by another counter, then the manager approves and the ledger is adjusted', async () => {
    const { number, handle } = await startCountDocument([{ sku: 'DRILL', location: 'Main/Aisle 2/Bin 1', abcClass: 'A' }]);
    const ids = await lineIds(number);
    await handle.executeUpdate(startCount, { args: [{ by: DMITRI }] });
    await handle.executeUpdate(submitCount, { args: [{ by: DMITRI, quantities: { [ids.DRILL!]: '4' } }] });
    const first = await handle.result();
    expect(first.status).toBe('recount_requested');
    expect(first.results![0]).toMatchObject({ variance: '-2', withinTolerance: false, outcome: 'recount' });
    expect(await onHand('DRILL', 'Main/Aisle 2/Bin 1')).toBe('6'); // nothing posted yet

    const recountNumber = first.recountNumber!;
    expect(recountNumber).toBe(`${number}-R`);
    const recount = await waitForView(recountNumber, (v) => v.status === 'assigned');
    expect(recount.counter).toBe(ADA);
    expect(recount.recountOf).toBe(number);
    const recountHandle = temporal.client.workflow.getHandle<typeof cycleCountWorkflow>(cycleCountWorkflowId(recountNumber));
    const recountIds = await lineIds(recountNumber);
    await recountHandle.executeUpdate(startCount, { args: [{ by: ADA }] });
    await recountHandle.executeUpdate(submitCount, { args: [{ by: ADA, quantities: { [recountIds.DRILL!]: '4' } }] });
    const waiting = await waitForView(recountNumber, (v) => v.status === 'awaiting_approval');
    expect(waiting.results![0]).toMatchObject({ outcome: 'awaiting_approval', valueImpact: '-240' });

    // Only an inventory manager who did not count may decide.
    await expect(recountHandle.executeUpdate(decideCount, { args: [{ by: ADA, decision: 'approve' }] })).rejects.toBeInstanceOf(
      WorkflowUpdateFailedError,
    );
    await expect(recountHandle.executeUpdate(decideCount, { args: [{ by: DMITRI, decision: 'approve' }] })).rejects.toBeInstanceOf(
      WorkflowUpdateFailedError,
    );
    await recountHandle.executeUpdate(decideCount, { args: [{ by: FARAH, decision: 'approve' }] });
    const done = await recountHandle.result();
    expect(done).toMatchObject({ status: 'approved', approver: FARAH });
    expect(done.results![0]).toMatchObject({ outcome: 'adjusted', variance: '-2' });
    expect(await onHand('DRILL', 'Main/Aisle 2/Bin 1')).toBe('4');
    const [header] = (await database.db.execute(
      sql`select status, approver, decided_at is not null as decided from cycle_counts where number = ${recountNumber}`,
    )) as unknown as Record<string, unknown>[];
    expect(header).toEqual({ status: 'approved', approver: FARAH, decided: true });
  });

  test('a rejected adjustment leaves the book as it was', async () => {
    const { number, handle } = await startCountDocument([{ sku: 'BOLT', location: 'Main/Aisle 1/Bin 1', abcClass: 'A' }]);
    const ids = await lineIds(number);
    const before = await onHand('BOLT', 'Main/Aisle 1/Bin 1');
    await handle.executeUpdate(startCount, { args: [{ by: DMITRI }] });
    await handle.executeUpdate(submitCount, { args: [{ by: DMITRI, quantities: { [ids.BOLT!]: '500' } }] });
    const recountNumber = (await handle.result()).recountNumber!;
    const recountHandle = temporal.client.workflow.getHandle<typeof cycleCountWorkflow>(cycleCountWorkflowId(recountNumber));
    await waitForView(recountNumber, (v) => v.status === 'assigned');
    const recountIds = await lineIds(recountNumber);
    await recountHandle.executeUpdate(submitCount, { args: [{ by: ADA, quantities: { [recountIds.BOLT!]: '500' } }] });
    await waitForView(recountNumber, (v) => v.status === 'awaiting_approval');
    await recountHandle.executeUpdate(decideCount, { args: [{ by: FARAH, decision: 'reject', note: 'miscount, bins mixed up' }] });
    const done = await recountHandle.result();
    expect(done.status).toBe('rejected');
    expect(done.results![0]).toMatchObject({ outcome: 'rejected' });
    expect(await onHand('BOLT', 'Main/Aisle 1/Bin 1')).toBe(before);
    const [line] = (await database.db.execute(
      sql`select outcome, adjustment_move_id from cycle_count_lines where id = ${recountIds.BOLT}`,
    )) as unknown as Record<string, unknown>[];
    expect(line).toEqual({ outcome: 'rejected', adjustment_move_id: null });
  });

  test('reassignment hands the count over; overdue counts get a reminder', async () => {
    // Due long ago: the workflow is overdue from its first moment and reminds once, not once per missed day.
    const { number, handle } = await startCountDocument([{ sku: 'GLUE', location: 'Main/Aisle 1/Bin 1' }], DMITRI, '2020-01-06');
    const reminded = await waitForView(number, (v) => v.remindersSent > 0);
    expect(reminded.remindersSent).toBe(5);
    await expect(handle.executeUpdate(reassignCount, { args: [{ by: ADA, counter: ADA }] })).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    const passed = await handle.executeUpdate(reassignCount, { args: [{ by: FARAH, counter: ADA }] });
    expect(passed.counter).toBe(ADA);
    await expect(handle.executeUpdate(startCount, { args: [{ by: DMITRI }] })).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    const ids = await lineIds(number);
    await handle.executeUpdate(submitCount, { args: [{ by: ADA, quantities: { [ids.GLUE!]: await onHand('GLUE', 'Main/Aisle 1/Bin 1') } }] });
    expect((await handle.result()).status).toBe('posted');
    const [row] = (await database.db.execute(sql`select counter, submitted_by from cycle_counts where number = ${number}`)) as unknown as Record<
      string,
      string
    >[];
    expect(row).toEqual({ counter: ADA, submitted_by: ADA });
  });
});

test('daily planning stores the plan once and starts one workflow per document', async () => {
  // Make every item long overdue (activeSince two years ago, never counted): all are due by deadline.
  await database.db.execute(sql`update items set created_at = now() - interval '2 years'`);
  await database.db.execute(sql`update cycle_counts set status = 'cancelled' where status not in ('posted', 'approved', 'rejected', 'recount_requested')`);
  const date = '2031-03-04'; // a Tuesday
  const run = (id: string) =>
    temporal.client.workflow.execute(countPlanningWorkflow, { taskQueue: TASK_QUEUE, workflowId: countPlanningWorkflowId(id), args: [{ date }] });
  const first = await run('first');
  expect(first.itemsDue).toBe(4);
  // Aisle 1 and Aisle 2 are separate walks, shared between the two counters.
  expect(first.documents.map((d) => d.number)).toEqual(['CC-20310304-001', 'CC-20310304-002']);
  expect(new Set(first.documents.map((d) => d.counter))).toEqual(new Set([ADA, DMITRI]));
  const again = await run('again');
  expect(again.documents).toEqual(first.documents);
  for (const d of first.documents) {
    const view = await waitForView(d.number, (v) => v.status === 'assigned');
    expect(view.counter).toBe(d.counter);
  }
  const [{ n }] = (await database.db.execute(sql`select count(*)::int as n from count_plans where plan_date = ${date}`)) as unknown as [{ n: number }];
  expect(n).toBe(1);
});
