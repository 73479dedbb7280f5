import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { systemChecks } from '../../db/schema/index.js';
import { systemCheckWorkflowId, TASK_QUEUE } from '../../workflows/ids.js';
import { systemCheckWorkflow } from '../../workflows/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { connectTestTemporal, type TestTemporal } from '../helpers/temporal.js';

let database: TestDatabase;
let temporal: TestTemporal;

beforeAll(async () => {
  database = await createTestDatabase();
  temporal = await connectTestTemporal();
});
afterAll(async () => {
  await temporal?.close();
  await database?.drop();
});

test('a workflow and its activity round-trip through the worker and write one row', async () => {
  const worker = await temporal.createWorker(createActivities({ db: database.db }));
  const result = await worker.runUntil(
    temporal.client.workflow.execute(systemCheckWorkflow, {
      taskQueue: TASK_QUEUE,
      workflowId: systemCheckWorkflowId('round-trip'),
      args: [{ key: 'round-trip', note: 'from the test' }],
    }),
  );
  const rows = await database.db.select().from(systemChecks).where(eq(systemChecks.idempotencyKey, 'round-trip'));
  expect(rows).toHaveLength(1);
  expect(rows[0]!.id).toBe(result.id);
  expect(rows[0]!.note).toBe('from the test');
});

test('the activity is idempotent: a retry with the same key writes nothing new', async () => {
  const { recordSystemCheck } = createActivities({ db: database.db });
  const first = await recordSystemCheck({ key: 'twice', note: 'a' });
  const second = await recordSystemCheck({ key: 'twice', note: 'b' });
  expect(second).toEqual(first);
  const rows = await database.db.select().from(systemChecks).where(eq(systemChecks.idempotencyKey, 'twice'));
  expect(rows).toHaveLength(1);
});
