import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { ensureNamespace } from '../../runtime/temporal-namespace.js';
import { TASK_QUEUE, systemCheckWorkflowId } from '../../workflows/ids.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { eventually } from '../helpers/eventually.js';
import { bundleCache, startReplica, type Replica } from '../helpers/replicas.js';

/**
 * A worker process killed with SIGKILL in the middle of an activity: the attempt it held is retried by
 * the other worker once its heartbeats stop (workflows/activity-options.ts LIVENESS), not when the
 * start-to-close timeout runs out. The activity is held mid-flight by a table lock the test owns.
 */

let database: TestDatabase;
let connection: Connection;
let client: Client;
let dataDir: string;
const workers: Replica[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stockroom-recovery-'));
  bundleCache(dataDir, inject('workflowBundle'));
  const namespace = `recovery-${crypto.randomBytes(4).toString('hex')}`;
  connection = await Connection.connect({ address: inject('temporalAddress') });
  await ensureNamespace(connection, namespace);
  client = new Client({ connection, namespace });
  const env = { DATABASE_URL: database.url, TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_NAMESPACE: namespace, STOCKROOM_DATA_DIR: dataDir };
  workers.push(...(await Promise.all([startReplica('worker', 'worker-1', env), startReplica('worker', 'worker-2', env)])));
  await Promise.all(workers.map((w) => w.healthy(150_000)));
}, 240_000);

afterAll(async () => {
  await Promise.all(workers.map((w) => w.kill('SIGTERM')));
  await connection?.close();
  await database?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('the activity of a worker killed mid-attempt is retried by another worker within seconds, after a heartbeat timeout', async () => {
  const lock = await database.sql.reserve();
  await lock`begin`;
  await lock`lock table system_checks in access exclusive mode`; // the activity's insert waits here
  const key = crypto.randomBytes(4).toString('hex');
  const handle = await client.workflow.start('systemCheckWorkflow', { taskQueue: TASK_QUEUE, workflowId: systemCheckWorkflowId(key), args: [{ key, note: 'recovery' }] });

  const running = await eventually(
    async () => (await handle.describe()).raw.pendingActivities?.[0],
    (a) => a?.state === temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED,
    'the activity to start',
  );
  const holder = workers.find((w) => running!.lastWorkerIdentity?.startsWith(`${w.pid}@`));
  expect(holder, `no worker holds the activity (${running!.lastWorkerIdentity})`).toBeDefined();
  const killedAt = Date.now();
  await holder!.kill('SIGKILL');
  await lock`rollback`; // the killed attempt's insert died with its connection; the retry finds the table free
  lock.release();

  const result = await handle.result();
  const recoveredMs = Date.now() - killedAt;
  expect(result.id).toBeTruthy();

  // The second attempt started because the first went quiet (heartbeat timeout), on the surviving worker.
  const history = await handle.fetchHistory();
  const started = (history.events ?? []).filter((e) => e.activityTaskStartedEventAttributes);
  const last = started.at(-1)!.activityTaskStartedEventAttributes!;
  expect(last.attempt).toBe(2);
  expect(last.lastFailure?.timeoutFailureInfo?.timeoutType).toBe(temporal.api.enums.v1.TimeoutType.TIMEOUT_TYPE_HEARTBEAT);
  const survivor = workers.find((w) => w !== holder)!;
  expect(last.identity).toMatch(new RegExp(`^${survivor.pid}@`));
  const retriedMs = Number(started.at(-1)!.eventTime!.seconds) * 1000 + Math.floor((started.at(-1)!.eventTime!.nanos ?? 0) / 1e6) - killedAt;
  console.log(`worker killed mid-activity: retry started ${(retriedMs / 1000).toFixed(1)} s later, workflow done ${(recoveredMs / 1000).toFixed(1)} s later (start-to-close is 30 s)`);
  workers.splice(workers.indexOf(holder!), 1);
});
