import { WebClient } from '@slack/web-api';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { availability } from '../../db/queries/ledger.js';
import { assignRole } from '../../db/queries/people.js';
import { ensureVendor, getPurchaseOrder, upsertReorderPolicy } from '../../db/queries/purchasing.js';
import { getRequisition } from '../../db/queries/requisitions.js';
import { purchaseOrderApprovals, purchaseOrders, slackMessages, stockMoves } from '../../db/schema/index.js';
import { createLogger } from '../../runtime/logger.js';
import { draftFromBackorders, purchaseOrderClick, purchaseOrderHandle, startPurchaseOrder } from '../../runtime/purchasing.js';
import { requisitionHandle, submitRequisition } from '../../runtime/requisitions.js';
import { installTemporalLogging } from '../../runtime/temporal-logging.js';
import { LocalSlack } from '../../sandbox/index.js';
import {
  approvePurchaseOrder,
  cancelPurchaseOrder,
  getPurchaseOrder as getPoView,
  receiveGoods,
  recordInvoice,
  rejectPurchaseOrder,
  submitPurchaseOrder,
  type PurchaseOrderView,
} from '../../workflows/purchase-order-messages.js';
import { confirmPick, getStatus, type RequisitionView } from '../../workflows/requisition-messages.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { recordHistoryFixture } from '../helpers/histories.js';
import { ledgerFacts, PEOPLE, seedRequisitionWorld, submissionKey, TEST_SETTINGS, today, waitForView } from '../helpers/requisitions.js';
import { connectTestTemporal, type RunningWorker, type TestTemporal } from '../helpers/temporal.js';
import { eventually } from '../helpers/eventually.js';

const BUYER = 'U0BUY00001';
let database: TestDatabase;
let temporal: TestTemporal;
let slack: LocalSlack;
let worker: RunningWorker | undefined;
let poSeq = 0;

beforeAll(async () => {
  installTemporalLogging(createLogger(process.env.LOG_LEVEL ?? 'silent'));
  database = await createTestDatabase();
  temporal = await connectTestTemporal();
  slack = await LocalSlack.start();
  for (const [id, name] of Object.entries({ U0REQ: 'requester', U0LEAD: 'lead', U0MGR: 'manager', U0DIR: 'director', U0WH: 'warehouse' })) {
    slack.addUser({ id, name });
  }
  await seedRequisitionWorld(database.db);
  await ensureVendor(database.db, { code: 'ACME', name: 'Acme Office', defaultLeadTimeDays: '7' });
  await assignRole(database.db, { subject: { kind: 'user', id: BUYER }, role: 'buyer', grantedBy: 'test' });
  // The buyer may approve up to 5,000, but never their own purchase orders.
  await assignRole(database.db, { subject: { kind: 'user', id: BUYER }, role: 'approver', approvalLimit: '5000', grantedBy: 'test' });
  const web = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
  worker = await temporal.startWorker(createActivities({ db: database.db, slack: web, settings: TEST_SETTINGS, restock: { alertsChannel: 'C0STOCKALR' } }));
});

afterAll(async () => {
  await worker?.stop();
  await slack?.stop();
  await temporal?.close();
  await database?.drop();
});

const deps = () => ({ db: database.db, client: temporal.client });

async function draft(lines: { sku: string; quantity: string; unitPrice?: string; requisitionLineId?: string }[]) {
  const started = await startPurchaseOrder(deps(), { key: `po-test-${++poSeq}`, vendor: 'ACME', buyer: BUYER, createdBy: BUYER, lines });
  return { number: started.number, handle: purchaseOrderHandle(temporal.client, started.number) };
}

const until = (handle: WorkflowHandle, ready: (v: PurchaseOrderView) => boolean, what: string): Promise<PurchaseOrderView> =>
  eventually(() => handle.query(getPoView), ready, what);

async function refusal(update: Promise<unknown>): Promise<string> {
  const err = await update.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  return (err as WorkflowUpdateFailedError).cause?.message ?? '';
}

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe('purchase order approval and receiving', () => {
  test('approve → sent → partial receipt → over-receipt refused → received; invoice checked three ways', async () => {
    const { number, handle } = await draft([{ sku: 'PAPER', quantity: '50', unitPrice: '8' }]);
    await until(handle, (v) => v.status === 'draft', 'the draft');
    expect(await refusal(handle.executeUpdate(submitPurchaseOrder, { args: [{ actor: PEOPLE.stranger }] }))).toBe('Only buyers can submit purchase orders.');
    await handle.executeUpdate(submitPurchaseOrder, { args: [{ actor: BUYER }] });

    // 400 needs level 1 (Manager); the smallest sufficient limit is asked first: the lead (1,000). The buyer is never routed.
    const waiting = await until(handle, (v) => v.status === 'awaiting_approval', 'awaiting approval');
    expect(waiting.approvals).toMatchObject([{ level: 1, name: 'Manager', requiredLimit: '400', state: 'waiting', asked: [PEOPLE.lead] }]);
    expect(await refusal(handle.executeUpdate(approvePurchaseOrder, { args: [{ actor: BUYER, level: 1 }] }))).toBe(
      `You are the buyer of ${number}; someone else must approve or reject it.`,
    );
    expect(await refusal(handle.executeUpdate(approvePurchaseOrder, { args: [{ actor: PEOPLE.stranger }] }))).toMatch(/not an approver for level 1/);
    // The request DM is posted by the activity after the state change the query showed: wait for it.
    const asked = `Approval requested: ${number} from Acme Office, 400.00`;
    await eventually(async () => slack.dm(PEOPLE.lead).at(-1)?.text, (text) => text === asked, 'the approval request DM');
    const decision = await handle.executeUpdate(approvePurchaseOrder, { args: [{ actor: PEOPLE.lead, level: 1 }] });
    expect(decision).toMatchObject({ decision: 'approved', message: `You approved ${number}.` });
    expect(await refusal(handle.executeUpdate(approvePurchaseOrder, { args: [{ actor: PEOPLE.lead, level: 1 }] }))).toBe(
      `Level 1 of ${number} was already approved by <@${PEOPLE.lead}>.`,
    );

    const sent = await until(handle, (v) => v.status === 'sent', 'sent');
    expect(sent.expectedAt).toBe(inDays(7)); // no policy for PAPER with ACME: the vendor's 7 days
    const [row] = await database.db.select().from(purchaseOrders).where(eq(purchaseOrders.number, number));
    expect(row).toMatchObject({ status: 'sent', expectedAt: inDays(7) });
    expect(row!.sentAt).toBeInstanceOf(Date);

    // Only warehouse staff and buyers receive.
    expect(await refusal(handle.executeUpdate(receiveGoods, { args: [{ actor: PEOPLE.requester, key: 'r0', lines: [{ lineNo: 1, quantity: '1', location: 'Main/A/2' }] }] }))).toBe(
      'Only warehouse staff and buyers can receive goods.',
    );
    const before = (await availability(database.db, { sku: 'PAPER' })).onHand;
    const partial = await handle.executeUpdate(receiveGoods, { args: [{ actor: PEOPLE.warehouse, key: 'r1', lines: [{ lineNo: 1, quantity: '20', location: 'Main/A/2', lot: 'LOT-9' }] }] });
    expect(partial).toMatchObject({ status: 'partially_received', posted: [{ lineNo: 1, sku: 'PAPER', quantity: '20', location: 'Main/A/2', lot: 'LOT-9' }] });
    expect((await availability(database.db, { sku: 'PAPER' })).onHand).toBe(String(Number(before) + 20));
    const moves = await database.db.select().from(stockMoves).where(and(eq(stockMoves.documentType, 'purchase_order'), eq(stockMoves.documentId, number)));
    expect(moves.map((m) => [m.type, m.quantity, m.unitCost])).toEqual([['receipt', '20.0000', '8.0000']]);

    // 30 open; 5 % of 50 lets the line reach 52 in all: 33 more is refused with the numbers, 32 would pass.
    expect(await refusal(handle.executeUpdate(receiveGoods, { args: [{ actor: PEOPLE.warehouse, key: 'r2', lines: [{ lineNo: 1, quantity: '33', location: 'Main/A/2' }] }] }))).toBe(
      'Over-receipt refused: PAPER has 30 still open (ordered 50, received 20); at most 32 can be received with the 5 % tolerance.',
    );
    // The same receipt resubmitted (Slack retry) posts nothing twice.
    expect(await handle.executeUpdate(receiveGoods, { args: [{ actor: PEOPLE.warehouse, key: 'r1', lines: [{ lineNo: 1, quantity: '20', location: 'Main/A/2' }] }] })).toMatchObject({
      message: expect.stringContaining('20 PAPER'),
    });
    expect(await database.db.select().from(stockMoves).where(and(eq(stockMoves.documentType, 'purchase_order'), eq(stockMoves.documentId, number)))).toHaveLength(1);

    const rest = await handle.executeUpdate(receiveGoods, { args: [{ actor: BUYER, key: 'r3', lines: [{ lineNo: 1, quantity: '30', location: 'Main/A/2' }] }] });
    expect(rest.status).toBe('received');
    expect((await getPurchaseOrder(database.db, number))!.lines[0]).toMatchObject({ ordered: '50', received: '50', cancelled: '0' });

    // Three-way match: billed above the PO price is flagged to the buyer; the corrected invoice matches and the PO is done.
    const wrong = await handle.executeUpdate(recordInvoice, { args: [{ actor: BUYER, key: 'inv-1', invoiceNumber: 'INV-77', lines: [{ lineNo: 1, quantity: '50', unitPrice: '8.50' }] }] });
    expect(wrong).toMatchObject({ status: 'mismatch', mismatches: [{ lineNo: 1, field: 'unit_price', message: 'PAPER: invoiced at 8.50, ordered at 8.00.' }] });
    const right = await handle.executeUpdate(recordInvoice, { args: [{ actor: BUYER, key: 'inv-2', invoiceNumber: 'INV-78', lines: [{ lineNo: 1, quantity: '50', unitPrice: '8' }] }] });
    expect(right.status).toBe('matched');
    expect(await handle.result()).toEqual({ number, status: 'received', lines: [{ lineNo: 1, sku: 'PAPER', ordered: '50', received: '50', cancelled: '0' }] });
    // The buyer's card (updated in place to Received) and its thread, which carries the mismatch.
    const [card] = await database.db.select().from(slackMessages).where(eq(slackMessages.idempotencyKey, `${number}/card`));
    expect(slack.message(card!.channel, card!.ts!)?.text).toBe(`${number} (Acme Office): Received, 400.00`);
    const replies = slack.thread(card!.channel, card!.ts!).map((m) => m.text);
    expect(replies).toContain(`:warning: Invoice INV-77 does not match ${number}: PAPER: invoiced at 8.50, ordered at 8.00.`);
    expect(replies).toContain(`${number} is sent to Acme Office; goods expected by ${inDays(7)}.`);
    expect(await database.db.select().from(purchaseOrderApprovals)).toMatchObject([{ level: 1, approverSlackUserId: PEOPLE.lead, decision: 'approved' }]);
    recordHistoryFixture('purchase-order-approved-received-invoiced', await handle.fetchHistory());
  });

  test('reject: a reason is required; the PO is cancelled with its lines', async () => {
    const { number, handle } = await draft([{ sku: 'LAPTOP', quantity: '2', unitPrice: '1400' }]);
    await until(handle, (v) => v.status === 'draft', 'the draft');
    await handle.executeUpdate(submitPurchaseOrder, { args: [{ actor: BUYER }] });
    await until(handle, (v) => v.status === 'awaiting_approval', 'awaiting approval');
    expect(await refusal(handle.executeUpdate(rejectPurchaseOrder, { args: [{ actor: PEOPLE.manager, reason: ' ' }] }))).toBe('Say why you reject it (a reason is required).');
    await handle.executeUpdate(rejectPurchaseOrder, { args: [{ actor: PEOPLE.manager, reason: 'Buy refurbished' }] });
    expect(await handle.result()).toMatchObject({ status: 'cancelled', lines: [{ ordered: '2', received: '0', cancelled: '2' }] });
    const [row] = await database.db.select().from(purchaseOrders).where(eq(purchaseOrders.number, number));
    expect(row).toMatchObject({ status: 'cancelled', cancelReason: 'Rejected: Buy refurbished' });
    expect(await purchaseOrderClick(deps(), number, approvePurchaseOrder, { actor: PEOPLE.manager })).toEqual({
      ok: false,
      message: `${number} is cancelled; there is nothing left to do.`,
    });
    recordHistoryFixture('purchase-order-rejected', await handle.fetchHistory());
  });
});

describe('backorders', () => {
  test('received goods resume the oldest backordered requisition first; it issues exactly once; a cancelled PO tells the other', async () => {
    const submit = () =>
      submitRequisition(deps(), { submissionKey: submissionKey(), requester: PEOPLE.requester, costCenter: 'OPS', reason: 'Glue', lines: [{ sku: 'GLUE', quantity: '10' }], today: today() });
    const older = await submit();
    const newer = await submit();
    const view = (n: string) => () => requisitionHandle(temporal.client, n).query(getStatus);
    for (const r of [older, newer]) await waitForView(view(r.number), (v: RequisitionView) => v.status === 'backordered', `${r.number} backordered`);

    // 10 glue at 5.00 = 50: under the threshold, approved on submit, sent at once.
    const { number, handle } = await draft([{ sku: 'GLUE', quantity: '10', unitPrice: '5' }]);
    await until(handle, (v) => v.status === 'draft', 'the draft');
    await handle.executeUpdate(submitPurchaseOrder, { args: [{ actor: BUYER }] });
    await until(handle, (v) => v.status === 'sent', 'sent');
    expect((await handle.query(getPoView)).autoApproved).toBe(true);
    await handle.executeUpdate(receiveGoods, { args: [{ actor: PEOPLE.warehouse, key: 'glue-1', lines: [{ lineNo: 1, quantity: '10', location: 'Main/B/1' }] }] });

    const picking = await waitForView(view(older.number), (v) => v.status === 'picking', 'the older requisition picking');
    expect(picking.lines[0]).toMatchObject({ reserved: '10', backordered: '0' });
    expect(await view(newer.number)()).toMatchObject({ status: 'backordered', lines: [{ reserved: '0', backordered: '10' }] });
    expect(await until(handle, (v) => v.status === 'received', 'received')).toMatchObject({ receipts: 1 });

    await requisitionHandle(temporal.client, older.number).executeUpdate(confirmPick, { args: [{ actor: PEOPLE.warehouse, lines: [{ lineNo: 1, picked: '10' }] }] });
    expect(await requisitionHandle(temporal.client, older.number).result()).toMatchObject({ status: 'issued' });
    expect(await ledgerFacts(database.db, older.number)).toEqual({ issues: 1, issued: '10', open: '0' });
    expect((await availability(database.db, { sku: 'GLUE' })).onHand).toBe('0');

    // A PO bought for the newer requisition's line, then cancelled: the line loses its PO and the requester is told.
    const [line] = (await database.db.execute(sql`
      select l.id from requisition_lines l join requisitions r on r.id = l.requisition_id where r.number = ${newer.number}`)) as unknown as { id: string }[];
    const second = await draft([{ sku: 'GLUE', quantity: '10', unitPrice: '5', requisitionLineId: line!.id }]);
    expect((await getRequisition(database.db, newer.number))!.lines[0]!.purchaseOrder).toBe(second.number);
    await until(second.handle, (v) => v.status === 'draft', 'the second draft');
    expect(await refusal(second.handle.executeUpdate(cancelPurchaseOrder, { args: [{ actor: PEOPLE.warehouse }] }))).toBe('Only buyers can cancel or close purchase orders.');
    const cancelled = await second.handle.executeUpdate(cancelPurchaseOrder, { args: [{ actor: BUYER, reason: 'Supplier out of stock' }] });
    expect(cancelled).toEqual({ number: second.number, status: 'cancelled', cancelled: [{ lineNo: 1, sku: 'GLUE', quantity: '10' }], message: `${second.number} is cancelled.` });
    expect(await second.handle.result()).toMatchObject({ status: 'cancelled' });
    expect((await getRequisition(database.db, newer.number))!.lines[0]!.purchaseOrder).toBeUndefined();
    expect(slack.dm(PEOPLE.requester).map((m) => m.text)).toContain(
      `${second.number} no longer brings 10 GLUE for ${newer.number}: that line was cancelled. Your requisition stays backordered until stock arrives.`,
    );
    expect(await view(newer.number)()).toMatchObject({ status: 'backordered' });
    recordHistoryFixture('purchase-order-cancelled-draft', await second.handle.fetchHistory());
  }, 90_000);

  test('backordered lines not on a PO are drafted per vendor, rounded up to the order multiple and linked', async () => {
    await upsertReorderPolicy(database.db, { sku: 'GLUE', vendor: 'ACME', reorderPointMode: 'manual', reorderPoint: '0', orderMultiple: '4', unitPrice: '4.5' });
    const r = await submitRequisition(deps(), { submissionKey: submissionKey(), requester: PEOPLE.requester, costCenter: 'OPS', reason: 'Glue', lines: [{ sku: 'GLUE', quantity: '5' }], today: today() });
    await waitForView(() => requisitionHandle(temporal.client, r.number).query(getStatus), (v: RequisitionView) => v.status === 'backordered', 'backordered');
    // Drafting reads the backorder from the database, which the workflow's activity writes after its view changes.
    await eventually(() => getRequisition(database.db, r.number), (q) => q?.lines[0]?.backordered === '5', 'the backorder stored');
    const [line] = (await database.db.execute(sql`
      select l.id from requisition_lines l join requisitions q on q.id = l.requisition_id where q.number = ${r.number}`)) as unknown as { id: string }[];

    const drafted = await draftFromBackorders(deps(), { key: 'bo-1', buyer: BUYER, sku: 'GLUE' });
    expect(drafted.withoutVendor).toEqual([]);
    expect(drafted.started).toHaveLength(1);
    const po = drafted.started[0]!.record;
    expect(po).toMatchObject({ vendorCode: 'ACME', source: 'backorder', status: 'draft' });
    expect(po.lines.find((l) => l.requisitionLineId === line!.id)).toMatchObject({ sku: 'GLUE', ordered: '8', unitPrice: '4.5' }); // 5 → 8 in fours
    expect((await getRequisition(database.db, r.number))!.lines[0]!.purchaseOrder).toBe(po.number);
    // Drafting again finds nothing new for it: the line is on a PO now, so it is never ordered twice.
    expect((await draftFromBackorders(deps(), { key: 'bo-1', buyer: BUYER, sku: 'GLUE' })).started).toEqual([]);
    const again = await draftFromBackorders(deps(), { key: 'bo-2', buyer: BUYER, sku: 'GLUE' });
    expect(again.started.flatMap((s) => s.record.lines.map((l) => l.requisitionLineId))).not.toContain(line!.id);
  });

  test('closing short after a partial receipt: the rest is cancelled and the PO is closed', async () => {
    const { number, handle } = await draft([{ sku: 'PEN', quantity: '20', unitPrice: '2' }]);
    await until(handle, (v) => v.status === 'draft', 'the draft');
    await handle.executeUpdate(submitPurchaseOrder, { args: [{ actor: BUYER }] });
    await until(handle, (v) => v.status === 'sent', 'sent');
    await handle.executeUpdate(receiveGoods, { args: [{ actor: PEOPLE.warehouse, key: 'pen-1', lines: [{ lineNo: 1, quantity: '12', location: 'Main/A/1' }] }] });
    const result = await handle.executeUpdate(cancelPurchaseOrder, { args: [{ actor: BUYER, reason: 'Rest discontinued' }] });
    expect(result).toEqual({ number, status: 'closed', cancelled: [{ lineNo: 1, sku: 'PEN', quantity: '8' }], message: `${number} is closed; what was still open is cancelled.` });
    expect((await getPurchaseOrder(database.db, number))!).toMatchObject({ status: 'closed', lines: [{ ordered: '20', received: '12', cancelled: '8' }] });
    expect(await refusal(handle.executeUpdate(receiveGoods, { args: [{ actor: PEOPLE.warehouse, key: 'pen-2', lines: [{ lineNo: 1, quantity: '1', location: 'Main/A/1' }] }] }))).toBe(
      'Nothing can be received on a purchase order that is closed.',
    );
  });
});
