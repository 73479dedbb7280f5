/**
 * `npm run bench:requisitions`: N requisitions driven end to end through the local Slack against the
 * running app (startStockroom on an embedded Postgres and a Temporal dev server in a temporary folder):
 * first the auto-approved path (/request → modal → submit → pick task → Confirm pick → pick modal → issued),
 * then the approve-click path (the same plus the approver's Approve click in the DM). `BENCH_CONCURRENCY`
 * people act at once, each with their own requester and picker.
 *
 * Reports per path: completed/s, p50/p99 submit→issued, p50/p99/max ack latency of every request the local
 * Slack sent during the path, and the activities one requisition ran. Right after each path, on the same
 * server, its ceiling: N bare workflows each running that many no-op activities in a row, at the same
 * concurrency. Ratio = ours / ceiling (completed/s). The last line is one JSON object holding every figure.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn, type ChildProcess } from 'node:child_process';
import { Client, Connection } from '@temporalio/client';
import { Worker, bundleWorkflowCode } from '@temporalio/worker';
import { eq } from 'drizzle-orm';
import { PICK_MODAL, REQUEST_MODAL, REQUISITION_ACTIONS } from '../bot/ids.js';
import { submissionKeyFor } from '../bot/listeners/views/request-submission.js';
import type { Database } from '../db/client.js';
import { upsertCostCenter } from '../db/queries/cost-centers.js';
import { createItem } from '../db/queries/items.js';
import { receive } from '../db/queries/ledger.js';
import { ensureLocation } from '../db/queries/locations.js';
import { assignRole } from '../db/queries/people.js';
import { requisitions } from '../db/schema/index.js';
import { loadConfig } from '../runtime/config.js';
import { connectDatabase } from '../db/client.js';
import { runMigrations } from '../db/migrate.js';
import { freePort, startEmbeddedPostgres } from '../runtime/embedded-postgres.js';
import { ensureNamespace } from '../runtime/temporal-namespace.js';
import { startTemporalDevServer } from '../runtime/temporal-dev-server.js';
import { workflowBundlePath } from '../runtime/worker.js';
import { replicaEnv, startReplica, type Replica } from '../test/helpers/replicas.js';
import { createLogger } from '../runtime/logger.js';
import { startStockroom, type Stockroom } from '../runtime/start.js';
import { LocalSlack, type Message } from '../sandbox/index.js';
import { requisitionWorkflowId } from '../workflows/ids.js';
import { removeDataDir } from '../runtime/postgres-home.js';

const N = Number(process.env.BENCH_N ?? 40);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const STEP_TIMEOUT_MS = 120_000;
const CEILING_QUEUE = 'bench-ceiling';

const APPROVER = 'U0BENCHAPR';
const requester = (w: number) => `U0BENCHR${String(w).padStart(2, '0')}`;
const picker = (w: number) => `U0BENCHP${String(w).padStart(2, '0')}`;

const percentile = (values: number[], p: number): number => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const round = (n: number, digits = 1) => Number(n.toFixed(digits));

function blockText(message: Pick<Message, 'blocks'> | undefined): string {
  return JSON.stringify(message?.blocks ?? []);
}

/** Runs `count` jobs, `concurrency` at a time; worker w always acts as the same people. */
async function pool<T>(count: number, concurrency: number, job: (i: number, worker: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async (_, worker) => {
      for (let i = next++; i < count; i = next++) results[i] = await job(i, worker);
    }),
  );
  return results;
}

async function seed(db: Database): Promise<void> {
  await ensureLocation(db, { path: 'Main/A/1' });
  await createItem(db, { sku: 'PEN', name: 'Ballpoint pen', uom: 'ea', standardCost: '2' });
  await createItem(db, { sku: 'PAPER', name: 'Copy paper, ream', uom: 'ea', standardCost: '10' });
  for (const sku of ['PEN', 'PAPER']) {
    await receive(db, { key: `bench-${sku}`, sku, location: 'Main/A/1', quantity: '1000000', unitCost: sku === 'PEN' ? '2' : '10', document: { type: 'demo', id: 'bench' }, actor: 'bench' });
  }
  await upsertCostCenter(db, { code: 'OPS', name: 'Operations', approverSlackUserId: APPROVER });
  await assignRole(db, { subject: { kind: 'user', id: APPROVER }, role: 'approver', approvalLimit: '1000000', grantedBy: 'bench' });
  for (let w = 0; w < CONCURRENCY; w++) await assignRole(db, { subject: { kind: 'user', id: picker(w) }, role: 'warehouse', grantedBy: 'bench' });
}

interface PathFigures {
  completed: number;
  seconds: number;
  completed_per_s: number;
  submit_to_issued_p50_ms: number;
  submit_to_issued_p99_ms: number;
  ack_p50_ms: number;
  ack_p99_ms: number;
  ack_max_ms: number;
  acks: number;
  /** p99 ack per kind of request (slash_command, block_actions, view_submission, block_suggestion…). */
  ack_p99_ms_by_kind: Record<string, number>;
  activities_per_requisition: number;
}

/** What a path and its ceiling need: the database and a Temporal client (in-process app or separate processes). */
interface Target {
  db: Database;
  client: Client;
}

async function activitiesOf(target: Target, number: string): Promise<number> {
  const history = await target.client.workflow.getHandle(requisitionWorkflowId(number)).fetchHistory();
  return (history.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes).length;
}

async function runPath(slack: LocalSlack, target: Target, line: { sku: string; quantity: string }, approve: boolean): Promise<PathFigures> {
  const db = target.db;
  const wait = <T>(predicate: () => T | undefined | false, description: string) => slack.waitFor(predicate, { timeout: STEP_TIMEOUT_MS, description });
  const firstDelivery = slack.deliveries.length;
  const numbers: string[] = [];
  const started = performance.now();
  const latencies = await pool(N, CONCURRENCY, async (i, w) => {
    const who = requester(w);
    await slack.command(who, '/request');
    const view = await wait(() => {
      const v = slack.openView(who);
      return v?.callback_id === REQUEST_MODAL.callbackId && v;
    }, 'the request modal');
    const t0 = performance.now();
    const submitted = await slack.submit(who, view.id, {
      [REQUEST_MODAL.itemBlock(0)]: { [REQUEST_MODAL.itemAction]: line.sku },
      [REQUEST_MODAL.quantityBlock(0)]: { [REQUEST_MODAL.quantityAction]: line.quantity },
      [REQUEST_MODAL.reasonBlock]: { [REQUEST_MODAL.reasonAction]: `Bench ${i}` },
      [REQUEST_MODAL.costCenterBlock]: { [REQUEST_MODAL.costCenterAction]: 'OPS' },
    });
    if (!submitted.ok) throw new Error(`submission refused: ${JSON.stringify(submitted.errors ?? submitted.messages)}`);
    const [row] = await db.select({ number: requisitions.number }).from(requisitions).where(eq(requisitions.submissionKey, submissionKeyFor(view.id)));
    const number = row!.number;
    numbers.push(number);
    if (approve) {
      const dm = await wait(
        () => slack.dm(APPROVER).find((m) => m.text.includes(`Approve ${number} `) && blockText(m).includes(REQUISITION_ACTIONS.approve)),
        `the approval DM for ${number}`,
      );
      await slack.click(APPROVER, { channel: APPROVER, ts: dm.ts }, REQUISITION_ACTIONS.approve);
    }
    const task = await wait(
      () => slack.messages('#warehouse').find((m) => m.text.startsWith(`Pick ${number} `) && blockText(m).includes(REQUISITION_ACTIONS.confirmPick)),
      `the pick task for ${number}`,
    );
    await slack.click(picker(w), { channel: '#warehouse', ts: task.ts }, REQUISITION_ACTIONS.confirmPick);
    const pickView = await wait(() => {
      const v = slack.openView(picker(w));
      return v?.callback_id === PICK_MODAL.callbackId && v;
    }, `the pick modal for ${number}`);
    const confirmed = await slack.submit(picker(w), pickView.id);
    if (!confirmed.ok) throw new Error(`pick refused for ${number}: ${JSON.stringify(confirmed)}`);
    await wait(() => {
      const card = slack.dm(who).find((m) => m.text.startsWith(`${number}:`));
      return card && slack.thread(who, card.ts).some((r) => r.text.includes(`${number} is ready for collection`));
    }, `${number} issued`);
    return performance.now() - t0;
  });
  const seconds = (performance.now() - started) / 1000;
  const deliveries = slack.deliveries.slice(firstDelivery);
  const acks = deliveries.map((d) => d.ms);
  const kinds = [...new Set(deliveries.map((d) => d.kind))].sort();
  const byKind = Object.fromEntries(kinds.map((k) => [k, round(percentile(deliveries.filter((d) => d.kind === k).map((d) => d.ms), 99))]));
  return {
    completed: latencies.length,
    seconds: round(seconds, 2),
    completed_per_s: round(latencies.length / seconds, 2),
    submit_to_issued_p50_ms: Math.round(percentile(latencies, 50)),
    submit_to_issued_p99_ms: Math.round(percentile(latencies, 99)),
    ack_p50_ms: round(percentile(acks, 50)),
    ack_p99_ms: round(percentile(acks, 99)),
    ack_max_ms: round(Math.max(...acks)),
    acks: acks.length,
    ack_p99_ms_by_kind: byKind,
    activities_per_requisition: await activitiesOf(target, numbers[0]!),
  };
}

interface CeilingFigures {
  completed: number;
  seconds: number;
  completed_per_s: number;
  p50_ms: number;
  p99_ms: number;
  activities_per_workflow: number;
}

async function runCeiling(target: Target, activities: number, tag: string): Promise<CeilingFigures> {
  const client = target.client;
  const started = performance.now();
  const latencies = await pool(N, CONCURRENCY, async (i) => {
    const t0 = performance.now();
    await client.workflow.execute('ceilingWorkflow', { taskQueue: CEILING_QUEUE, workflowId: `bench-ceiling-${tag}-${i}`, args: [activities] });
    return performance.now() - t0;
  });
  const seconds = (performance.now() - started) / 1000;
  return {
    completed: latencies.length,
    seconds: round(seconds, 2),
    completed_per_s: round(latencies.length / seconds, 2),
    p50_ms: Math.round(percentile(latencies, 50)),
    p99_ms: Math.round(percentile(latencies, 99)),
    activities_per_workflow: activities,
  };
}

/** A local Slack with the bench's people: one approver, a requester and a picker per concurrent slot. */
async function benchSlack(): Promise<LocalSlack> {
  const slack = await LocalSlack.start({ people: [] });
  slack.addUser({ id: APPROVER, name: 'approver', realName: 'Bench Approver' });
  for (let w = 0; w < CONCURRENCY; w++) {
    slack.addUser({ id: requester(w), name: `requester${w}`, realName: `Requester ${w}` });
    slack.addUser({ id: picker(w), name: `picker${w}`, realName: `Picker ${w}` });
  }
  return slack;
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stockroom-bench-req-'));
  fs.chmodSync(dir, 0o755); // the postgres system user must reach its data folder when run as root
  const slack = await benchSlack();
  const settingsFile = path.join(dir, 'stockroom.config.json');
  fs.writeFileSync(
    settingsFile,
    JSON.stringify({
      approvals: { autoApproveBelow: '100', levels: [{ name: 'Manager', upTo: '5000' }, { name: 'Director' }] },
      requisitions: { warehouseChannel: '#warehouse' },
    }),
  );
  process.env.STOCKROOM_CONFIG = settingsFile;
  const port = await freePort();
  const config = loadConfig({
    STOCKROOM_DATA_DIR: dir,
    PG_PORT: String(await freePort()),
    TEMPORAL_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    TEMPORAL_CLI_PATH: process.env.TEMPORAL_CLI_PATH,
    PORT: String(port),
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: slack.signingSecret,
    SLACK_API_URL: slack.apiUrl,
    STOCKROOM_SANDBOX: '0',
    LOG_LEVEL: 'warn',
  });
  console.log(`Starting Stockroom (embedded Postgres, Temporal dev server) in ${dir}…`);
  const stockroom = await startStockroom(config, createLogger('warn'));
  let ceilingWorker: Worker | undefined;
  let ceilingRun: Promise<void> | undefined;
  try {
    slack.connectApp(`http://127.0.0.1:${port}/slack/events`);
    await seed(stockroom.database.db);

    // Each path is followed at once by its ceiling, so both see the same load on a shared machine.
    const { code } = await bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('./ceiling-workflow.ts', import.meta.url)),
      logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: (m: string) => console.error(m) },
    });
    ceilingWorker = await Worker.create({
      connection: stockroom.temporal.workerConnection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: CEILING_QUEUE,
      workflowBundle: { code },
      activities: { noop: async () => {} },
    });
    ceilingRun = ceilingWorker.run();

    console.log(`Auto-approved path: ${N} requisitions, ${CONCURRENCY} at a time, then its ceiling…`);
    const target = { db: stockroom.database.db, client: stockroom.temporal.client };
    const auto = await runPath(slack, target, { sku: 'PEN', quantity: '1' }, false);
    const ceilingAuto = await runCeiling(target, auto.activities_per_requisition, 'auto');
    console.log(`Approve-click path: ${N} requisitions, ${CONCURRENCY} at a time, then its ceiling…`);
    const approved = await runPath(slack, target, { sku: 'PAPER', quantity: '12' }, true);
    const ceilingApprove = await runCeiling(target, approved.activities_per_requisition, 'approve');

    const ratioAuto = round(auto.completed_per_s / ceilingAuto.completed_per_s, 3);
    const ratioApprove = round(approved.completed_per_s / ceilingApprove.completed_per_s, 3);
    for (const [name, ours, ceiling, ratio] of [
      ['auto-approved', auto, ceilingAuto, ratioAuto],
      ['approve-click', approved, ceilingApprove, ratioApprove],
    ] as const) {
      console.log(
        `${name}: ${ours.completed_per_s} completed/s; submit→issued p50 ${ours.submit_to_issued_p50_ms} ms, p99 ${ours.submit_to_issued_p99_ms} ms; ` +
          `ack p99 ${ours.ack_p99_ms} ms (max ${ours.ack_max_ms} ms over ${ours.acks} requests); ${ours.activities_per_requisition} activities each. ` +
          `Ceiling ${ceiling.completed_per_s} workflows/s (p50 ${ceiling.p50_ms} ms, p99 ${ceiling.p99_ms} ms). Ours / ceiling: ${ratio}`,
      );
    }
    console.log(
      JSON.stringify({
        bench: 'requisitions',
        n: N,
        concurrency: CONCURRENCY,
        auto_approved: auto,
        approve_click: approved,
        ceiling_auto: ceilingAuto,
        ceiling_approve: ceilingApprove,
        ratio_auto: ratioAuto,
        ratio_approve: ratioApprove,
        ack_p99_ms: Math.max(auto.ack_p99_ms, approved.ack_p99_ms),
        acks_within_3s: auto.ack_max_ms < 3000 && approved.ack_max_ms < 3000,
      }),
    );
  } finally {
    if (ceilingWorker?.getState() === 'RUNNING') ceilingWorker.shutdown();
    await ceilingRun?.catch(() => undefined);
    await stockroom.stop();
    await slack.stop();
    removeDataDir(dir);
  }
}

/** Waits until `count` workers poll the task queue, so a ceiling does not time their start-up. */
async function pollersOn(client: Client, taskQueue: string, count: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const answer = await client.workflowService.describeTaskQueue({ namespace: client.options.namespace, taskQueue: { name: taskQueue }, taskQueueType: 1 /* workflow */ });
    const recent = (answer.pollers ?? []).filter((p) => Date.now() - Number(p.lastAccessTime?.seconds ?? 0) * 1000 < 10_000);
    if (recent.length >= count) return;
    if (Date.now() > deadline) throw new Error(`only ${recent.length} of ${count} ceiling workers poll ${taskQueue}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * BENCH_WORKERS=1,2,4: the auto-approved path against one `stockroom web` process and 1, then 2, then 4
 * `stockroom worker` processes (real processes, one Postgres, one Temporal dev server), each count followed by
 * its ceiling on as many processes running only the bare workflow. Same figures per count, and the ratio.
 */
async function mainWorkers(counts: number[]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stockroom-bench-workers-'));
  fs.chmodSync(dir, 0o755);
  const logger = createLogger('warn');
  const pg = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), logger });
  const temporal = await startTemporalDevServer({ namespace: 'stockroom', port: await freePort(), logFile: path.join(dir, 'temporal.log'), logger });
  const connection = await Connection.connect({ address: temporal.address });
  await ensureNamespace(connection, 'stockroom');
  const client = new Client({ connection, namespace: 'stockroom' });
  await runMigrations(pg.ownerUrl);
  const database = connectDatabase(pg.url);
  const slack = await benchSlack();
  const settingsFile = path.join(dir, 'stockroom.config.json');
  fs.writeFileSync(settingsFile, JSON.stringify({ approvals: { autoApproveBelow: '100', levels: [{ name: 'Manager' }] }, requisitions: { warehouseChannel: '#warehouse' } }));
  const dataDir = path.join(dir, 'replicas');
  await workflowBundlePath(path.join(dataDir, 'cache'));
  const { code } = await bundleWorkflowCode({
    workflowsPath: fileURLToPath(new URL('./ceiling-workflow.ts', import.meta.url)),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: (m: string) => console.error(m) },
  });
  const ceilingBundle = path.join(dir, 'ceiling-bundle.js');
  fs.writeFileSync(ceilingBundle, code);
  const env = replicaEnv({ databaseUrl: pg.url, ownerUrl: pg.ownerUrl, temporalAddress: temporal.address, namespace: 'stockroom', dataDir, settingsFile, slack });
  const processes: ChildProcess[] = [];
  const workers: Replica[] = [];
  try {
    await seed(database.db);
    const web = await startReplica('web', 'web', env);
    processes.push(web.child);
    await web.healthy(180_000);
    slack.connectApp(`http://127.0.0.1:${web.port}/slack/events`);
    const target = { db: database.db, client };
    const results: Record<string, unknown>[] = [];
    for (const count of counts) {
      while (workers.length < count) {
        const worker = await startReplica('worker', `worker-${workers.length + 1}`, env);
        workers.push(worker);
        processes.push(worker.child);
      }
      await Promise.all(workers.map((w) => w.healthy(180_000)));
      console.log(`${count} worker process(es): ${N} auto-approved requisitions, ${CONCURRENCY} at a time, then the ceiling on ${count} process(es)…`);
      const ours = await runPath(slack, target, { sku: 'PEN', quantity: '1' }, false);
      const ceilingWorkers = Array.from({ length: count }, () =>
        spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./ceiling-worker.ts', import.meta.url))], {
          env: { ...process.env, TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: 'stockroom', CEILING_BUNDLE: ceilingBundle, CEILING_QUEUE },
          stdio: ['ignore', 'ignore', 'inherit'],
        }),
      );
      processes.push(...ceilingWorkers);
      await pollersOn(client, CEILING_QUEUE, count);
      const ceiling = await runCeiling(target, ours.activities_per_requisition, `w${count}`);
      for (const child of ceilingWorkers) child.kill('SIGTERM');
      const ratio = round(ours.completed_per_s / ceiling.completed_per_s, 3);
      console.log(
        `${count} worker(s): ${ours.completed_per_s} requisitions/s; submit→issued p50 ${ours.submit_to_issued_p50_ms} ms, p99 ${ours.submit_to_issued_p99_ms} ms; ` +
          `ack p99 ${ours.ack_p99_ms} ms. Ceiling ${ceiling.completed_per_s} workflows/s (${ours.activities_per_requisition} no-op activities). Ours / ceiling: ${ratio}`,
      );
      results.push({ workers: count, ours, ceiling, ratio });
    }
    console.log(JSON.stringify({ bench: 'requisitions-workers', n: N, concurrency: CONCURRENCY, results }));
  } finally {
    for (const child of processes) if (child.exitCode === null) child.kill('SIGKILL');
    await database.close();
    await connection.close();
    await slack.stop();
    await temporal.stop();
    await pg.stop();
    removeDataDir(dir);
  }
}

const workerCounts = process.env.BENCH_WORKERS?.split(',').map(Number).filter((n) => n > 0);
(workerCounts?.length ? mainWorkers(workerCounts) : main()).then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
