import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { count, eq, sql } from 'drizzle-orm';
import { inject } from 'vitest';
import type { Database } from '../../db/client.js';
import { setBudget, upsertCostCenter } from '../../db/queries/cost-centers.js';
import { createItem } from '../../db/queries/items.js';
import { receive } from '../../db/queries/ledger.js';
import { ensureLocation } from '../../db/queries/locations.js';
import { assignRole } from '../../db/queries/people.js';
import { requisitions } from '../../db/schema/index.js';
import { loadConfig } from '../../runtime/config.js';
import { freePort } from '../../runtime/embedded-postgres.js';
import { createLogger } from '../../runtime/logger.js';
import { startStockroom, type Stockroom } from '../../runtime/start.js';
import { LocalSlack, type Delivery, type Message } from '../../sandbox/index.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { removeDataDir } from '../../runtime/postgres-home.js';

/** The demo workspace's people (sandbox/people.ts), in the roles the bot tests give them. */
export const WHO = {
  ada: 'U0REQ00001', // requester
  ben: 'U0APR00500', // approver up to 500, designated approver of OPS
  carla: 'U0APR05000', // approver up to 5,000
  dmitri: 'U0WHS00001', // warehouse
  erin: 'U0BUY00001', // buyer, no Stockroom role given
  gus: 'U0ADM00001', // admin (from the settings file)
} as const;

/** Auto-approved under 100; one Manager level up to 5,000; pick tasks to #warehouse. */
export const BOT_SETTINGS = {
  admins: [WHO.gus],
  approvals: { autoApproveBelow: '100', levels: [{ name: 'Manager', upTo: '5000' }, { name: 'Director' }] },
  requisitions: { remindAfter: '1 day', escalateAfter: '3 days', warehouseChannel: '#warehouse' },
};

export interface BotHarness {
  slack: LocalSlack;
  stockroom: Stockroom;
  db: Database;
  database: TestDatabase;
  /** The app's request URL (…/slack/events). */
  appUrl: string;
  stop(): Promise<void>;
}

/**
 * The whole app (startStockroom: database, Temporal worker with the real activities, Bolt on a free port)
 * against a test database, the run's Temporal (a fresh namespace, or `temporalAddress`, e.g. a proxy) and a
 * LocalSlack whose signed requests go to http://127.0.0.1:PORT/slack/events.
 */
export async function startBotHarness(
  opts: {
    temporalAddress?: string;
    /** The database URL the app gets (e.g. through a proxy); the test's own `db` connects directly. */
    appDatabaseUrl?: (url: string) => Promise<string>;
  } = {},
): Promise<BotHarness> {
  const database = await createTestDatabase();
  const slack = await LocalSlack.start();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stockroom-bot-'));
  // The run's prebuilt workflow bundle, where startStockroom looks for it (same source hash), so no file rebuilds it.
  const bundle = inject('workflowBundle');
  fs.mkdirSync(path.join(dataDir, 'cache'), { recursive: true });
  fs.copyFileSync(bundle, path.join(dataDir, 'cache', path.basename(bundle)));
  const settingsFile = path.join(dataDir, 'stockroom.config.json');
  fs.writeFileSync(settingsFile, JSON.stringify(BOT_SETTINGS));
  const previousConfig = process.env.STOCKROOM_CONFIG;
  process.env.STOCKROOM_CONFIG = settingsFile;

  const port = await freePort();
  const config = loadConfig({
    STOCKROOM_DATA_DIR: dataDir,
    DATABASE_URL: opts.appDatabaseUrl ? await opts.appDatabaseUrl(database.url) : database.url,
    TEMPORAL_ADDRESS: opts.temporalAddress ?? inject('temporalAddress'),
    TEMPORAL_NAMESPACE: `bot-${crypto.randomBytes(4).toString('hex')}`,
    PORT: String(port),
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: slack.signingSecret,
    SLACK_API_URL: slack.apiUrl,
    STOCKROOM_SANDBOX: '0',
    LOG_LEVEL: 'silent',
  });
  let stockroom: Stockroom;
  try {
    stockroom = await startStockroom(config, createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'));
  } finally {
    if (previousConfig === undefined) delete process.env.STOCKROOM_CONFIG;
    else process.env.STOCKROOM_CONFIG = previousConfig;
  }
  const appUrl = `http://127.0.0.1:${port}/slack/events`;
  slack.connectApp(appUrl);
  await seedBotWorld(database.db);
  return {
    slack,
    stockroom,
    db: database.db,
    database,
    appUrl,
    async stop() {
      await stockroom.stop();
      await slack.stop();
      await database.drop();
      removeDataDir(dataDir);
    },
  };
}

/**
 * Catalogue: PEN (ea, 2.00) 100 in Main/A/1; PAPER (ea, 10.00) 30 in Main/A/1 and 50 in Main/A/2;
 * CABLE (m, 2 decimals, 1.50) 200 in Main/A/2; LAPTOP (ea, 1,500.00) 5 in Main/A/1. Cost centers OPS
 * (Ben designated) and LAB. Roles: Ben approver 500, Carla approver 5,000, Dmitri warehouse.
 */
export async function seedBotWorld(db: Database): Promise<void> {
  for (const p of ['Main/A/1', 'Main/A/2']) await ensureLocation(db, { path: p });
  await createItem(db, { sku: 'PEN', name: 'Ballpoint pen, blue', uom: 'ea', standardCost: '2', barcode: '4006381333931' });
  await createItem(db, { sku: 'PAPER', name: 'Copy paper A4, ream', uom: 'ea', standardCost: '10' });
  await createItem(db, { sku: 'CABLE', name: 'Network cable Cat6', uom: 'm', standardCost: '1.5' });
  await createItem(db, { sku: 'LAPTOP', name: 'Laptop 14"', uom: 'ea', standardCost: '1500' });
  const stock: [string, string, string, string][] = [
    ['PEN', 'Main/A/1', '100', '2'],
    ['PAPER', 'Main/A/1', '30', '10'],
    ['PAPER', 'Main/A/2', '50', '10'],
    ['CABLE', 'Main/A/2', '200', '1.5'],
    ['LAPTOP', 'Main/A/1', '5', '1500'],
  ];
  for (const [sku, location, quantity, unitCost] of stock) {
    await receive(db, { key: `seed-${sku}-${location}`, sku, location, quantity, unitCost, document: { type: 'demo', id: 'seed' }, actor: 'test' });
  }
  await upsertCostCenter(db, { code: 'OPS', name: 'Operations', approverSlackUserId: WHO.ben });
  await upsertCostCenter(db, { code: 'LAB', name: 'Laboratory' });
  const year = new Date().getUTCFullYear();
  await setBudget(db, { costCenter: 'OPS', periodStart: `${year}-01-01`, periodEnd: `${year + 1}-01-01`, amount: '20000' });
  const grant = (id: string, role: 'approver' | 'warehouse', approvalLimit?: string) =>
    assignRole(db, { subject: { kind: 'user', id }, role, grantedBy: 'test', ...(approvalLimit ? { approvalLimit } : {}) });
  await grant(WHO.ben, 'approver', '500');
  await grant(WHO.carla, 'approver', '5000');
  await grant(WHO.dmitri, 'warehouse');
}

export async function requisitionCount(db: Database, where?: { submissionKey: string }): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(requisitions)
    .where(where ? eq(requisitions.submissionKey, where.submissionKey) : undefined);
  return row!.n;
}

/** Issue moves of one requisition, per SKU: how many and how much. */
export async function issueMoves(db: Database, number: string): Promise<{ sku: string; moves: number; quantity: string }[]> {
  return (await db.execute(sql`
    select i.sku, count(*)::int as moves, ledger_num(-sum(m.quantity)) as quantity
      from stock_moves m join items i on i.id = m.item_id
     where m.document_type = 'requisition' and m.document_id = ${number} and m.type = 'issue'
     group by i.sku order by i.sku`)) as unknown as { sku: string; moves: number; quantity: string }[];
}

/** Every text in a message's blocks (section text and fields, context, header), for assertions. */
export function blockText(message: Pick<Message, 'blocks'> | undefined): string {
  const parts: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.text === 'string') parts.push(o.text);
      for (const [k, child] of Object.entries(o)) if (k !== 'text' || typeof child !== 'string') walk(child);
    }
  };
  walk(message?.blocks ?? []);
  return parts.join('\n');
}

/** Action ids of the buttons in a message. */
export function buttons(message: Pick<Message, 'blocks'> | undefined): string[] {
  return ((message?.blocks ?? []) as { type: string; elements?: { type: string; action_id?: string }[] }[])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements ?? [])
    .filter((e) => e.type === 'button')
    .map((e) => e.action_id!);
}

/** Slack gives up on an ack after 3 s; every request the local Slack sent is checked against that. */
export const SLACK_ACK_MS = 3_000;

/** Requests acked too late for Slack (refused ones included: a 401 must be quick too). */
export function slowAcks(deliveries: readonly Delivery[]): { kind: string; ms: number; status: number }[] {
  return deliveries.filter((d) => d.ms >= SLACK_ACK_MS).map((d) => ({ kind: d.kind, ms: Math.round(d.ms), status: d.status }));
}
