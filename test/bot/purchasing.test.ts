import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { signalRestock } from '../../activities/restock-trigger.js';
import { PURCHASING_ACTIONS, RECEIVE_MODAL } from '../../bot/ids.js';
import { issue } from '../../db/queries/ledger.js';
import { assignRole } from '../../db/queries/people.js';
import { ensureVendor, getPurchaseOrder, upsertReorderPolicy } from '../../db/queries/purchasing.js';
import type { Message } from '../../sandbox/index.js';
import { blockText, buttons, slowAcks, startBotHarness, WHO, type BotHarness } from '../helpers/bot.js';

// Restocking as Slack drives it: signed requests into the running app, the Web API answered by the
// local Slack. A stock alert's button drafts the PO, the buyer submits it from its card, the approver
// approves from the DM, the warehouse receives with /receive (field errors shown in the modal), and
// the alert turns to "recovered".

let h: BotHarness;
const ALERTS = 'C0STOCKALR';
const LONG = { timeout: 60_000 };

beforeAll(async () => {
  h = await startBotHarness();
  await assignRole(h.db, { subject: { kind: 'user', id: WHO.erin }, role: 'buyer', grantedBy: 'test' });
  await ensureVendor(h.db, { code: 'ACME', name: 'Acme Office' });
  await upsertReorderPolicy(h.db, { sku: 'PEN', vendor: 'ACME', reorderPointMode: 'manual', reorderPoint: '40', max: '150', orderMultiple: '10' });
});
afterAll(async () => {
  await h?.stop();
});

const waitFor = <T>(read: () => T | undefined | false, description: string) => h.slack.waitFor(read, { timeout: 30_000, description });
const alert = (pattern: RegExp) => waitFor(() => h.slack.messages(ALERTS).find((m) => pattern.test(m.text)), `an alert matching ${pattern}`);
const ephemeral = (user: string, pattern: RegExp) =>
  waitFor(() => h.slack.ephemerals(user).find((e) => pattern.test(e.text)), `an ephemeral to ${user} matching ${pattern}`);
const dmWith = (user: string, find: (m: Message) => boolean, description: string) => waitFor(() => h.slack.dm(user).find(find), description);

describe('stock alert → purchase order → approval → /receive', () => {
  test('the whole restock loop through Slack', LONG, async () => {
      // 70 pens leave through the ledger; the restock workflow is told (as the move's activity would).
      await issue(h.db, { key: 'bot-out', sku: 'PEN', location: 'Main/A/1', quantity: '70', document: { type: 'manual', id: 'x' }, actor: WHO.dmitri, unreserved: true });
      await signalRestock(h.stockroom.temporal.client, 'PEN', 'move');
      const posted = await alert(/^Low stock: PEN/);
      expect(posted.text).toBe('Low stock: PEN Ballpoint pen, blue, 30 ea available, reorder point 40');
      expect(buttons(posted)).toEqual([PURCHASING_ACTIONS.createPurchaseOrder]);

      // Only buyers may draft; Erin (buyer) gets PO for 120 pens: order up to 150 from 30, in tens.
      await h.slack.click(WHO.ada, { channel: ALERTS, ts: posted.ts }, PURCHASING_ACTIONS.createPurchaseOrder);
      await ephemeral(WHO.ada, /Only buyers can create purchase orders/);
      await h.slack.click(WHO.erin, { channel: ALERTS, ts: posted.ts }, PURCHASING_ACTIONS.createPurchaseOrder);
      const drafted = await ephemeral(WHO.erin, /Drafted PO-\d{6} for Acme Office: 120 PEN/);
      const number = /PO-\d{6}/.exec(drafted.text)![0];
      // A second click finds the same draft.
      await h.slack.click(WHO.erin, { channel: ALERTS, ts: posted.ts }, PURCHASING_ACTIONS.createPurchaseOrder);
      await ephemeral(WHO.erin, new RegExp(`${number} was already drafted from this alert`));
      // The alert now shows the draft as on order.
      await waitFor(() => blockText(h.slack.messages(ALERTS).find((m) => m.ts === posted.ts)).includes(number) && true, 'the alert to list the draft');

      // Erin's Home (she buys) lists the draft to submit.
      const erinsHome = (part: string) => waitFor(() => blockText(h.slack.home(WHO.erin)).includes(part) && true, `Erin's Home to show ${part}`);
      await erinsHome(`*Drafts to submit for approval*\n• *${number}* · Acme Office`);

      // Erin submits from the card in her DM; 120 × 2.00 = 240 needs the Manager level: Ben (500) is asked.
      const card = await dmWith(WHO.erin, (m) => m.text.startsWith(`${number} (Acme Office)`) && buttons(m).includes(PURCHASING_ACTIONS.submit), 'the draft card');
      await h.slack.click(WHO.erin, { channel: WHO.erin, ts: card.ts }, PURCHASING_ACTIONS.submit);
      const ask = await dmWith(WHO.ben, (m) => m.text.startsWith(`Approval requested: ${number}`), 'the approval DM');
      expect(buttons(ask)).toEqual([PURCHASING_ACTIONS.approve, PURCHASING_ACTIONS.reject]);
      await h.slack.click(WHO.ben, { channel: WHO.ben, ts: ask.ts }, PURCHASING_ACTIONS.approve);
      await ephemeral(WHO.ben, new RegExp(`You approved ${number}`));
      const sentCard = await dmWith(WHO.erin, (m) => m.ts === card.ts && buttons(m).includes(PURCHASING_ACTIONS.receive), 'the card with Receive');
      expect(sentCard.text).toBe(`${number} (Acme Office): Sent: waiting for goods, 240.00`);
      await erinsHome(`*Goods due*\n• *${number}* · Acme Office · 240.00 · due `);
      // The alert follows the PO's status (it said "draft" until the next stock move before).
      await waitFor(() => blockText(h.slack.messages(ALERTS).find((m) => m.ts === posted.ts)).includes(`${number} (sent, 120 ea open`) && true, 'the alert to show the PO sent');

      // /receive without a number lists the purchase orders waiting for goods and checks the number typed.
      await h.slack.command(WHO.dmitri, '/receive', '');
      const picker = await waitFor(() => {
        const v = h.slack.openView(WHO.dmitri);
        return v?.callback_id === RECEIVE_MODAL.pickCallbackId && v;
      }, 'the picker');
      expect(picker.submit).toMatchObject({ text: 'Next' });
      expect(JSON.stringify(picker.blocks)).toContain(`${number} (Acme Office)`);
      const wrong = await h.slack.submit(WHO.dmitri, picker.id, { [RECEIVE_MODAL.poBlock]: { [RECEIVE_MODAL.poAction]: 'PO-999999' } });
      expect(wrong.errors).toEqual({ [RECEIVE_MODAL.poBlock]: 'There is no purchase order PO-999999.' });
      await h.slack.closeView(WHO.dmitri);

      // /receive PO-… as Dmitri: the modal lists the open line with its quantity prefilled.
      const opened = await h.slack.command(WHO.dmitri, '/receive', number);
      expect(opened.status).toBe(200);
      const modal = await waitFor(() => {
        const v = h.slack.openView(WHO.dmitri);
        return v?.callback_id === RECEIVE_MODAL.callbackId && v;
      }, 'the receiving modal');
      const qty = RECEIVE_MODAL.quantityBlock(1);
      const loc = RECEIVE_MODAL.locationBlock(1);
      // Over the 5 % tolerance: refused in the modal, on the quantity field.
      const over = await h.slack.submit(WHO.dmitri, modal.id, { [qty]: { [RECEIVE_MODAL.quantityAction]: '127' }, [loc]: { [RECEIVE_MODAL.locationAction]: 'Main/A/1' } });
      expect(over.responseAction).toBe('errors');
      expect(over.errors).toEqual({ [qty]: 'Over-receipt refused: PEN has 120 still open (ordered 120, received 0); at most 126 can be received with the 5 % tolerance.' });
      // An unknown bin: refused on the location field.
      const nowhere = await h.slack.submit(WHO.dmitri, modal.id, { [qty]: { [RECEIVE_MODAL.quantityAction]: '120' }, [loc]: { [RECEIVE_MODAL.locationAction]: 'Main/Z/9' } });
      expect(nowhere.errors).toEqual({ [loc]: 'No location Main/Z/9: use a path such as Main/Aisle 3/Bin 12.' });
      const done = await h.slack.submit(WHO.dmitri, modal.id, { [qty]: { [RECEIVE_MODAL.quantityAction]: '120' }, [loc]: { [RECEIVE_MODAL.locationAction]: 'Main/A/1' } });
      expect(done).toMatchObject({ ok: true, status: 200 });
      await waitFor(() => h.slack.dm(WHO.dmitri).find((m) => m.text.startsWith(`:package: Received 120 PEN into Main/A/1; ${number} is complete.`)), 'the receipt reply');
      expect((await getPurchaseOrder(h.db, number))!).toMatchObject({ status: 'received', lines: [{ received: '120' }] });
      await erinsHome(`*Invoices to match*\n• *${number}* · Acme Office · 240.00 · no invoice yet`);
      // Ben's approval DM, closed when he approved, shows the PO as it is now.
      await waitFor(() => h.slack.dm(WHO.ben).find((m) => m.ts === ask.ts && blockText(m).includes('*Status*\nReceived')), "the approver's DM to show Received");

      // 150 available again: the same alert message says recovered, without the button.
      await waitFor(() => h.slack.messages(ALERTS).find((m) => m.ts === posted.ts && m.text.startsWith('Recovered: PEN')), 'the recovered alert');
      expect(h.slack.messages(ALERTS).filter((m) => m.text.includes('PEN'))).toHaveLength(1);
      expect(slowAcks(h.slack.deliveries)).toEqual([]);
  });

  test('/receive with nothing waiting for goods says so, with no Next that leads nowhere', async () => {
    await h.slack.command(WHO.dmitri, '/receive', '');
    const notice = await waitFor(() => {
      const v = h.slack.openView(WHO.dmitri);
      return v?.callback_id === RECEIVE_MODAL.pickCallbackId && v;
    }, 'the receive modal');
    expect(notice.submit).toBeUndefined();
    expect(JSON.stringify(notice.blocks)).toContain('No purchase order is waiting for goods.');
    expect((notice.blocks as { type: string }[]).some((b) => b.type === 'input')).toBe(false);
  });
});
