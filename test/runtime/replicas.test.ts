import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import postgres from 'postgres';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { inject } from 'vitest';
import { PICK_MODAL, REQUISITION_ACTIONS } from '../../bot/ids.js';
import { connectDatabase, type DatabaseHandle } from '../../db/client.js';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { migrationsFolder } from '../../db/migrate.js';
import { LocalSlack } from '../../sandbox/index.js';
import { COUNTING_SCHEDULE_IDS, REQUISITION_SCHEDULE_IDS, RESTOCK_SCHEDULE_IDS } from '../../workflows/ids.js';
import { appUrl } from '../helpers/database.js';
import { BOT_SETTINGS, issueMoves, seedBotWorld, WHO, type BotHarness } from '../helpers/bot.js';
import { botDriver } from '../helpers/bot-driver.js';
import { eventually } from '../helpers/eventually.js';
import { bundleCache, startReplica, type Replica } from '../helpers/replicas.js';

/**
 * Two `stockroom web` and two `stockroom worker` processes started at the same moment against one empty
 * database and one fresh namespace: they migrate once between them, create each Schedule once, and serve
 * one requisition whose requests land on both web processes and whose activities run on either worker.
 */

let slack: LocalSlack;
let database: DatabaseHandle;
let dbName: string;
let dataDir: string;
let namespace: string;
const replicas: Replica[] = [];

beforeAll(async () => {
  const adminUrl = inject('pgAdminUrl');
  dbName = `replicas_${crypto.randomBytes(4).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${dbName}"`); // empty: the replicas migrate it
  await admin.end();
  const ownerUrl = adminUrl.replace(/\/postgres$/, `/${dbName}`);

  slack = await LocalSlack.start();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stockroom-replicas-'));
  bundleCache(dataDir, inject('workflowBundle'));
  const settingsFile = path.join(dataDir, 'stockroom.config.json');
  fs.writeFileSync(settingsFile, JSON.stringify(BOT_SETTINGS));
  namespace = `replicas-${crypto.randomBytes(4).toString('hex')}`;
  // As in production: the replicas work as the application role; the owner's address is for migrations.
  const env = {
    DATABASE_URL: appUrl(ownerUrl),
    DATABASE_OWNER_URL: ownerUrl,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_NAMESPACE: namespace,
    STOCKROOM_DATA_DIR: dataDir,
    STOCKROOM_CONFIG: settingsFile,
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: slack.signingSecret,
    SLACK_API_URL: slack.apiUrl,
  };
  replicas.push(
    ...(await Promise.all([
      startReplica('web', 'web-1', env),
      startReplica('web', 'web-2', env),
      startReplica('worker', 'worker-1', env),
      startReplica('worker', 'worker-2', env),
    ])),
  );
  await Promise.all(replicas.map((r) => r.healthy(150_000)));
  database = connectDatabase(ownerUrl);
  await seedBotWorld(database.db);
}, 240_000);

afterAll(async () => {
  await Promise.all(replicas.map((r) => r.kill('SIGTERM')));
  await database?.close();
  await slack?.stop();
  const admin = postgres(inject('pgAdminUrl'), { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
  await admin.end();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A sample's value in Prometheus text: the line of `name` whose labels include `labels` (in any order). */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-z_:]+)\{([^}]*)\} (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = Object.fromEntries([...match[2]!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(match[3]);
  }
  return undefined;
}

const web = (i: number) => replicas.filter((r) => r.role === 'web')[i]!;
const worker = (i: number) => replicas.filter((r) => r.role === 'worker')[i]!;

test('four replicas started at once migrate once and create each Schedule once', async () => {
  const applied = await database.sql<{ hash: string }[]>`select hash from __drizzle_migrations`;
  expect(applied).toHaveLength(readMigrationFiles({ migrationsFolder }).length);
  expect(new Set(applied.map((r) => r.hash)).size).toBe(applied.length);

  const connection = await Connection.connect({ address: inject('temporalAddress') });
  try {
    const client = new Client({ connection, namespace });
    const ids: string[] = [];
    for await (const schedule of client.schedule.list()) ids.push(schedule.scheduleId);
    const expected = [...Object.values(REQUISITION_SCHEDULE_IDS), ...Object.values(RESTOCK_SCHEDULE_IDS), ...Object.values(COUNTING_SCHEDULE_IDS)];
    expect(ids.sort()).toEqual([...new Set(expected)].sort());
  } finally {
    await connection.close();
  }

  // Each role reports its own parts: the web has Slack and no worker, the worker the other way round.
  const webHealth = (await (await fetch(`http://127.0.0.1:${web(0).port}/healthz`)).json()) as { parts: Record<string, unknown> };
  const workerHealth = (await (await fetch(`http://127.0.0.1:${worker(0).port}/healthz`)).json()) as { parts: Record<string, unknown> };
  expect(Object.keys(webHealth.parts).sort()).toEqual(['database', 'slack', 'temporal']);
  expect(Object.keys(workerHealth.parts).sort()).toEqual(['database', 'temporal', 'worker']);
});

test('a requisition requested through one web process and approved and picked through the other is issued once', async () => {
  const h = { slack, db: database.db } as unknown as BotHarness;
  const d = botDriver(h, { timeout: 60_000 });
  slack.connectApp(`http://127.0.0.1:${web(0).port}/slack/events`);
  const number = await d.request(WHO.ada, { sku: 'PAPER', quantity: '20' });
  const dm = await d.approvalDm(WHO.ben, number);

  slack.connectApp(`http://127.0.0.1:${web(1).port}/slack/events`);
  expect((await slack.click(WHO.ben, { channel: WHO.ben, ts: dm.ts }, REQUISITION_ACTIONS.approve)).status).toBe(200);
  const task = await d.pickTask(number);
  await slack.click(WHO.dmitri, { channel: '#warehouse', ts: task.ts }, REQUISITION_ACTIONS.confirmPick);
  const pickView = await slack.waitFor(() => {
    const v = slack.openView(WHO.dmitri);
    return v?.callback_id === PICK_MODAL.callbackId && v;
  }, { timeout: 60_000, description: 'the pick modal' });
  expect((await slack.submit(WHO.dmitri, pickView.id, {})).ok).toBe(true);
  await d.waitForStatus(number, 'issued');

  expect(await issueMoves(database.db, number)).toEqual([{ sku: 'PAPER', moves: expect.any(Number), quantity: '20' }]);
  // One message per key, whichever worker posted it.
  const posted = slack.calls.filter((c) => c.method === 'chat.postMessage' && c.ok);
  const keys = posted.map((c) => JSON.stringify((c.params as { metadata?: unknown }).metadata));
  expect(new Set(keys).size).toBe(keys.length);

  // Both web processes acked requests, and every process serves its figures for Prometheus.
  const scrape = async (r: Replica) => (await fetch(`http://127.0.0.1:${r.port}/metrics`)).text();
  const [web0, web1] = [await scrape(web(0)), await scrape(web(1))];
  expect(sample(web0, 'stockroom_slack_ack_seconds_count', { role: 'web', surface: 'view_submission' })).toBeGreaterThan(0);
  expect(sample(web1, 'stockroom_slack_ack_seconds_count', { role: 'web', surface: 'block_actions' })).toBeGreaterThan(0);
  await eventually(
    async () => [await scrape(worker(0)), await scrape(worker(1))],
    (texts) =>
      sample(texts[0]!, 'stockroom_requisitions', { status: 'issued' }) === 1 &&
      texts.reduce((n, text) => n + (sample(text, 'stockroom_ledger_moves_total', { operation: 'issue', role: 'worker' }) ?? 0), 0) > 0,
    'the workers to count the issue',
  );
  const workerText = await scrape(worker(0));
  expect(workerText).toMatch(/^temporal_/m); // the SDK's own metrics (task slots, poll latencies…)
});
