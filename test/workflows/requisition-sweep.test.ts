import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { createRequisition, getRequisition } from '../../db/queries/requisitions.js';
import { requisitionHandle } from '../../runtime/requisitions.js';
import { requisitionSweepWorkflowId, TASK_QUEUE } from '../../workflows/ids.js';
import { requisitionSweepWorkflow } from '../../workflows/index.js';
import { getStatus } from '../../workflows/requisition-messages.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { eventually } from '../helpers/eventually.js';
import { PEOPLE, seedRequisitionWorld, submissionKey, TEST_SETTINGS, today, waitForView } from '../helpers/requisitions.js';
import { connectTestTemporal, type RunningWorker, type TestTemporal } from '../helpers/temporal.js';

/**
 * A requisition recorded while Temporal was unreachable has no workflow. The sweep (a Schedule every
 * 5 minutes) starts it once it is old enough, and starting it again changes nothing.
 */
let database: TestDatabase;
let temporal: TestTemporal;
let worker: RunningWorker | undefined;

beforeAll(async () => {
  database = await createTestDatabase();
  temporal = await connectTestTemporal();
  await seedRequisitionWorld(database.db);
  worker = await temporal.startWorker(createActivities({ db: database.db, settings: TEST_SETTINGS }));
});

afterAll(async () => {
  await worker?.stop();
  await temporal?.close();
  await database?.drop();
});

const record = () =>
  createRequisition(database.db, {
    submissionKey: submissionKey(),
    requester: PEOPLE.requester,
    costCenter: 'OPS',
    reason: 'Recorded while Temporal was down',
    lines: [{ sku: 'PEN', quantity: '2' }],
    today: today(),
  });

const sweep = (key: string) =>
  temporal.client.workflow.execute(requisitionSweepWorkflow, {
    taskQueue: TASK_QUEUE,
    workflowId: requisitionSweepWorkflowId(key),
    args: [{ olderThanMinutes: 5 }],
  });

test('a requisition left unrouted is started by the sweep once it is 5 minutes old, exactly once', async () => {
  const stranded = await record();
  const fresh = await record();
  await database.db.execute(sql`update requisitions set created_at = now() - interval '6 minutes' where number = ${stranded.number}`);

  const swept = await sweep(`${stranded.number}-1`);
  expect(swept).toContain(stranded.number);
  expect(swept).not.toContain(fresh.number);

  // Its workflow routes it (auto-approved: 2 pens at 2.00) and the database follows.
  const handle = requisitionHandle(temporal.client, stranded.number);
  await waitForView(() => handle.query(getStatus), (v) => v.status !== 'submitted', 'routed after the sweep');
  const { runId } = await handle.describe();
  await eventually(() => getRequisition(database.db, stranded.number), (r) => r?.status !== 'submitted', 'the routed status stored');

  // Sweeping again starts nothing new: the requisition is routed, and its workflow keeps its run.
  expect(await sweep(`${stranded.number}-2`)).not.toContain(stranded.number);
  expect((await handle.describe()).runId).toBe(runId);
  await expect(requisitionHandle(temporal.client, fresh.number).describe()).rejects.toThrow();
});
