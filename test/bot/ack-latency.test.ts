import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { PICK_MODAL, REJECT_MODAL, REQUEST_MODAL, REQUISITION_ACTIONS, SHORTCUTS } from '../../bot/ids.js';
import { submissionKeyFor } from '../../bot/listeners/views/request-submission.js';
import type { Delivery } from '../../sandbox/index.js';
import { issueMoves, requisitionCount, SLACK_ACK_MS, startBotHarness, WHO, type BotHarness } from '../helpers/bot.js';
import { botDriver } from '../helpers/bot-driver.js';
import { startDelayProxy, type DelayProxy } from '../helpers/delay-proxy.js';

/**
 * Temporal, then the database, made slow on purpose (every byte to and from them held, through a TCP proxy):
 * each listener still acks well inside Slack's 3 seconds, and the work it started completes afterwards.
 */
const TEMPORAL_DELAY_MS = 4_000; // any Temporal call takes 8 s or more
const DATABASE_DELAY_MS = 1_000; // each query round trip takes 2 s or more

let proxy: DelayProxy;
let dbProxy: DelayProxy;
let h: BotHarness;

beforeAll(async () => {
  proxy = await startDelayProxy(inject('temporalAddress'));
  h = await startBotHarness({
    temporalAddress: proxy.address,
    appDatabaseUrl: async (url) => {
      const u = new URL(url);
      dbProxy = await startDelayProxy(u.host);
      u.host = dbProxy.address;
      return u.toString();
    },
  });
});
afterAll(async () => {
  if (proxy) proxy.delayMs = 0;
  if (dbProxy) dbProxy.delayMs = 0;
  await h?.stop();
  await proxy?.close();
  await dbProxy?.close();
});

test(
  'every listener acks within 3 s while each Temporal call takes 8 s or more, and the work completes afterwards',
  async () => {
    const d = botDriver(h, { timeout: 90_000 });
    // Set up at full speed: requisitions waiting for Ben's approval (one with his reject modal open, one Ada
    // will cancel), and one auto-approved whose pick modal Dmitri has open.
    const waiting = await d.request(WHO.ada, { sku: 'PAPER', quantity: '12' });
    const dm = await d.approvalDm(WHO.ben, waiting);
    const toReject = await d.request(WHO.ada, { sku: 'PAPER', quantity: '13' });
    const rejectDm = await d.approvalDm(WHO.ben, toReject);
    await h.slack.click(WHO.ben, { channel: WHO.ben, ts: rejectDm.ts }, REQUISITION_ACTIONS.reject);
    const rejectView = await h.slack.waitFor(() => h.slack.openView(WHO.ben)?.callback_id === REJECT_MODAL.callbackId && h.slack.openView(WHO.ben));
    const toCancel = await d.request(WHO.ada, { sku: 'PAPER', quantity: '14' });
    await d.approvalDm(WHO.ben, toCancel);
    const card = await h.slack.waitFor(() => d.requesterThread(WHO.ada, toCancel).cards[0]);
    const toPick = await d.request(WHO.ada, { sku: 'PEN', quantity: '2' });
    const task = await d.pickTask(toPick);
    await h.slack.click(WHO.dmitri, { channel: '#warehouse', ts: task.ts }, REQUISITION_ACTIONS.confirmPick);
    const pickView = await h.slack.waitFor(() => h.slack.openView(WHO.dmitri)?.callback_id === PICK_MODAL.callbackId && h.slack.openView(WHO.dmitri), {
      timeout: 30_000,
    });

    proxy.delayMs = TEMPORAL_DELAY_MS;
    const measured: Delivery[] = [];
    const track = (delivery: Delivery | undefined) => {
      if (delivery) measured.push(delivery);
      return delivery;
    };

    // The approve click: the Update waits on slow Temporal, the ack does not.
    const clickedAt = Date.now();
    track(await h.slack.click(WHO.ben, { channel: WHO.ben, ts: dm.ts }, REQUISITION_ACTIONS.approve));
    // Modal submissions whose Updates wait on Temporal: the ack gives up waiting within its budget.
    const rejected = await h.slack.submit(WHO.ben, rejectView.id, { [REJECT_MODAL.reasonBlock]: { [REJECT_MODAL.reasonAction]: 'Not now' } });
    expect(rejected).toMatchObject({ ok: true, status: 200 });
    track(rejected.delivery);
    const picked = await h.slack.submit(WHO.dmitri, pickView.id);
    expect(picked).toMatchObject({ ok: true, status: 200 });
    track(picked.delivery);
    track(await h.slack.click(WHO.ada, { channel: WHO.ada, ts: card.ts }, REQUISITION_ACTIONS.cancel));
    // A new request: command, shortcut, type-ahead, Add line, submit (recorded in the ack, started after it).
    const command = await h.slack.command(WHO.ada, '/request');
    track(command.delivery);
    const view = await h.slack.waitFor(() => h.slack.openView(WHO.ada), { description: 'the request modal' });
    await h.slack.suggest(WHO.ada, { viewId: view.id }, REQUEST_MODAL.itemAction, 'pen');
    track(h.slack.deliveries.at(-1));
    track(await h.slack.click(WHO.ada, { viewId: view.id }, REQUEST_MODAL.addLineAction));
    await h.slack.waitFor(() => h.slack.view(view.id)?.blocks.some((b) => (b as { block_id?: string }).block_id === REQUEST_MODAL.itemBlock(1)));
    const submitted = await h.slack.submit(WHO.ada, view.id, {
      [REQUEST_MODAL.itemBlock(0)]: { [REQUEST_MODAL.itemAction]: 'PEN' },
      [REQUEST_MODAL.quantityBlock(0)]: { [REQUEST_MODAL.quantityAction]: '3' },
      [REQUEST_MODAL.itemBlock(1)]: { [REQUEST_MODAL.itemAction]: 'CABLE' },
      [REQUEST_MODAL.quantityBlock(1)]: { [REQUEST_MODAL.quantityAction]: '2.5' },
      [REQUEST_MODAL.reasonBlock]: { [REQUEST_MODAL.reasonAction]: 'Desk setup' },
      [REQUEST_MODAL.costCenterBlock]: { [REQUEST_MODAL.costCenterAction]: 'LAB' },
    });
    expect(submitted).toMatchObject({ ok: true, status: 200 });
    track(submitted.delivery);
    track(await h.slack.shortcut(WHO.erin, SHORTCUTS.requestSupplies));
    track(await h.slack.openHome(WHO.ben));
    track((await h.slack.command(WHO.erin, '/stock', 'PAPER')).delivery);
    track((await h.slack.command(WHO.gus, '/stockroom', 'roles')).delivery);

    expect(measured.length).toBe(12);
    for (const delivery of measured) expect({ kind: delivery.kind, slow: delivery.ms >= SLACK_ACK_MS }).toEqual({ kind: delivery.kind, slow: false });

    // What the acks promised happens: the approval goes through slow Temporal; then, at full speed again, the
    // request submitted during the slowness runs (3 × 2 + 2.5 × 1.5 = 9.75: auto-approved, sent to the warehouse).
    await d.ephemeralTo(WHO.ben, new RegExp(`You approved ${waiting}`));
    expect(Date.now() - clickedAt).toBeGreaterThanOrEqual(2 * TEMPORAL_DELAY_MS); // Temporal really was that slow
    proxy.delayMs = 0;
    const started = await d.numberFor(submissionKeyFor(view.id));
    await d.pickTask(started);
    await d.pickTask(waiting);
    await d.ephemeralTo(WHO.ben, new RegExp(`You rejected ${toReject}`));
    await d.ephemeralTo(WHO.dmitri, new RegExp(`Issued 1 line of ${toPick}`));
    await d.ephemeralTo(WHO.ada, new RegExp(`${toCancel} is cancelled`));
    expect(await Promise.all([toReject, toPick, toCancel].map((n) => d.statusOf(n)))).toEqual(['rejected', 'issued', 'cancelled']);
    expect(await issueMoves(h.db, toPick)).toEqual([{ sku: 'PEN', moves: 1, quantity: '2' }]); // once, however slow
  },
  180_000,
);

test(
  'with the database slow, every listener still acks within 3 s; late answers follow, late field errors come by DM',
  async () => {
    const d = botDriver(h, { timeout: 90_000 });
    dbProxy.delayMs = DATABASE_DELAY_MS;
    const measured: Delivery[] = [];

    // The modal opens in time without the cost centers (they become a type-ahead); the item search answers
    // with nothing rather than late.
    const command = await h.slack.command(WHO.ada, '/request');
    measured.push(command.delivery!);
    const view = await h.slack.waitFor(() => h.slack.openView(WHO.ada), { description: 'the request modal' });
    expect((view.blocks.find((b) => (b as { block_id?: string }).block_id === REQUEST_MODAL.costCenterBlock) as { element: { type: string } }).element.type).toBe(
      'external_select',
    );
    expect(await h.slack.suggest(WHO.ada, { viewId: view.id }, REQUEST_MODAL.itemAction, 'pen')).toEqual([]);
    measured.push(h.slack.deliveries.at(-1)!);
    const submitted = await h.slack.submit(WHO.ada, view.id, {
      [REQUEST_MODAL.itemBlock(0)]: { [REQUEST_MODAL.itemAction]: { value: 'PEN', text: 'PEN · Ballpoint pen, blue' } },
      [REQUEST_MODAL.quantityBlock(0)]: { [REQUEST_MODAL.quantityAction]: '3' },
      [REQUEST_MODAL.reasonBlock]: { [REQUEST_MODAL.reasonAction]: 'Pens' },
      [REQUEST_MODAL.costCenterBlock]: { [REQUEST_MODAL.costCenterAction]: { value: 'OPS', text: 'OPS · Operations' } },
    });
    expect(submitted).toMatchObject({ ok: true, status: 200 });
    measured.push(submitted.delivery!);

    // A unit error the database finds only after the ack: the modal is gone, so the requester gets a DM.
    await h.slack.command(WHO.erin, '/request');
    const erinView = await h.slack.waitFor(() => h.slack.openView(WHO.erin), { description: "Erin's request modal" });
    const late = await h.slack.submit(WHO.erin, erinView.id, {
      [REQUEST_MODAL.itemBlock(0)]: { [REQUEST_MODAL.itemAction]: { value: 'PEN', text: 'PEN' } },
      [REQUEST_MODAL.quantityBlock(0)]: { [REQUEST_MODAL.quantityAction]: '2.5' },
      [REQUEST_MODAL.reasonBlock]: { [REQUEST_MODAL.reasonAction]: 'Half a pen' },
      [REQUEST_MODAL.costCenterBlock]: { [REQUEST_MODAL.costCenterAction]: { value: 'OPS', text: 'OPS' } },
    });
    expect(late).toMatchObject({ ok: true, status: 200 });
    measured.push(late.delivery!);

    const stock = await h.slack.command(WHO.erin, '/stock', 'PEN');
    expect(stock.ephemeral?.text).toBe('Looking up "PEN"…');
    measured.push(stock.delivery!);
    measured.push((await h.slack.command(WHO.gus, '/stockroom', 'roles')).delivery!);
    measured.push((await h.slack.openHome(WHO.ada))!);

    expect(measured).toHaveLength(7);
    for (const delivery of measured) expect({ kind: delivery.kind, slow: delivery.ms >= SLACK_ACK_MS }).toEqual({ kind: delivery.kind, slow: false });

    // The answers follow once the database answers.
    await h.slack.waitFor(() => h.slack.ephemerals(WHO.erin).some((e) => e.text.includes('PEN: ')), { timeout: 60_000, description: 'the /stock answer' });
    await h.slack.waitFor(() => h.slack.dm(WHO.erin).some((m) => m.text.includes('Your request was not submitted') && m.text.includes('PEN is counted in whole ea.')), {
      timeout: 60_000,
      description: "Erin's late field error",
    });
    dbProxy.delayMs = 0;
    const number = await d.numberFor(submissionKeyFor(view.id));
    await d.pickTask(number);
    expect(await requisitionCount(h.db, { submissionKey: submissionKeyFor(erinView.id) })).toBe(0);
  },
  180_000,
);
