import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { assignRole } from '../../db/queries/people.js';
import { createPurchaseOrder, ensureVendor } from '../../db/queries/purchasing.js';
import { purchaseOrderWorkflowId } from '../../workflows/ids.js';
import {
  approvePurchaseOrder,
  getPurchaseOrder,
  receiveGoods,
  recordInvoice,
  submitPurchaseOrder,
  type PurchaseOrderEvent,
  type PurchaseOrderView,
} from '../../workflows/purchase-order-messages.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { createTimeSkippingEnv } from '../helpers/temporal.js';
import { PEOPLE, recordingActivities, seedRequisitionWorld, TEST_SETTINGS } from '../helpers/requisitions.js';
import { eventually } from '../helpers/eventually.js';

// The purchase order's durable timers with their real durations, on Temporal's time-skipping test
// server: the approver's reminder after a day, the buyer's overdue reminder once the expected day
// has passed and then weekly, and the wait for the supplier invoice after the goods are in.

const BUYER = 'U0BUY00001';
let env: TestWorkflowEnvironment;
let database: TestDatabase;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  database = await createTestDatabase();
  await seedRequisitionWorld(database.db);
  await ensureVendor(database.db, { code: 'ACME', name: 'Acme Office', defaultLeadTimeDays: '7' });
  await assignRole(database.db, { subject: { kind: 'user', id: BUYER }, role: 'buyer', grantedBy: 'test' });
});

afterAll(async () => {
  await env?.teardown();
  await database?.drop();
});

const until = (read: () => Promise<PurchaseOrderView>, ready: (v: PurchaseOrderView) => boolean, what: string): Promise<PurchaseOrderView> =>
  eventually(read, ready, what);

test('approver reminded after a day; buyer reminded when the goods are overdue, then weekly; the workflow ends on a matching invoice', async () => {
  const taskQueue = 'purchase-order-timers';
  const { activities, calls } = recordingActivities(createActivities({ db: database.db, settings: TEST_SETTINGS }));
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    workflowBundle: { codePath: inject('workflowBundle') },
    activities,
  });
  const po = await createPurchaseOrder(database.db, { key: 'timers-1', vendor: 'ACME', buyer: BUYER, createdBy: BUYER, lines: [{ sku: 'PAPER', quantity: '40', unitPrice: '9' }] });
  const events = () => calls.filter((c) => c.name === 'notifyPurchaseOrder').map((c) => (c.input as { event: PurchaseOrderEvent }).event);

  await worker.runUntil(async () => {
    const handle = await env.client.workflow.start('purchaseOrderWorkflow', { taskQueue, workflowId: purchaseOrderWorkflowId(po.number), args: [{ number: po.number }] });
    const read = () => handle.query(getPurchaseOrder);
    await until(read, (v) => v.status === 'draft', 'the draft');
    await handle.executeUpdate(submitPurchaseOrder, { args: [{ actor: BUYER }] });
    await until(read, (v) => v.status === 'awaiting_approval', 'awaiting approval');

    // 360 needs the Manager level; the lead (1,000) is asked and reminded after a day.
    await env.sleep('25 hours');
    const reminded = await until(read, (v) => v.approvals[0]!.reminders === 1, 'the approval reminder');
    expect(reminded.approvals[0]).toMatchObject({ asked: [PEOPLE.lead], reminders: 1, escalations: 0 });
    expect(calls.filter((c) => c.name === 'remindPurchaseOrderApprover').map((c) => (c.input as { approver: string }).approver)).toEqual([PEOPLE.lead]);
    await handle.executeUpdate(approvePurchaseOrder, { args: [{ actor: PEOPLE.lead }] });

    const sent = await until(read, (v) => v.status === 'sent', 'sent');
    const expectedAt = sent.expectedAt!;
    // A partial delivery before the due date: no reminder.
    await handle.executeUpdate(receiveGoods, { args: [{ actor: PEOPLE.warehouse, key: 'part', lines: [{ lineNo: 1, quantity: '10', location: 'Main/A/1' }] }] });
    // Overdue means the whole expected day has passed: an hour before its end, nothing yet.
    const overdueAt = Date.parse(`${expectedAt}T00:00:00Z`) + 86_400_000;
    await env.sleep(overdueAt - (await env.currentTimeMs()) - 3_600_000);
    expect((await read()).overdueReminders).toBe(0);
    // Past the end of the expected day: the buyer hears once, with what is still open.
    await env.sleep('2 hours');
    await until(read, (v) => v.overdueReminders === 1, 'the overdue reminder');
    expect(events().filter((e) => e.kind === 'overdue')).toEqual([{ kind: 'overdue', expectedAt, reminder: 1 }]);
    await env.sleep('7 days');
    await until(read, (v) => v.overdueReminders === 2, 'the weekly repeat');

    await handle.executeUpdate(receiveGoods, { args: [{ actor: PEOPLE.warehouse, key: 'rest', lines: [{ lineNo: 1, quantity: '30', location: 'Main/A/1' }] }] });
    await until(read, (v) => v.status === 'received', 'received');
    // Goods in: the workflow waits for the supplier invoice (a matching one ends it).
    await env.sleep('10 days');
    expect((await handle.describe()).status.name).toBe('RUNNING');
    await handle.executeUpdate(recordInvoice, { args: [{ actor: BUYER, key: 'inv', invoiceNumber: 'A-1', lines: [{ lineNo: 1, quantity: '40', unitPrice: '9' }] }] });
    expect(await handle.result()).toMatchObject({ status: 'received', lines: [{ ordered: '40', received: '40' }] });
    expect(events().filter((e) => e.kind === 'overdue')).toHaveLength(2);
  });
});
