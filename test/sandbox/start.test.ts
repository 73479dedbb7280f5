import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { freePort } from '../../runtime/embedded-postgres.js';
import { loadConfig } from '../../runtime/config.js';
import { createLogger, logFormat } from '../../runtime/logger.js';
import { startStockroom, type Stockroom } from '../../runtime/start.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { removeDataDir } from '../../runtime/postgres-home.js';

/** `npm start` without Slack credentials: the sandbox is mounted on the app's port and the bot is wired to it. */
let database: TestDatabase;
let stockroom: Stockroom;
let dataDir: string;
/** What a newcomer's terminal shows: the readable format, as on a TTY. */
let startLog = '';

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stockroom-sandbox-'));
  const config = loadConfig({
    DATABASE_URL: database.url,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_NAMESPACE: `sandbox-${crypto.randomBytes(4).toString('hex')}`,
    PORT: String(await freePort()),
    STOCKROOM_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
  });
  const terminal = new PassThrough();
  terminal.on('data', (chunk: Buffer) => (startLog += chunk.toString('utf8')));
  stockroom = await startStockroom(config, createLogger('info', { format: 'pretty', destination: terminal }));
});
afterAll(async () => {
  await stockroom?.stop();
  await database?.drop();
  if (dataDir) removeDataDir(dataDir);
});

test('with no Slack credentials the sandbox serves /sandbox and the bot talks to it as to Slack', async () => {
  const sandbox = stockroom.sandbox!;
  expect(sandbox).toBeDefined();
  const base = `http://127.0.0.1:${stockroom.port}`;
  expect(sandbox.apiUrl).toBe(`${base}/sandbox/api/`);

  const health = (await (await fetch(`${base}/healthz`)).json()) as {
    parts: Record<string, { state: string; detail?: string }>;
  };
  expect(health.parts.slack).toEqual({ state: 'up', detail: `sandbox, http://localhost:${stockroom.port}/sandbox` });

  const page = await fetch(`${base}/sandbox/`);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('Stockroom sandbox');

  // A signed event reaches Bolt (the shared signing secret), and the bot's own client reaches the sandbox's Web API.
  const delivery = await sandbox.openHome('U0REQ00001');
  expect(delivery?.status).toBe(200);
  // Start-up verified the bot once (bot/authorization.ts); the signed request above did not ask again.
  expect(sandbox.callsTo('auth.test')).toHaveLength(1);
  expect(sandbox.callsTo('auth.test')[0]!.response).toMatchObject({ ok: true, user_id: 'U0STOCKBOT' });
});

test('the sandbox shows only the channels Stockroom posts to, each saying what appears there; money has a currency', async () => {
  const base = `http://127.0.0.1:${stockroom.port}`;
  const state = (await (await fetch(`${base}/sandbox/ui/state?user=U0REQ00001`)).json()) as {
    channels: { name: string; isIm: boolean; purpose: string; botIsMember: boolean }[];
  };
  const channels = state.channels.filter((c) => !c.isIm);
  expect(channels.map((c) => c.name)).toEqual(['warehouse', 'stock-alerts']); // no #requests, #purchasing or #general
  expect(channels.every((c) => c.botIsMember && c.purpose.length > 0)).toBe(true);
  // The demo's prices are dollars; without a settings file naming a currency, messages say $.
  expect(stockroom.settings.currency).toBe('$');
});

test('the start log on a terminal is readable, says where to try it, and does not warn that Slack is missing', () => {
  const lines = startLog.trimEnd().split('\n');
  expect(lines.filter((l) => l.startsWith('{'))).toEqual([]); // no JSON lines
  expect(startLog).toMatch(new RegExp(`^\\[\\d\\d:\\d\\d:\\d\\d\\] INFO: Stockroom is running: try it at http://localhost:${stockroom.port}/sandbox \\(no Slack workspace configured`, 'm'));
  expect(startLog).toMatch(/^ {4}health: "http:\/\/localhost:\d+\/healthz"$/m);
  expect(startLog).not.toContain('Slack is not configured');
  expect(startLog).not.toMatch(/WARN: .*Slack/);
  // JSON when asked, or when the output is not a terminal (a pipe, a file, Docker); readable on a terminal.
  expect(logFormat({ LOG_FORMAT: 'json' }, true)).toBe('json');
  expect(logFormat({}, false)).toBe('json');
  expect(logFormat({}, true)).toBe('pretty');
  expect(logFormat({ LOG_FORMAT: 'pretty' }, false)).toBe('pretty');
});
