import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { runAbcClassification } from '../../db/queries/abc.js';
import { buildManagerDigest } from '../../db/queries/digest.js';
import { refitForecasts } from '../../db/queries/forecasting.js';
import { assignRole } from '../../db/queries/people.js';
import { rng } from '../../bench/demand-series.js';
import { DEFAULT_SETTINGS } from '../../runtime/settings.js';
import { LocalSlack } from '../../sandbox/index.js';
import { managerDigestWorkflowId, TASK_QUEUE } from '../../workflows/ids.js';
import { managerDigestWorkflow } from '../../workflows/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { seedIssueHistory } from '../helpers/issue-history.js';
import { connectTestTemporal, type RunningWorker, type TestTemporal } from '../helpers/temporal.js';

// The managers' digest with forecasts: the accuracy line by ABC class and, as a second PNG, actual vs
// forecast for the top A items.

const FARAH = 'U0INV00001';
const NOW = new Date('2026-11-23T08:00:00Z'); // a Monday, the digest's hour

let database: TestDatabase;
let temporal: TestTemporal;
let slack: LocalSlack;
let worker: RunningWorker | undefined;

beforeAll(async () => {
  database = await createTestDatabase();
  temporal = await connectTestTemporal();
  slack = await LocalSlack.start();
  const r = rng(21);
  await seedIssueHistory(database, {
    asOf: NOW,
    days: 728,
    items: [
      // Weekly issues with a yearly swing: the big consumers (A).
      { sku: 'DG-TONER', issue: (d) => (d % 7 === 1 ? Math.round(60 + 30 * Math.sin((2 * Math.PI * d) / 364) + 4 * r.normal()) : 0) },
      { sku: 'DG-PAPER', issue: (d) => (d % 7 === 3 ? Math.round(50 + 5 * r.normal()) : 0) },
      // A spare part now and then (C).
      { sku: 'DG-PART', issue: () => (r.uniform() < 0.02 ? 1 : 0) },
    ],
  });
  await refitForecasts(database.db, { asOf: NOW });
  await runAbcClassification(database.db, { key: 'nov', trigger: 'manual', asOf: NOW });
  await assignRole(database.db, { subject: { kind: 'user', id: FARAH }, role: 'inventory_manager', grantedBy: 'test' });
  const web = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
  worker = await temporal.startWorker(createActivities({ db: database.db, slack: web, settings: DEFAULT_SETTINGS }));
});
afterAll(async () => {
  await worker?.stop();
  await temporal?.close();
  await slack?.stop();
  await database?.drop();
});

test('the digest carries forecast accuracy by ABC class and the top A items’ recent actuals vs forecasts', async () => {
  const digest = await buildManagerDigest(database.db, NOW);
  const byClass = Object.fromEntries(digest.forecast!.byClass.map((c) => [c.abcClass, c]));
  expect(byClass.A!.items).toBeGreaterThanOrEqual(1);
  expect(byClass.A!.items + byClass.B!.items + byClass.C!.items).toBe(3);
  expect(Number(byClass.A!.mase)).toBeGreaterThan(0);
  expect(digest.forecast!.topA.map((t) => t.sku)[0]).toBe('DG-TONER');
  expect(digest.forecast!.topA[0]!.recent).toHaveLength(12);
});

test('the weekly DM has the accuracy line and two PNGs: the usual chart and actual vs forecast', async () => {
  await temporal.client.workflow.execute(managerDigestWorkflow, { taskQueue: TASK_QUEUE, workflowId: managerDigestWorkflowId('fc'), args: [{ at: NOW.toISOString() }] });
  await temporal.client.workflow.execute(managerDigestWorkflow, { taskQueue: TASK_QUEUE, workflowId: managerDigestWorkflowId('fc-again'), args: [{ at: NOW.toISOString() }] });
  const dm = slack.dm(FARAH);
  const digest = dm.find((m) => m.text.startsWith('Stockroom weekly digest 2026-W48'))!;
  expect(JSON.stringify(digest.blocks)).toMatch(/:crystal_ball: \*Forecast accuracy\* \(backtest\): A MASE \d+\.\d\d, bias [+-]\d+\.\d %/);
  expect(slack.callsTo('files.completeUploadExternal')).toHaveLength(2); // once each, the second run uploads nothing
  const names = dm.filter((m) => m.files?.length).map((m) => slack.workspace.file((m.files![0] as { id: string }).id)!.name);
  expect(names.sort()).toEqual(['stockroom-digest-2026-W48.png', 'stockroom-forecasts-2026-W48.png']);
  const file = dm.filter((m) => m.files?.length).map((m) => slack.workspace.file((m.files![0] as { id: string }).id)!).find((f) => f.name.includes('forecasts'))!;
  const bytes = Buffer.from(file.content!, 'base64');
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(bytes.length).toBeGreaterThan(10_000);
});
