import { afterAll, beforeAll, expect, test } from 'vitest';
import { freePort } from '../../runtime/embedded-postgres.js';
import { loadConfig } from '../../runtime/config.js';
import { createLogger } from '../../runtime/logger.js';
import { startStockroom, type Stockroom } from '../../runtime/start.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { inject } from 'vitest';
import crypto from 'node:crypto';

let database: TestDatabase;
let stockroom: Stockroom;

beforeAll(async () => {
  database = await createTestDatabase();
  const config = loadConfig({
    DATABASE_URL: database.url,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_NAMESPACE: `start-${crypto.randomBytes(4).toString('hex')}`,
    PORT: String(await freePort()),
    LOG_LEVEL: 'silent',
    STOCKROOM_SANDBOX: '0', // no Slack at all (test/sandbox/start.test.ts covers the sandbox default)
  });
  stockroom = await startStockroom(config, createLogger('silent'));
});
afterAll(async () => {
  await stockroom?.stop();
  await database?.drop();
});

test('/healthz names every part and answers 200 while all are up', async () => {
  const res = await fetch(`http://127.0.0.1:${stockroom.port}/healthz`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { status: string; parts: Record<string, { state: string }> };
  expect(body.status).toBe('ok');
  expect(Object.keys(body.parts).sort()).toEqual(['database', 'slack', 'temporal', 'worker']);
  expect(body.parts.database!.state).toBe('external');
  expect(body.parts.temporal!.state).toBe('up');
  expect(body.parts.worker!.state).toBe('up');
  expect(body.parts.slack!.state).toBe('not configured');
});

test('/healthz answers 503 and names the part once the worker is down', async () => {
  stockroom.worker!.shutdown();
  const res = await fetch(`http://127.0.0.1:${stockroom.port}/healthz`);
  expect(res.status).toBe(503);
  const body = (await res.json()) as { parts: Record<string, { state: string }> };
  expect(body.parts.worker!.state).toBe('down');
  expect(body.parts.database!.state).toBe('external');
});

test('start-up creates every Temporal Schedule once, in the stockroom time zone', async () => {
  const { COUNTING_SCHEDULE_IDS, REQUISITION_SCHEDULE_IDS, RESTOCK_SCHEDULE_IDS } = await import('../../workflows/ids.js');
  const { ensureAllSchedules } = await import('../../runtime/schedules.js');
  const expected = [
    ...Object.values(REQUISITION_SCHEDULE_IDS),
    ...Object.values(RESTOCK_SCHEDULE_IDS),
    ...Object.values(COUNTING_SCHEDULE_IDS),
  ].sort();
  const listed: string[] = [];
  for await (const schedule of stockroom.temporal.client.schedule.list()) listed.push(schedule.scheduleId);
  expect(listed.sort()).toEqual(expected);
  // A second start (or a second process) updates them in place: nothing new is created.
  const again = await ensureAllSchedules(stockroom.temporal.client, stockroom.database.db);
  expect(again.created).toEqual([]);
  expect(again.updated.sort()).toEqual(expected);
  const described = await stockroom.temporal.client.schedule.getHandle(RESTOCK_SCHEDULE_IDS.reorderCheckDaily).describe();
  expect(described.spec.calendars?.[0]?.hour).toEqual([{ start: 6, end: 6, step: 1 }]);
});
