import { expect, test } from 'vitest';
import { surfaceOf } from '../../bot/ack-timing.js';
import type { Database } from '../../db/client.js';
import { createMetrics } from '../../runtime/metrics.js';

/** The activity interceptor as the worker runs it: one attempt, its context, the next step. */
async function attempt(metrics: ReturnType<typeof createMetrics>, activityType: string, outcome: () => Promise<unknown>) {
  const interceptor = metrics.activityInterceptor({ info: { activityType } } as never).inbound!;
  return interceptor.execute!({ args: [], headers: {} }, outcome as never);
}

test('activity attempts, their failures by kind and the ledger moves they post are counted; requisitions by status come from the database', async () => {
  const db = { execute: async () => [{ status: 'issued', n: 3 }, { status: 'backordered', n: 1 }] } as unknown as Database;
  const metrics = createMetrics({ role: 'worker', db });
  await attempt(metrics, 'issueRequisitionLine', async () => 'ok');
  await attempt(metrics, 'issueRequisitionLine', async () => 'ok');
  await attempt(metrics, 'postPurchaseOrderReceipt', async () => 'ok');
  await attempt(metrics, 'notifyRequester', async () => 'ok');
  const refused = Object.assign(new Error('insufficient stock'), { type: 'LedgerError' });
  await expect(attempt(metrics, 'reserveRequisitionLine', async () => Promise.reject(refused))).rejects.toBe(refused);
  await expect(attempt(metrics, 'postToSlack', async () => Promise.reject(new TypeError('fetch failed')))).rejects.toThrow('fetch failed');

  const text = await metrics.registry.metrics();
  expect(text).toContain('stockroom_ledger_moves_total{operation="issue",role="worker"} 2');
  expect(text).toContain('stockroom_ledger_moves_total{operation="receive",role="worker"} 1');
  expect(text).not.toMatch(/stockroom_ledger_moves_total\{operation="reserve"/); // refused: no move
  expect(text).toContain('stockroom_activities_total{activity="notifyRequester",role="worker"} 1');
  expect(text).toContain('stockroom_activity_failures_total{activity="reserveRequisitionLine",kind="LedgerError",role="worker"} 1');
  expect(text).toContain('stockroom_activity_failures_total{activity="postToSlack",kind="TypeError",role="worker"} 1');
  expect(text).toContain('stockroom_requisitions{status="issued",role="worker"} 3');
  expect(text).toContain('stockroom_requisitions{status="backordered",role="worker"} 1');
});

test('an ack is labelled by its slash command, payload type or event type', () => {
  expect(surfaceOf({ command: '/request', text: '' })).toBe('/request');
  expect(surfaceOf({ type: 'block_actions' })).toBe('block_actions');
  expect(surfaceOf({ type: 'event_callback', event: { type: 'app_home_opened' } })).toBe('event:app_home_opened');
  expect(surfaceOf({})).toBe('unknown');
});
