import { WebClient } from '@slack/web-api';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { issue, receive, type IssueInput, type ReceiveInput } from '../../db/queries/ledger.js';
import { ensureVendor, upsertReorderPolicy } from '../../db/queries/purchasing.js';
import { stockAlerts } from '../../db/schema/index.js';
import { requisitionHandle, submitRequisition } from '../../runtime/requisitions.js';
import { ensureRestockSchedules } from '../../runtime/schedules.js';
import { createLogger } from '../../runtime/logger.js';
import { installTemporalLogging } from '../../runtime/temporal-logging.js';
import { LocalSlack } from '../../sandbox/index.js';
import { restockWorkflowId, RESTOCK_SCHEDULE_IDS } from '../../workflows/ids.js';
import { confirmPick, getStatus } from '../../workflows/requisition-messages.js';
import { getRestockStatus, type RestockView } from '../../workflows/restock-messages.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { recordHistoryFixture } from '../helpers/histories.js';
import { PEOPLE, seedRequisitionWorld, submissionKey, TEST_SETTINGS, today, waitForView } from '../helpers/requisitions.js';
import { connectTestTemporal, type RunningWorker, type TestTemporal } from '../helpers/temporal.js';
import { eventually } from '../helpers/eventually.js';

const ALERTS = 'C0STOCKALR';
let database: TestDatabase;
let temporal: TestTemporal;
let slack: LocalSlack;
let worker: RunningWorker | undefined;

beforeAll(async () => {
  installTemporalLogging(createLogger(process.env.LOG_LEVEL ?? 'silent'));
  database = await createTestDatabase();
  temporal = await connectTestTemporal();
  slack = await LocalSlack.start();
  await seedRequisitionWorld(database.db); // PEN: 100 on hand in Main/A/1 at 2.00
  await ensureVendor(database.db, { code: 'ACME', name: 'Acme Office' });
  await upsertReorderPolicy(database.db, { sku: 'PEN', vendor: 'ACME', reorderPointMode: 'manual', reorderPoint: '40', max: '150', orderMultiple: '10' });
  await upsertReorderPolicy(database.db, { sku: 'PAPER', vendor: 'ACME', reorderPointMode: 'manual', reorderPoint: '10', max: '100' });
  const web = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
  worker = await temporal.startWorker(
    createActivities({ db: database.db, slack: web, settings: TEST_SETTINGS, restock: { alertsChannel: ALERTS } }),
  );
});

afterAll(async () => {
  await worker?.stop();
  await slack?.stop();
  await temporal?.close();
  await database?.drop();
});

const restock = (sku: string) => temporal.client.workflow.getHandle(restockWorkflowId(sku));
const restockView = (sku: string) => () => restock(sku).query(getRestockStatus);

const alertMessages = (sku: string) => slack.messages(ALERTS).filter((m) => (m.text ?? '').includes(sku));

async function executions(sku: string): Promise<{ runId: string; status: string }[]> {
  const found: { runId: string; status: string }[] = [];
  for await (const w of temporal.client.workflow.list({ query: `WorkflowId = '${restockWorkflowId(sku)}'` })) found.push({ runId: w.runId, status: w.status.name });
  return found;
}

describe('restock trigger and alerts', () => {
  test('concurrent reservations crossing the reorder point start exactly one restock workflow and one alert', async () => {
    // Eight requisitions of 10 pens at once: available goes 100 → 20, past the reorder point of 40.
    const submitted = await Promise.all(
      Array.from({ length: 8 }, () =>
        submitRequisition(
          { db: database.db, client: temporal.client },
          { submissionKey: submissionKey(), requester: PEOPLE.requester, costCenter: 'OPS', reason: 'Pens', lines: [{ sku: 'PEN', quantity: '10' }], today: today() },
        ),
      ),
    );
    for (const s of submitted) {
      await waitForView(() => requisitionHandle(temporal.client, s.number).query(getStatus), (v) => v.status === 'picking', `${s.number} picking`);
    }
    const view = await eventually(restockView('PEN'), (v: RestockView) => v.alertOpen && v.figures?.available === '20', 'the restock workflow to see 20 available');
    expect(view.figures).toMatchObject({ status: 'low', onHand: '100', reserved: '80', available: '20', reorderPoint: '40', suggestedQuantity: '130', vendorCode: 'ACME' });
    const runs = await eventually(() => executions('PEN'), (r) => r.length > 0, 'the execution to be listed');
    expect(runs).toHaveLength(1);
    expect(runs[0]!.status).toBe('RUNNING');
    const messages = await eventually(async () => alertMessages('PEN'), (m) => m.length > 0, 'the alert');
    expect(messages).toHaveLength(1);
    // Posted with the figures of the check that first saw the crossing (40, 30 or 20 available): once, not per move.
    expect(messages[0]!.text).toMatch(/^Low stock: PEN Ballpoint pen, (40|30|20) ea available, reorder point 40$/);
    expect(JSON.stringify(messages[0]!.blocks)).toContain('Create purchase order');
    const open = await database.db.select().from(stockAlerts).where(sql`${stockAlerts.resolvedAt} is null`);
    expect(open).toHaveLength(1);

    // Picking issues the pens: on hand and reserved fall together, available stays 20, the alert stays one message.
    for (const s of submitted) {
      const handle = requisitionHandle(temporal.client, s.number);
      await handle.executeUpdate(confirmPick, { args: [{ actor: PEOPLE.warehouse, lines: [{ lineNo: 1, picked: '10' }] }] });
    }
    await eventually(restockView('PEN'), (v: RestockView) => v.figures?.onHand === '20', 'the restock workflow to see the issues');
    expect(alertMessages('PEN')).toHaveLength(1);
    expect(await executions('PEN')).toHaveLength(1);
  });

  test('worse is an update of the same message; recovery marks it recovered and ends the episode; a new crossing is a new alert', async () => {
    // Walk-up issue of the last 20 (activities wrapped with the trigger): stockout.
    const activities = createActivities({ db: database.db, settings: TEST_SETTINGS });
    const { MockActivityEnvironment } = await import('@temporalio/testing');
    const env = new MockActivityEnvironment(undefined, { client: temporal.client });
    const walkUp = (key: string, quantity: string): IssueInput => ({ key, sku: 'PEN', location: 'Main/A/1', quantity, document: { type: 'manual', id: 'walk-up' }, actor: 'U0WH', unreserved: true });
    await env.run(activities.issue, walkUp('walkup-1', '20'));
    await eventually(restockView('PEN'), (v: RestockView) => v.figures?.status === 'stockout', 'the stockout');
    const [message] = await eventually(async () => alertMessages('PEN'), (m) => m[0]?.text?.startsWith('Stockout') ?? false, 'the message updated to stockout');
    expect(alertMessages('PEN')).toHaveLength(1);
    expect(message!.text).toBe('Stockout: PEN Ballpoint pen, 0 ea available, reorder point 40');

    // Goods arrive (a receipt through the wrapped activity): back above 40, the message says recovered, the workflow ends.
    const delivery: ReceiveInput = { key: 'recv-1', sku: 'PEN', location: 'Main/A/1', quantity: '150', unitCost: '2', document: { type: 'manual', id: 'delivery' }, actor: 'U0WH' };
    await env.run(activities.receive, delivery);
    const outcome = await restock('PEN').result();
    expect(outcome).toMatchObject({ sku: 'PEN', status: 'ok', recovered: true });
    recordHistoryFixture('restock-low-stockout-recovered', await restock('PEN').fetchHistory());
    const recovered = alertMessages('PEN');
    expect(recovered).toHaveLength(1);
    expect(recovered[0]!.text).toBe('Recovered: PEN Ballpoint pen, 150 ea available');
    expect(JSON.stringify(recovered[0]!.blocks)).not.toContain('Create purchase order');
    const episodes = await database.db.select().from(stockAlerts);
    expect(episodes).toHaveLength(1);
    expect(episodes[0]!.resolvedAt).toBeInstanceOf(Date);

    // A move above the reorder point starts nothing.
    await env.run(activities.issue, walkUp('walkup-2', '10'));
    expect((await executions('PEN')).filter((r) => r.status === 'RUNNING')).toHaveLength(0);
    // The next crossing opens a second episode with its own message.
    await env.run(activities.issue, walkUp('walkup-3', '105'));
    await eventually(async () => alertMessages('PEN'), (m) => m.length === 2, 'a second alert');
    expect(alertMessages('PEN')[1]!.text).toBe('Low stock: PEN Ballpoint pen, 35 ea available, reorder point 40');
    const all = await database.db.select().from(stockAlerts).orderBy(stockAlerts.openedAt);
    expect(all.map((a) => [a.kind, a.resolvedAt === null])).toEqual([
      ['stockout', false],
      ['low_stock', true],
    ]);
  });
});

describe('daily schedule', () => {
  test('created idempotently; a run finds an item that went low without a trigger and starts its workflow', async () => {
    expect(await ensureRestockSchedules(temporal.client)).toEqual({ created: [RESTOCK_SCHEDULE_IDS.reorderCheckDaily], updated: [] });
    expect(await ensureRestockSchedules(temporal.client)).toEqual({ created: [], updated: [RESTOCK_SCHEDULE_IDS.reorderCheckDaily] });
    const schedule = temporal.client.schedule.getHandle(RESTOCK_SCHEDULE_IDS.reorderCheckDaily);
    const description = await schedule.describe();
    expect(description.spec.calendars).toHaveLength(1); // the cron, 06:00 UTC daily
    expect(description.action).toMatchObject({ type: 'startWorkflow', workflowType: 'reorderCheckWorkflow' });
    const listed: string[] = [];
    for await (const s of temporal.client.schedule.list()) listed.push(s.scheduleId);
    expect(listed.filter((id) => id === RESTOCK_SCHEDULE_IDS.reorderCheckDaily)).toHaveLength(1);

    // PAPER (80 on hand, reorder point 10) drops to 5 through the ledger directly: no activity, no trigger.
    await issue(database.db, { key: 'paper-out', sku: 'PAPER', location: 'Main/A/1', quantity: '30', document: { type: 'manual', id: 'x' }, actor: 'U0WH', unreserved: true });
    await issue(database.db, { key: 'paper-out-2', sku: 'PAPER', location: 'Main/A/2', quantity: '45', document: { type: 'manual', id: 'x' }, actor: 'U0WH', unreserved: true });
    expect(await executions('PAPER')).toHaveLength(0);
    await schedule.trigger();
    const view = await eventually(restockView('PAPER'), (v: RestockView) => v.alertOpen, 'the daily check to start PAPER');
    expect(view.figures).toMatchObject({ status: 'low', available: '5', reorderPoint: '10' });
    await eventually(async () => alertMessages('PAPER'), (m) => m.length === 1, 'the PAPER alert');
    await eventually(() => schedule.describe(), (d) => d.info.runningActions.length === 0, 'the first run to finish');
    await receive(database.db, { key: 'paper-in', sku: 'PAPER', location: 'Main/A/1', quantity: '95', unitCost: '10', document: { type: 'manual', id: 'x' }, actor: 'U0WH' });
    await schedule.trigger();
    expect(await restock('PAPER').result()).toMatchObject({ status: 'ok', recovered: true });
    await schedule.delete();
  });
});
