import { WorkflowNotFoundError } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { saveCountPlan } from '../../db/queries/counting.js';
import { createItem } from '../../db/queries/items.js';
import { receive } from '../../db/queries/ledger.js';
import { ensureLocation } from '../../db/queries/locations.js';
import { ensureVendor, upsertReorderPolicy } from '../../db/queries/purchasing.js';
import { createLogger } from '../../runtime/logger.js';
import { installTemporalLogging } from '../../runtime/temporal-logging.js';
import { restockWorkflowId } from '../../workflows/ids.js';
import { getRestockStatus, type RestockView } from '../../workflows/restock-messages.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { connectTestTemporal, type RunningWorker, type TestTemporal } from '../helpers/temporal.js';
import { eventually } from '../helpers/eventually.js';

const BIN = 'Main/Aisle 1/Bin 1';
const COUNTER = 'U0WHS00001';

let database: TestDatabase;
let temporal: TestTemporal;
let worker: RunningWorker | undefined;

beforeAll(async () => {
  installTemporalLogging(createLogger(process.env.LOG_LEVEL ?? 'silent'));
  database = await createTestDatabase();
  temporal = await connectTestTemporal();
  const db = database.db;
  await ensureLocation(db, { path: BIN });
  await ensureVendor(db, { code: 'ACME', name: 'Acme Supply' });
  for (const sku of ['BOLT', 'GLUE']) {
    await createItem(db, { sku, name: sku === 'BOLT' ? 'Hex bolt M8' : 'Epoxy glue', uom: 'ea', standardCost: '1' });
    await receive(db, { key: `seed-${sku}`, sku, location: BIN, quantity: '50', unitCost: '1', document: { type: 'demo', id: 'seed' }, actor: 'test' });
  }
  await upsertReorderPolicy(db, { sku: 'BOLT', vendor: 'ACME', reorderPointMode: 'manual', reorderPoint: '40', max: '100' });
  await upsertReorderPolicy(db, { sku: 'GLUE', vendor: 'ACME', reorderPointMode: 'manual', reorderPoint: '10', max: '100' });
  worker = await temporal.startWorker(createActivities({ db }));
});

afterAll(async () => {
  await worker?.stop();
  await temporal?.close();
  await database?.drop();
});

async function executions(sku: string): Promise<string[]> {
  const runs: string[] = [];
  for await (const w of temporal.client.workflow.list({ query: `WorkflowId = '${restockWorkflowId(sku)}'` })) runs.push(w.runId);
  return runs;
}

test('a count adjustment that takes available stock below the reorder point starts exactly one restock workflow; one above it starts none', async () => {
  const db = database.db;
  const plan = await saveCountPlan(db, {
    date: '2030-02-01',
    workingDay: true,
    due: [],
    unlocated: [],
    counts: [
      {
        sequence: 1,
        group: 'Main/Aisle 1',
        counter: COUNTER,
        lines: ['BOLT', 'GLUE'].map((sku) => ({ sku, location: BIN, abcClass: 'C' as const, deadline: '2030-02-01' })),
      },
    ],
  });
  const number = plan.documents[0]!.number;
  const lines = Object.fromEntries(
    ((await db.execute(sql`select i.sku, cl.id::text as id from cycle_count_lines cl join cycle_counts c on c.id = cl.count_id
                             join items i on i.id = cl.item_id where c.number = ${number}`)) as unknown as { sku: string; id: string }[]).map((r) => [
      r.sku,
      r.id,
    ]),
  );

  // The counting activities as the worker has them (wrapped with the restock trigger), with the worker's client.
  const activities = createActivities({ db });
  const env = new MockActivityEnvironment(undefined, { client: temporal.client });
  await env.run(activities.startCountSnapshot, { number });
  // BOLT: 50 on the book, 35 counted → 35 available, below the reorder point of 40. GLUE: 50 → 45, far above 10.
  await env.run(activities.recordCountSubmission, { number, by: COUNTER, quantities: { [lines.BOLT!]: '35', [lines.GLUE!]: '45' } });

  // Before the adjustment nothing is due: no restock workflow exists.
  await expect(temporal.client.workflow.getHandle(restockWorkflowId('BOLT')).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);

  const bolt = await env.run(activities.postCountAdjustment, { number, lineId: lines.BOLT!, actor: COUNTER });
  expect(bolt).toMatchObject({ ok: true, sku: 'BOLT', value: '-15' });
  // A retry of the same adjustment (the ledger returns its first answer) signals the running workflow, it starts no second one.
  expect(await env.run(activities.postCountAdjustment, { number, lineId: lines.BOLT!, actor: COUNTER })).toEqual(bolt);
  const glue = await env.run(activities.postCountAdjustment, { number, lineId: lines.GLUE!, actor: COUNTER });
  expect(glue).toMatchObject({ ok: true, sku: 'GLUE' });

  const handle = temporal.client.workflow.getHandle(restockWorkflowId('BOLT'));
  const view = await eventually(() => handle.query(getRestockStatus), (v: RestockView) => v.figures?.available === '35', 'the restock workflow to see 35 BOLT');
  expect(view.figures).toMatchObject({ sku: 'BOLT', status: 'low', onHand: '35', available: '35', reorderPoint: '40' });
  expect((await handle.describe()).status.name).toBe('RUNNING');
  const runs = await eventually(() => executions('BOLT'), (r) => r.length > 0, 'the BOLT execution to be listed');
  expect(runs).toHaveLength(1);

  await expect(temporal.client.workflow.getHandle(restockWorkflowId('GLUE')).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
});
