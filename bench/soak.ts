/**
 * `npm run soak`: the chaos soak. Real processes (2 `stockroom web`, 3 `stockroom worker`) against one embedded
 * Postgres and one Temporal dev server started here, driven through the local Slack (a load balancer in front
 * of the web processes), while faults are injected: a random worker SIGKILLed (and replaced), the Temporal
 * server and Postgres stopped and started again on the same files, a web process SIGKILLed under load (and
 * replaced). Documents: requisitions of six kinds (auto-approved, approved, rejected, cancelled, short-picked,
 * backordered then received through a purchase order), purchase orders with receipts, and cycle counts.
 *
 * At the end every document must be final, nothing issued or received twice (ledger moves against what each
 * flow did), every Slack message posted once per idempotency key, and the ledger's invariants hold. Prints
 * documents/s, recovery time per fault (p50/p99), Slack ack p99 during faults, lost and duplicated; the last
 * line is one JSON object. Size: SOAK_DOCUMENTS (default 300), SOAK_CONCURRENCY (8), SOAK_KILLS (10),
 * SOAK_TEMPORAL_RESTARTS (2), SOAK_POSTGRES_RESTARTS (2), SOAK_WEB_DROPS (1). test/soak/soak.test.ts runs a small one.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { sql } from 'drizzle-orm';
import { COUNT_IDS, countLineBlockId, NEW_PO_MODAL, PICK_MODAL, PURCHASING_ACTIONS, RECEIVE_MODAL, REJECT_MODAL, REQUEST_MODAL, REQUISITION_ACTIONS, SHORTCUTS } from '../bot/ids.js';
import { submissionKeyFor } from '../bot/listeners/views/request-submission.js';
import { connectDatabase, type Database, type DatabaseHandle } from '../db/client.js';
import { runMigrations } from '../db/migrate.js';
import { upsertCostCenter } from '../db/queries/cost-centers.js';
import { saveCountPlan } from '../db/queries/counting.js';
import { createItem } from '../db/queries/items.js';
import { receive } from '../db/queries/ledger.js';
import { ensureLocation } from '../db/queries/locations.js';
import { assignRole } from '../db/queries/people.js';
import { ensureVendor } from '../db/queries/purchasing.js';
import { freePort, startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../runtime/embedded-postgres.js';
import { removeDataDir } from '../runtime/postgres-home.js';
import { createLogger } from '../runtime/logger.js';
import { ensureNamespace } from '../runtime/temporal-namespace.js';
import { startTemporalDevServer, type DevServerHandle } from '../runtime/temporal-dev-server.js';
import { workflowBundlePath } from '../runtime/worker.js';
import { LocalSlack, type Message, type View } from '../sandbox/index.js';
import { cycleCountWorkflowId, TASK_QUEUE } from '../workflows/ids.js';
import { invariantViolations } from '../test/ledger/fixtures.js';
import { replicaEnv, startReplica, type Replica } from '../test/helpers/replicas.js';

export interface SoakOptions {
  documents: number;
  concurrency: number;
  workerKills: number;
  temporalRestarts: number;
  postgresRestarts: number;
  webDrops: number;
  log?: (line: string) => void;
}

type Kind = 'auto' | 'approved' | 'rejected' | 'cancelled' | 'short' | 'backorder' | 'po' | 'count';
const FINAL_REQUISITION: Record<string, string> = { auto: 'issued', approved: 'issued', short: 'issued', backorder: 'issued', rejected: 'rejected', cancelled: 'cancelled' };

/** What one flow did, for the end checks. */
interface Done {
  kind: Kind;
  /** Requisition, PO or count numbers this flow created (a backorder flow: its requisition and its PO). */
  documents: string[];
  /** Issued per requisition number (what the picker confirmed), received per PO number. */
  issued?: Record<string, string>;
  received?: Record<string, string>;
  at: number;
}

interface Fault {
  kind: 'worker_kill' | 'temporal_restart' | 'postgres_restart' | 'web_drop';
  at: number;
  /** When a document next reached its final state after the fault (and the part was back). */
  recoveredAt?: number;
}

export interface SoakReport {
  documents: number;
  requisitions: number;
  purchase_orders: number;
  cycle_counts: number;
  by_kind: Record<string, number>;
  seconds: number;
  documents_per_s: number;
  faults: Record<string, number>;
  recovery_ms_p50: number;
  recovery_ms_p99: number;
  recovery_ms_by_fault: Record<string, number[]>;
  /** Kill → the retry of each activity attempt the killed worker held (timed out on its heartbeat). */
  activity_retry_after_kill_ms: { count: number; p50: number; p99: number; max: number };
  ack_p99_ms_during_faults: number;
  ack_p99_ms: number;
  acks_during_faults: number;
  lost: number;
  duplicated: number;
  not_final: string[];
  duplicate_slack_keys: number;
  ledger_violations: string[];
  issue_mismatches: string[];
  receipt_mismatches: string[];
  open_workflows: number;
  passed: boolean;
}

/** What each flow is waiting for, for the progress line. */
const current = new AsyncLocalStorage<{ flow: string; step?: string }>();

const percentile = (values: number[], p: number): number => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const blockText = (m: Pick<Message, 'blocks'> | undefined) => JSON.stringify(m?.blocks ?? []);
const buttonsOf = (m: Message | undefined) => {
  const ids: string[] = [];
  for (const b of (m?.blocks ?? []) as { elements?: { action_id?: string }[]; accessory?: { action_id?: string } }[]) {
    for (const e of b.elements ?? []) if (e.action_id) ids.push(e.action_id);
    if (b.accessory?.action_id) ids.push(b.accessory.action_id);
  }
  return ids;
};

/** Slack's side of a load balancer: each request to the next live web process, the others tried when one refuses. */
async function startBalancer(backends: () => number[]): Promise<{ url: string; close(): Promise<void> }> {
  let next = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const ports = backends();
      const tryFrom = async (attempt: number): Promise<void> => {
        if (attempt >= ports.length * 2) {
          res.writeHead(502).end();
          return;
        }
        const port = ports[next++ % ports.length]!;
        try {
          const answer = await fetch(`http://127.0.0.1:${port}${req.url}`, {
            method: req.method,
            headers: Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'content-length', 'connection'].includes(k)) as [string, string][]),
            body,
            signal: AbortSignal.timeout(10_000),
          });
          const text = Buffer.from(await answer.arrayBuffer());
          res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' }).end(text);
        } catch {
          await tryFrom(attempt + 1);
        }
      };
      void tryFrom(0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/slack/events`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export async function runSoak(opts: SoakOptions): Promise<SoakReport> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const logger = createLogger(process.env.SOAK_LOG_LEVEL ?? 'warn');
  const root = fileURLToPath(new URL('..', import.meta.url));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stockroom-soak-'));
  fs.chmodSync(dir, 0o755);
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    // Servers the soak can stop and start again on the same files and ports.
    const pgPort = await freePort();
    let pg: EmbeddedPostgresHandle = await startEmbeddedPostgres({ dataDir: dir, port: pgPort, logger });
    cleanups.push(() => pg.stop());
    const owner = pg.ownerUrl;
    await runMigrations(owner);
    const temporalPort = await freePort();
    const startTemporal = () =>
      startTemporalDevServer({ namespace: 'stockroom', port: temporalPort, dbFilename: path.join(dir, 'temporal.sqlite'), logFile: path.join(dir, 'temporal.log'), logger });
    let temporal: DevServerHandle = await startTemporal();
    cleanups.push(() => temporal.stop());
    const connection = await Connection.connect({ address: temporal.address });
    cleanups.push(() => connection.close());
    await ensureNamespace(connection, 'stockroom');
    const client = new Client({ connection, namespace: 'stockroom' });
    const database: DatabaseHandle = connectDatabase(pg.url);
    cleanups.push(() => database.close());
    const db = database.db;

    const people = await seed(db, opts);
    const slack = await LocalSlack.start({ people: [] });
    cleanups.push(() => slack.stop());
    for (const id of people.all) slack.addUser({ id, name: id.toLowerCase(), realName: id });

    // The replicas: the prebuilt bundle in a shared cache, settings in a file.
    const dataDir = path.join(dir, 'replicas');
    await workflowBundlePath(path.join(dataDir, 'cache'));
    const settingsFile = path.join(dir, 'stockroom.config.json');
    fs.writeFileSync(settingsFile, JSON.stringify({
      admins: [],
      approvals: { autoApproveBelow: '100', levels: [{ name: 'Manager' }] },
      requisitions: { remindAfter: '7 days', escalateAfter: '14 days', warehouseChannel: '#warehouse' },
    }));
    const env = replicaEnv({ databaseUrl: pg.url, ownerUrl: owner, temporalAddress: temporal.address, namespace: 'stockroom', dataDir, settingsFile, slack });
    const webs: Replica[] = [];
    const workers: Replica[] = [];
    let serial = 0;
    const addWeb = async () => {
      const r = await startReplica('web', `web-${++serial}`, env);
      webs.push(r);
      await r.healthy(180_000);
      return r;
    };
    const addWorker = async () => {
      const r = await startReplica('worker', `worker-${++serial}`, env);
      workers.push(r);
      await r.healthy(180_000);
      return r;
    };
    cleanups.push(() => Promise.all([...webs, ...workers].map((r) => r.kill('SIGKILL'))));
    await Promise.all([addWeb(), addWeb(), addWorker(), addWorker(), addWorker()]);
    const liveWebs = () => webs.filter((w) => w.child.exitCode === null && w.child.signalCode === null).map((w) => w.port);
    const balancer = await startBalancer(liveWebs);
    cleanups.push(() => balancer.close());
    slack.connectApp(balancer.url);
    log(`soak: 2 web + 3 worker processes up (${root}); driving ${opts.documents} documents, ${opts.concurrency} at a time`);

    // The documents, a fixed mix; each flow acts as its worker slot's own people.
    const plan = documentPlan(opts.documents);
    const done: Done[] = [];
    const failures: string[] = [];
    const faults: Fault[] = [];
    let stopFaults = false;
    const started = performance.now();
    const startedAt = Date.now();

    const flows = makeFlows({ slack, db, client, people });
    let nextIndex = 0;
    const running = new Set<{ flow: string; step?: string }>();
    const progress = setInterval(() => {
      log(`soak: ${done.length}/${plan.length} flows done after ${((performance.now() - started) / 1000).toFixed(0)} s; waiting: ${[...running].map((r) => `${r.flow} (${r.step ?? 'starting'})`).join('; ')}`);
    }, Number(process.env.SOAK_PROGRESS_MS ?? 30_000));
    cleanups.push(async () => clearInterval(progress));
    const drive = Promise.all(
      Array.from({ length: opts.concurrency }, async (_, w) => {
        for (let i = nextIndex++; i < plan.length; i = nextIndex++) {
          const kind = plan[i]!;
          const state = { flow: `${kind} #${i}` };
          running.add(state);
          try {
            const result = await current.run(state, () => flows[kind](w, i));
            done.push({ ...result, at: Date.now() });
            for (const fault of faults) if (fault.recoveredAt === undefined && fault.at < Date.now() && partBack(fault)) fault.recoveredAt = Date.now();
          } catch (err) {
            failures.push(`${kind} #${i}: ${err instanceof Error ? err.message : String(err)}`);
            log(`soak: ${kind} #${i} failed: ${err instanceof Error ? err.message : String(err)}`);
          } finally {
            running.delete(state);
          }
        }
      }),
    );
    // A fault's part is back when its restart returned; recovery counts from the fault to the next document done after that.
    const backAt = new Map<Fault, number>();
    const partBack = (fault: Fault) => backAt.has(fault);

    // Faults spread over the run by progress, one at a time.
    const schedule: Fault['kind'][] = shuffle([
      ...Array(opts.workerKills).fill('worker_kill'),
      ...Array(opts.temporalRestarts).fill('temporal_restart'),
      ...Array(opts.postgresRestarts).fill('postgres_restart'),
      ...Array(opts.webDrops).fill('web_drop'),
    ]);
    const injector = (async () => {
      for (let f = 0; f < schedule.length && !stopFaults; f++) {
        const due = Math.floor(((f + 1) / (schedule.length + 1)) * plan.length * 0.9);
        while (done.length < due && !stopFaults) await sleep(200);
        if (stopFaults) break;
        const kind = schedule[f]!;
        const fault: Fault = { kind, at: Date.now() };
        faults.push(fault);
        log(`soak: fault ${f + 1}/${schedule.length}: ${kind} at ${done.length} documents done`);
        if (kind === 'worker_kill') {
          const live = workers.filter((x) => x.child.exitCode === null && x.child.signalCode === null);
          const victim = live[Math.floor(Math.random() * live.length)]!;
          await victim.kill('SIGKILL');
          backAt.set(fault, Date.now()); // the others carry on at once; a replacement joins
          void addWorker().catch((err) => log(`soak: replacement worker failed: ${err}`));
        } else if (kind === 'web_drop') {
          const victim = webs.find((x) => x.child.exitCode === null && x.child.signalCode === null)!;
          await victim.kill('SIGKILL');
          backAt.set(fault, Date.now());
          void addWeb().catch((err) => log(`soak: replacement web failed: ${err}`));
        } else if (kind === 'temporal_restart') {
          await temporal.stop();
          await sleep(1000);
          temporal = await startTemporal();
          backAt.set(fault, Date.now());
        } else {
          await pg.stop();
          await sleep(1000);
          pg = await startEmbeddedPostgres({ dataDir: dir, port: pgPort, logger });
          backAt.set(fault, Date.now());
        }
        await sleep(2000);
      }
    })();
    await drive;
    stopFaults = true;
    await injector;
    const seconds = (performance.now() - started) / 1000;
    for (const fault of faults) fault.recoveredAt ??= done.find((d) => d.at > (backAt.get(fault) ?? fault.at))?.at;
    log(`soak: ${done.length} flows done in ${seconds.toFixed(1)} s; checking`);

    // The end checks.
    const report = await check({ db, client, slack, done, failures, plan, faults, seconds, startedAt });
    return report;
  } finally {
    while (cleanups.length) await cleanups.pop()!().catch(() => {});
    removeDataDir(dir); // as root, with the cluster it links to outside the data folder
  }
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** The mix, in a shuffled order: about 75 % requisitions of the six kinds, 12 % purchase orders, 13 % counts. */
function documentPlan(documents: number): Kind[] {
  const weights: [Kind, number][] = [['auto', 20], ['approved', 15], ['rejected', 10], ['cancelled', 10], ['short', 10], ['backorder', 5], ['po', 15], ['count', 15]];
  const total = weights.reduce((n, [, w]) => n + w, 0);
  const plan: Kind[] = [];
  // A backorder flow makes two documents (its requisition and the PO that brings the stock).
  const flows = Math.round(documents / (1 + 5 / total));
  for (const [kind, weight] of weights) for (let i = 0; i < Math.max(1, Math.round((flows * weight) / total)); i++) plan.push(kind);
  return shuffle(plan);
}

interface People {
  all: string[];
  requester: (w: number) => string;
  approver: (w: number) => string;
  picker: (w: number) => string;
  buyer: (w: number) => string;
  counter: (i: number) => string;
  costCenter: (w: number) => string;
  countNumbers: Map<number, { number: string; lineId: string }>;
}

async function seed(db: Database, opts: SoakOptions): Promise<People> {
  const pad = (n: number) => String(n).padStart(3, '0');
  const people: People = {
    all: [],
    requester: (w) => `U0SOAKR${pad(w)}`,
    approver: (w) => `U0SOAKA${pad(w)}`,
    picker: (w) => `U0SOAKP${pad(w)}`,
    buyer: (w) => `U0SOAKB${pad(w)}`,
    counter: (i) => `U0SOAKC${pad(i)}`,
    costCenter: (w) => `CC${pad(w)}`,
    countNumbers: new Map(),
  };
  await ensureLocation(db, { path: 'Main/A/1' });
  await createItem(db, { sku: 'PEN', name: 'Ballpoint pen', uom: 'ea', standardCost: '2' });
  await createItem(db, { sku: 'PAPER', name: 'Copy paper, ream', uom: 'ea', standardCost: '10' });
  await createItem(db, { sku: 'RARE', name: 'Rare spare part', uom: 'ea', standardCost: '1' });
  for (const sku of ['PEN', 'PAPER']) {
    await receive(db, { key: `soak-${sku}`, sku, location: 'Main/A/1', quantity: '1000000', unitCost: sku === 'PEN' ? '2' : '10', document: { type: 'demo', id: 'soak' }, actor: 'soak' });
  }
  await ensureVendor(db, { code: 'ACME', name: 'Acme Office' });
  for (let w = 0; w < opts.concurrency; w++) {
    await upsertCostCenter(db, { code: people.costCenter(w), name: `Team ${w}`, approverSlackUserId: people.approver(w) });
    await assignRole(db, { subject: { kind: 'user', id: people.approver(w) }, role: 'approver', approvalLimit: '1000000', grantedBy: 'soak' });
    await assignRole(db, { subject: { kind: 'user', id: people.picker(w) }, role: 'warehouse', grantedBy: 'soak' });
    await assignRole(db, { subject: { kind: 'user', id: people.buyer(w) }, role: 'buyer', grantedBy: 'soak' });
    people.all.push(people.requester(w), people.approver(w), people.picker(w), people.buyer(w));
  }
  // One count per planned count flow, each on an item and bin of its own that nothing else moves (a blind count of 10).
  const counts = Math.ceil(opts.documents * 0.2) + 2;
  const planned = [];
  for (let i = 0; i < counts; i++) {
    const sku = `CNT${pad(i)}`;
    const location = `Main/C/${i}`;
    await ensureLocation(db, { path: location });
    await createItem(db, { sku, name: `Counted part ${i}`, uom: 'ea', standardCost: '3' });
    await receive(db, { key: `soak-${sku}`, sku, location, quantity: '10', unitCost: '3', document: { type: 'demo', id: 'soak' }, actor: 'soak' });
    await assignRole(db, { subject: { kind: 'user', id: people.counter(i) }, role: 'warehouse', grantedBy: 'soak' });
    people.all.push(people.counter(i));
    planned.push({ sequence: i + 1, group: `Main/C/${i}`, counter: people.counter(i), lines: [{ sku, location, abcClass: 'C' as const, deadline: '2030-06-03' }] });
  }
  const saved = await saveCountPlan(db, { date: '2030-06-03', workingDay: true, due: [], unlocated: [], counts: planned });
  for (const [i, doc] of saved.documents.entries()) {
    const [line] = (await db.execute(sql`select cl.id::text as id from cycle_count_lines cl join cycle_counts c on c.id = cl.count_id where c.number = ${doc.number}`)) as unknown as { id: string }[];
    people.countNumbers.set(i, { number: doc.number, lineId: line!.id });
  }
  return people;
}

function makeFlows(deps: { slack: LocalSlack; db: Database; client: Client; people: People }) {
  const { slack, db, client, people } = deps;
  const STEP_MS = Number(process.env.SOAK_STEP_TIMEOUT_MS ?? 240_000);
  let countIndex = 0;
  const RETRY_MS = 20_000;

  /** Polls a read (database reads fail while Postgres restarts: they are retried) until it gives a value. */
  const until = async <T>(read: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeout = STEP_MS): Promise<T> => {
    const deadline = Date.now() + timeout;
    const state = current.getStore();
    if (state) state.step = what;
    for (;;) {
      const value = await Promise.resolve().then(read).catch(() => undefined);
      if (value) return value as T;
      if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
      await sleep(150);
    }
  };
  /** Acts, then waits for the effect; acts again every RETRY_MS while the effect is missing (every action here is safe to repeat). */
  const acting = async <T>(act: () => Promise<unknown>, effect: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeout = STEP_MS): Promise<T> => {
    const deadline = Date.now() + timeout;
    for (;;) {
      await act().catch(() => {});
      try {
        return await until(effect, what, Math.min(RETRY_MS, Math.max(1, deadline - Date.now())));
      } catch (err) {
        if (Date.now() > deadline) throw err;
      }
    }
  };
  /**
   * A step done through a modal, as a person would when the app says "try again": open it, submit, and if the
   * effect does not show, open it again and submit again (each action here is idempotent by what it acts on).
   */
  const modalStep = async <T>(
    user: string,
    open: () => Promise<unknown>,
    callbackId: string,
    values: Record<string, Record<string, unknown>>,
    effect: () => Promise<T | undefined | false> | T | undefined | false,
    what: string,
  ): Promise<T> => {
    const deadline = Date.now() + STEP_MS;
    for (;;) {
      try {
        const modal: View = await acting(open, view(user, callbackId), `${what}: the modal`);
        await slack.submit(user, modal.id, values as never).catch(() => {});
        return await until(effect, what, Math.min(RETRY_MS, Math.max(1, deadline - Date.now())));
      } catch (err) {
        if (Date.now() > deadline) throw err;
      }
    }
  };
  const view = (user: string, callbackId: string) => () => {
    const v = slack.openView(user);
    return v?.callback_id === callbackId ? v : undefined;
  };
  const statusOf = async (number: string) => {
    const [row] = (await db.execute(sql`select status::text as status from requisitions where number = ${number}`)) as unknown as { status: string }[];
    return row?.status;
  };
  const poStatus = async (number: string) => {
    const [row] = (await db.execute(sql`select status::text as status from purchase_orders where number = ${number}`)) as unknown as { status: string }[];
    return row?.status;
  };

  async function request(w: number, sku: string, quantity: string): Promise<string> {
    const who = people.requester(w);
    const modal = await acting(() => slack.command(who, '/request'), view(who, REQUEST_MODAL.callbackId), 'the request modal');
    const values = {
      [REQUEST_MODAL.itemBlock(0)]: { [REQUEST_MODAL.itemAction]: sku },
      [REQUEST_MODAL.quantityBlock(0)]: { [REQUEST_MODAL.quantityAction]: quantity },
      [REQUEST_MODAL.reasonBlock]: { [REQUEST_MODAL.reasonAction]: 'Soak' },
      [REQUEST_MODAL.costCenterBlock]: { [REQUEST_MODAL.costCenterAction]: people.costCenter(w) },
    };
    // A retried submission of the same modal is the same requisition (its submission key) and starts its workflow if missing.
    const number = await acting(
      () => slack.submit(who, modal.id, values),
      async () => {
        const [row] = (await db.execute(sql`select number, status::text as status from requisitions where submission_key = ${submissionKeyFor(modal.id)}`)) as unknown as { number: string; status: string }[];
        return row && row.status !== 'submitted' ? row.number : undefined;
      },
      'the requisition to be routed',
      // Recorded while Temporal was down, it is started by the sweep Schedule: up to 5 minutes old plus one 5-minute period.
      11 * 60_000,
    );
    return number;
  }

  const approvalDm = (w: number, number: string) =>
    until(() => slack.dm(people.approver(w)).find((m) => blockText(m).includes(number) && buttonsOf(m).includes(REQUISITION_ACTIONS.approve)), `the approval DM for ${number}`);
  const pickTask = (number: string) =>
    until(() => slack.messages('#warehouse').find((m) => m.text.startsWith(`Pick ${number} `) && buttonsOf(m).includes(REQUISITION_ACTIONS.confirmPick)), `the pick task for ${number}`);

  async function pick(w: number, number: string, short?: { quantity: string }): Promise<void> {
    const picker = people.picker(w);
    const task = await pickTask(number);
    const values = short ? { [PICK_MODAL.lineBlock(1)]: { [PICK_MODAL.quantityAction]: short.quantity }, [PICK_MODAL.remainderBlock(1)]: { [PICK_MODAL.remainderAction]: 'cancel' } } : {};
    await modalStep(
      picker,
      () => slack.click(picker, { channel: '#warehouse', ts: task.ts }, REQUISITION_ACTIONS.confirmPick),
      PICK_MODAL.callbackId,
      values,
      async () => (await statusOf(number)) === 'issued',
      `${number} issued`,
    );
  }

  return {
    async auto(w: number) {
      const number = await request(w, 'PEN', '3');
      await pick(w, number);
      return { kind: 'auto' as Kind, documents: [number], issued: { [number]: '3' } };
    },
    async approved(w: number) {
      const number = await request(w, 'PAPER', '20');
      const dm = await approvalDm(w, number);
      await acting(() => slack.click(people.approver(w), { channel: people.approver(w), ts: dm.ts }, REQUISITION_ACTIONS.approve), async () => (await statusOf(number)) !== 'awaiting_approval', `${number} approved`);
      await pick(w, number);
      return { kind: 'approved' as Kind, documents: [number], issued: { [number]: '20' } };
    },
    async rejected(w: number) {
      const number = await request(w, 'PAPER', '15');
      const approver = people.approver(w);
      const dm = await approvalDm(w, number);
      await modalStep(
        approver,
        () => slack.click(approver, { channel: approver, ts: dm.ts }, REQUISITION_ACTIONS.reject),
        REJECT_MODAL.callbackId,
        { [REJECT_MODAL.reasonBlock]: { [REJECT_MODAL.reasonAction]: 'Not this quarter' } },
        async () => (await statusOf(number)) === 'rejected',
        `${number} rejected`,
      );
      return { kind: 'rejected' as Kind, documents: [number], issued: { [number]: '0' } };
    },
    async cancelled(w: number) {
      const number = await request(w, 'PAPER', '12');
      await approvalDm(w, number);
      const who = people.requester(w);
      const card = await until(() => slack.dm(who).find((m) => m.text.startsWith(`${number}:`) && buttonsOf(m).includes(REQUISITION_ACTIONS.cancel)), `the card of ${number}`);
      await acting(() => slack.click(who, { channel: who, ts: card.ts }, REQUISITION_ACTIONS.cancel), async () => (await statusOf(number)) === 'cancelled', `${number} cancelled`);
      return { kind: 'cancelled' as Kind, documents: [number], issued: { [number]: '0' } };
    },
    async short(w: number) {
      const number = await request(w, 'PEN', '8');
      await pick(w, number, { quantity: '5' });
      return { kind: 'short' as Kind, documents: [number], issued: { [number]: '5' } };
    },
    async backorder(w: number) {
      const number = await request(w, 'RARE', '2');
      // Backordered, unless another flow's receipt already served it: either way this flow's PO brings 2 more.
      await until(async () => ['backordered', 'picking', 'issued'].includes((await statusOf(number)) ?? ''), `${number} backordered`);
      const po = await purchaseOrder(w, 'RARE', '2');
      await pick(w, number);
      return { kind: 'backorder' as Kind, documents: [number, po], issued: { [number]: '2' }, received: { [po]: '2' } };
    },
    async po(w: number) {
      const po = await purchaseOrder(w, 'PEN', '10');
      return { kind: 'po' as Kind, documents: [po], received: { [po]: '10' } };
    },
    async count(_w: number, i: number) {
      const planned = people.countNumbers.get(countIndex++);
      if (!planned) throw new Error(`no count planned for flow ${i}`);
      const counter = people.counter(countIndex - 1);
      await acting(
        () => client.workflow.start('cycleCountWorkflow', { taskQueue: TASK_QUEUE, workflowId: cycleCountWorkflowId(planned.number), args: [{ number: planned.number }] }).catch((err: Error) => {
          if (err.name !== 'WorkflowExecutionAlreadyStartedError') throw err;
        }),
        () => slack.dm(counter).find((m) => m.text.includes(planned.number) && buttonsOf(m).includes(COUNT_IDS.start)),
        `the count DM for ${planned.number}`,
      ).then(async (dm) => {
        await modalStep(
          counter,
          () => slack.click(counter, { channel: counter, ts: dm.ts }, COUNT_IDS.start),
          COUNT_IDS.modal,
          { [countLineBlockId(planned.lineId)]: { [COUNT_IDS.quantityInput]: '10' } },
          async () => {
            const [row] = (await db.execute(sql`select status::text as status from cycle_counts where number = ${planned.number}`)) as unknown as { status: string }[];
            return row?.status === 'posted';
          },
          `${planned.number} posted`,
        );
      });
      return { kind: 'count' as Kind, documents: [planned.number] };
    },
  } satisfies Record<Kind, (w: number, i: number) => Promise<Omit<Done, 'at'>>>;

  /** Buyer drafts from the shortcut, submits from the card (under the approval threshold: sent), the picker receives it all. */
  async function purchaseOrder(w: number, sku: string, quantity: string): Promise<string> {
    const buyer = people.buyer(w);
    const form = await acting(() => slack.shortcut(buyer, SHORTCUTS.newPurchaseOrder), view(buyer, NEW_PO_MODAL.callbackId), 'the new PO modal');
    const drafted = await acting(
      () => slack.submit(buyer, form.id, {
        [NEW_PO_MODAL.vendorBlock]: { [NEW_PO_MODAL.vendorAction]: 'ACME' },
        [NEW_PO_MODAL.itemBlock(0)]: { [NEW_PO_MODAL.itemAction]: sku },
        [NEW_PO_MODAL.quantityBlock(0)]: { [NEW_PO_MODAL.quantityAction]: quantity },
        [NEW_PO_MODAL.priceBlock(0)]: { [NEW_PO_MODAL.priceAction]: '1' },
      }),
      async () => {
        // The draft is keyed by the modal (manual/<view id>): found in the database even if the reply was lost.
        const [row] = (await db.execute(sql`select number from purchase_orders where creation_key = ${`manual/${form.id}`}`)) as unknown as { number: string }[];
        return row?.number;
      },
      'the draft',
    );
    const number = drafted;
    const card = await until(() => slack.dm(buyer).find((m) => m.text.startsWith(`${number} (`) && buttonsOf(m).includes(PURCHASING_ACTIONS.submit)), `the draft card of ${number}`);
    await acting(() => slack.click(buyer, { channel: buyer, ts: card.ts }, PURCHASING_ACTIONS.submit), async () => (await poStatus(number)) === 'sent', `${number} sent`);
    const picker = people.picker(w);
    await modalStep(
      picker,
      () => slack.command(picker, '/receive', number),
      RECEIVE_MODAL.callbackId,
      { [RECEIVE_MODAL.quantityBlock(1)]: { [RECEIVE_MODAL.quantityAction]: quantity }, [RECEIVE_MODAL.locationBlock(1)]: { [RECEIVE_MODAL.locationAction]: 'Main/A/1' } },
      async () => (await poStatus(number)) === 'received',
      `${number} received`,
    );
    return number;
  }
}

interface Mismatch {
  text: string;
  actual: number;
  expected: number;
}

async function check(input: {
  db: Database;
  client: Client;
  slack: LocalSlack;
  done: Done[];
  failures: string[];
  plan: Kind[];
  faults: Fault[];
  seconds: number;
  startedAt: number;
}): Promise<SoakReport> {
  const { db, client, slack, done, failures, plan, faults, seconds } = input;
  const rows = <T>(query: ReturnType<typeof sql>) => db.execute(query) as unknown as Promise<T[]>;
  const notFinal: string[] = [];
  const issueMismatches: Mismatch[] = [];
  const receiptMismatches: Mismatch[] = [];
  for (const d of done) {
    for (const [number, quantity] of Object.entries(d.issued ?? {})) {
      const [req] = await rows<{ status: string }>(sql`select status::text as status from requisitions where number = ${number}`);
      if (req?.status !== FINAL_REQUISITION[d.kind]) notFinal.push(`${number} is ${req?.status}, expected ${FINAL_REQUISITION[d.kind]}`);
      const [moves] = await rows<{ issued: string; n: number }>(sql`
        select coalesce(ledger_num(-sum(quantity)), '0') as issued, count(*)::int as n from stock_moves
         where document_type = 'requisition' and document_id = ${number} and type = 'issue'`);
      if (Number(moves!.issued) !== Number(quantity)) issueMismatches.push({ text: `${number}: issued ${moves!.issued} in ${moves!.n} moves, picked ${quantity}`, actual: Number(moves!.issued), expected: Number(quantity) });
    }
    for (const [number, quantity] of Object.entries(d.received ?? {})) {
      const [po] = await rows<{ status: string }>(sql`select status::text as status from purchase_orders where number = ${number}`);
      if (po?.status !== 'received') notFinal.push(`${number} is ${po?.status}, expected received`);
      const [moves] = await rows<{ received: string; n: number }>(sql`
        select coalesce(ledger_num(sum(quantity)), '0') as received, count(*)::int as n from stock_moves
         where document_id = ${number} and type = 'receipt'`);
      if (Number(moves!.received) !== Number(quantity)) receiptMismatches.push({ text: `${number}: received ${moves!.received} in ${moves!.n} moves, ordered ${quantity}`, actual: Number(moves!.received), expected: Number(quantity) });
    }
    if (d.kind === 'count') {
      const [count] = await rows<{ status: string }>(sql`select status::text as status from cycle_counts where number = ${d.documents[0]!}`);
      if (count?.status !== 'posted') notFinal.push(`${d.documents[0]} is ${count?.status}, expected posted`);
    }
  }
  // No document anywhere left half-way: requisitions and POs the flows never saw through count too.
  const [openReqs] = await rows<{ n: number }>(sql`select count(*)::int as n from requisitions where status::text not in ('issued', 'rejected', 'cancelled')`);
  const [openPos] = await rows<{ n: number }>(sql`select count(*)::int as n from purchase_orders where status::text not in ('received', 'cancelled', 'closed')`);
  // Requisition and count workflows end with their document; a received PO's workflow stays open for its invoice (three-way match).
  // Their last steps (closing messages) may still be running when the document's status is final: a minute's grace.
  let openIds: string[] = [];
  for (const deadline = Date.now() + 90_000; ; await sleep(1000)) {
    openIds = [];
    for await (const w of client.workflow.list({ query: `ExecutionStatus = 'Running' AND (WorkflowType = 'requisitionWorkflow' OR WorkflowType = 'cycleCountWorkflow')` })) openIds.push(w.workflowId);
    if (openIds.length === 0 || Date.now() > deadline) break;
  }
  const openWorkflows = openIds.length;

  // Each activity attempt a killed worker held, retried elsewhere after its heartbeat timeout: kill → retry start.
  const kills = faults.filter((f) => f.kind === 'worker_kill').map((f) => f.at);
  const retries: number[] = [];
  for await (const w of client.workflow.list({ query: `WorkflowType = 'requisitionWorkflow' OR WorkflowType = 'purchaseOrderWorkflow' OR WorkflowType = 'cycleCountWorkflow'` })) {
    const history = await client.workflow.getHandle(w.workflowId, w.runId).fetchHistory();
    for (const event of history.events ?? []) {
      const started = event.activityTaskStartedEventAttributes;
      if (!started || (started.attempt ?? 1) < 2 || !started.lastFailure?.timeoutFailureInfo) continue;
      const at = Number(event.eventTime!.seconds) * 1000 + Math.floor((event.eventTime!.nanos ?? 0) / 1e6);
      const kill = kills.filter((k) => k <= at).at(-1);
      if (kill !== undefined && at - kill < 60_000) retries.push(at - kill);
    }
  }

  const posted = slack.calls.filter((c) => c.method === 'chat.postMessage' && c.ok);
  const keys = posted.map((c) => (c.params as { metadata?: { event_payload?: { key?: string } } }).metadata?.event_payload?.key).filter((k): k is string => !!k);
  const duplicateKeys = keys.length - new Set(keys).size;
  const violations = await invariantViolations(db);

  const recoveries = faults.filter((f) => f.recoveredAt).map((f) => f.recoveredAt! - f.at);
  const byFault: Record<string, number[]> = {};
  for (const f of faults) (byFault[f.kind] ??= []).push(f.recoveredAt ? f.recoveredAt - f.at : -1);
  const windows = faults.map((f) => [f.at, f.recoveredAt ?? f.at + 30_000] as const);
  const deliveries = slack.deliveries.filter((d) => d.at >= input.startedAt);
  const duringFaults = deliveries.filter((d) => windows.some(([a, b]) => d.at >= a && d.at <= b)).map((d) => d.ms);
  const documents = done.reduce((n, d) => n + d.documents.length, 0);
  const byKind: Record<string, number> = {};
  for (const d of done) byKind[d.kind] = (byKind[d.kind] ?? 0) + 1;
  // Lost: a flow that never finished or a document short of its final state or of its stock; duplicated: more
  // issued or received than the flow did, or a Slack message posted twice under one key.
  const over = (mismatches: Mismatch[]) => mismatches.filter((m) => m.actual > m.expected).length;
  const under = (mismatches: Mismatch[]) => mismatches.filter((m) => m.actual < m.expected).length;
  const lost = plan.length - done.length + notFinal.length + under(issueMismatches) + under(receiptMismatches);
  const duplicated = over(issueMismatches) + over(receiptMismatches) + duplicateKeys;
  const report: SoakReport = {
    documents,
    requisitions: done.filter((d) => d.kind in FINAL_REQUISITION).length,
    purchase_orders: done.reduce((n, d) => n + Object.keys(d.received ?? {}).length, 0),
    cycle_counts: done.filter((d) => d.kind === 'count').length,
    by_kind: byKind,
    seconds: Number(seconds.toFixed(1)),
    documents_per_s: Number((documents / seconds).toFixed(2)),
    faults: Object.fromEntries(Object.entries(byFault).map(([k, v]) => [k, v.length])),
    recovery_ms_p50: Math.round(percentile(recoveries, 50)),
    recovery_ms_p99: Math.round(percentile(recoveries, 99)),
    recovery_ms_by_fault: byFault,
    activity_retry_after_kill_ms: { count: retries.length, p50: Math.round(percentile(retries, 50)), p99: Math.round(percentile(retries, 99)), max: Math.round(Math.max(0, ...retries)) },
    ack_p99_ms_during_faults: Math.round(percentile(duringFaults, 99)),
    ack_p99_ms: Math.round(percentile(deliveries.map((d) => d.ms), 99)),
    acks_during_faults: duringFaults.length,
    lost,
    duplicated,
    not_final: [...notFinal, ...openIds.slice(0, 10).map((id) => `workflow ${id} still running`), ...(Number(openReqs!.n) ? [`${openReqs!.n} requisitions open`] : []), ...(Number(openPos!.n) ? [`${openPos!.n} purchase orders open`] : []), ...failures],
    duplicate_slack_keys: duplicateKeys,
    ledger_violations: violations,
    issue_mismatches: issueMismatches.map((m) => m.text),
    receipt_mismatches: receiptMismatches.map((m) => m.text),
    open_workflows: openWorkflows,
    passed: false,
  };
  report.passed =
    lost === 0 && duplicated === 0 && report.not_final.length === 0 && violations.length === 0 && openWorkflows === 0 && faults.every((f) => f.recoveredAt);
  return report;
}

async function main() {
  const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
  const report = await runSoak({
    documents: env('SOAK_DOCUMENTS', 300),
    concurrency: env('SOAK_CONCURRENCY', 8),
    workerKills: env('SOAK_KILLS', 10),
    temporalRestarts: env('SOAK_TEMPORAL_RESTARTS', 2),
    postgresRestarts: env('SOAK_POSTGRES_RESTARTS', 2),
    webDrops: env('SOAK_WEB_DROPS', 1),
  });
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(`documents: ${report.documents}: ${report.requisitions} requisitions, ${report.purchase_orders} purchase orders, ${report.cycle_counts} cycle counts (flows: ${Object.entries(report.by_kind).map(([k, n]) => `${k} ${n}`).join(', ')}) in ${report.seconds} s: ${report.documents_per_s} documents/s`);
  console.log(`faults: ${Object.entries(report.faults).map(([k, n]) => `${k} ×${n}`).join(', ')}`);
  console.log(`recovery after a fault: p50 ${seconds(report.recovery_ms_p50)}, p99 ${seconds(report.recovery_ms_p99)}; by fault: ${JSON.stringify(report.recovery_ms_by_fault)}`);
  const retried = report.activity_retry_after_kill_ms;
  console.log(`activities a killed worker held: ${retried.count}, retried elsewhere p50 ${seconds(retried.p50)}, p99 ${seconds(retried.p99)}, max ${seconds(retried.max)} after the kill`);
  console.log(`Slack ack p99 during faults ${report.ack_p99_ms_during_faults} ms (${report.acks_during_faults} acks), overall ${report.ack_p99_ms} ms`);
  console.log(`lost = ${report.lost}, duplicated = ${report.duplicated}, open workflows = ${report.open_workflows}, ledger invariants ${report.ledger_violations.length ? 'BROKEN' : 'hold'}`);
  for (const line of [...report.not_final, ...report.issue_mismatches, ...report.receipt_mismatches, ...report.ledger_violations].slice(0, 20)) console.log(`  ${line}`);
  console.log(JSON.stringify(report));
  process.exit(report.passed ? 0 : 1);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
