import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { getRequisition, listApprovalDecisions } from '../../db/queries/requisitions.js';
import { submissionKeyFor } from '../../bot/listeners/views/request-submission.js';
import { PICK_MODAL, REJECT_MODAL, REQUEST_MODAL, REQUISITION_ACTIONS } from '../../bot/ids.js';
import { slackSignature } from '../../sandbox/index.js';
import { requisitionWorkflowId } from '../../workflows/ids.js';
import { blockText, buttons, issueMoves, requisitionCount, slowAcks, startBotHarness, WHO, type BotHarness } from '../helpers/bot.js';
import { botDriver } from '../helpers/bot-driver.js';

let h: BotHarness;

beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(async () => {
  await h?.stop();
});

const LONG = { timeout: 30_000 };
const item = (key: number) => REQUEST_MODAL.itemBlock(key);
const qty = (key: number) => REQUEST_MODAL.quantityBlock(key);

const d = () => botDriver(h);
const openRequest = (user: string, text = '') => d().openRequest(user, text);
const request = (user: string, line: { sku: string; quantity: string }) => d().request(user, line);
const waitForRow = (key: string) => d().numberFor(key);
const approvalDm = (approver: string, number: string, closed = false) => d().approvalDm(approver, number, closed);
const ephemeralTo = (user: string, pattern: RegExp) => d().ephemeralTo(user, pattern);
const pickTask = (number: string) => d().pickTask(number);
const statusOf = (number: string) => d().statusOf(number);
const waitForStatus = (number: string, status: string) => d().waitForStatus(number, status);
const requesterThread = (user: string, number: string) => d().requesterThread(user, number);

describe('request → approve from the DM → confirm the pick → issued', () => {
  test(
    'the whole flow, as Slack drives it, moves the ledger once and tells everyone',
    async () => {
      // /request with text pre-fills the first line when it names the item.
      const view = await openRequest(WHO.ada, 'paper');
      const firstItem = view.blocks.find((b) => (b as { block_id?: string }).block_id === item(0)) as { element: { initial_option?: { value: string } } };
      expect(firstItem.element.initial_option?.value).toBe('PAPER');

      // Type-ahead answers from the catalogue by name, SKU or barcode.
      const byName = await h.slack.suggest(WHO.ada, { viewId: view.id }, REQUEST_MODAL.itemAction, 'pen');
      expect(byName.map((o) => o.value)).toContain('PEN');
      const byBarcode = await h.slack.suggest(WHO.ada, { viewId: view.id }, REQUEST_MODAL.itemAction, '4006381333931');
      expect(byBarcode.map((o) => o.value)).toEqual(['PEN']);

      // Add line: the modal is updated in place (same view, new hash) and keeps the first line.
      await h.slack.click(WHO.ada, { viewId: view.id }, REQUEST_MODAL.addLineAction);
      const twoLines = await h.slack.waitFor(() => {
        const v = h.slack.view(view.id);
        return v && v.blocks.some((b) => (b as { block_id?: string }).block_id === item(1)) && v;
      }, { description: 'the second line' });
      expect(twoLines.hash).not.toBe(view.hash);

      const submitted = await h.slack.submit(WHO.ada, view.id, {
        [qty(0)]: { [REQUEST_MODAL.quantityAction]: '12' },
        [item(1)]: { [REQUEST_MODAL.itemAction]: 'PEN' },
        [qty(1)]: { [REQUEST_MODAL.quantityAction]: '5' },
        [REQUEST_MODAL.reasonBlock]: { [REQUEST_MODAL.reasonAction]: 'Quarterly printing' },
        [REQUEST_MODAL.costCenterBlock]: { [REQUEST_MODAL.costCenterAction]: 'OPS' },
      });
      expect(submitted.errors).toBeUndefined();
      expect(submitted).toMatchObject({ ok: true, status: 200 });
      expect(h.slack.openView(WHO.ada)).toBeUndefined();
      const number = await waitForRow(submissionKeyFor(view.id));

      // 12 × 10 + 5 × 2 = 130: above auto-approval, Ben (designated for OPS, limit 500) is asked in a DM.
      const dm = await approvalDm(WHO.ben, number);
      expect(blockText(dm)).toContain('130.00');
      expect(blockText(dm)).toContain('PAPER');
      const approved = await h.slack.click(WHO.ben, { channel: WHO.ben, ts: dm.ts }, REQUISITION_ACTIONS.approve);
      expect(approved.status).toBe(200);
      await ephemeralTo(WHO.ben, new RegExp(`You approved ${number}`));
      // The workflow's activity updates the DM in place: no buttons, who decided.
      const closed = await approvalDm(WHO.ben, number, true);
      expect(closed.ts).toBe(dm.ts);
      expect(blockText(closed)).toContain(`approved by <@${WHO.ben}>`);

      // A stale click (the same request again, e.g. from a second device) gets a definite answer.
      const stale = await h.slack.endpoint.redeliver(approved);
      expect(stale.status).toBe(200);
      await ephemeralTo(WHO.ben, new RegExp(`already approved by <@${WHO.ben}>`));

      // The pick task goes to #warehouse; someone without the warehouse role is refused clearly, with no modal.
      const task = await pickTask(number);
      await h.slack.click(WHO.ada, { channel: '#warehouse', ts: task.ts }, REQUISITION_ACTIONS.confirmPick);
      await ephemeralTo(WHO.ada, /Only warehouse staff can confirm picks/);
      expect(h.slack.openView(WHO.ada)).toBeUndefined();

      // Dmitri (warehouse) opens the pick modal: quantities default to what is reserved.
      await h.slack.click(WHO.dmitri, { channel: '#warehouse', ts: task.ts }, REQUISITION_ACTIONS.confirmPick);
      const pickView = await h.slack.waitFor(() => {
        const v = h.slack.openView(WHO.dmitri);
        return v?.callback_id === PICK_MODAL.callbackId && v;
      }, { ...LONG, description: 'the pick modal' });
      const lines = pickView.blocks.filter((b) => String((b as { block_id?: string }).block_id).startsWith('pick_line_')) as {
        block_id: string;
        element: { initial_value: string };
      }[];
      expect(lines.map((l) => l.element.initial_value)).toEqual(['12', '5']);

      // A short pick of the pens (3 of 5), the rest cancelled.
      const confirmed = await h.slack.submit(WHO.dmitri, pickView.id, {
        [PICK_MODAL.lineBlock(2)]: { [PICK_MODAL.quantityAction]: '3' },
        [PICK_MODAL.remainderBlock(2)]: { [PICK_MODAL.remainderAction]: 'cancel' },
      });
      expect(confirmed).toMatchObject({ ok: true, status: 200 });
      await waitForStatus(number, 'issued');

      // The ledger: issue moves for exactly what was picked.
      const moves = await issueMoves(h.db, number);
      expect(moves.map((m) => [m.sku, m.quantity])).toEqual([
        ['PAPER', '12'],
        ['PEN', '3'],
      ]);
      const record = await getRequisition(h.db, number);
      expect(record!.lines.map((l) => [l.sku, l.issued, l.cancelled])).toEqual([
        ['PAPER', '12', '0'],
        ['PEN', '3', '2'],
      ]);

      // The requester is told it is ready, in the one thread.
      const ready = await h.slack.waitFor(() => requesterThread(WHO.ada, number).replies.find((r) => r.text.includes('ready for collection')), {
        ...LONG,
        description: 'the ready message',
      });
      expect(ready.text).toContain('12 ea PAPER');
      expect(requesterThread(WHO.ada, number).cards).toHaveLength(1);
      // The pick task was closed in place.
      await h.slack.waitFor(() => !buttons(h.slack.message('#warehouse', task.ts)).length, { description: 'the closed pick task' });

      // Confirming the same pick again (a double submit) is refused and moves nothing.
      const again = await h.slack.endpoint.redeliver(confirmed.delivery!);
      expect(again.status).toBe(200);
      expect(again.response).toMatchObject({ response_action: 'update' });
      expect(blockText({ blocks: (again.response as { view: { blocks: unknown[] } }).view.blocks })).toMatch(new RegExp(`${number} is issued; there is nothing left to do|not waiting for a pick|already confirmed`));
      expect(await issueMoves(h.db, number)).toEqual(moves);
    },
    120_000,
  );
});

describe('reject with a reason', () => {
  test(
    'Reject opens a reason modal; the requester is told why and the DM shows the decision',
    async () => {
      // 1,500 is above Ben's limit: Carla (5,000) is asked.
      const number = await request(WHO.ada, { sku: 'LAPTOP', quantity: '1' });
      const dm = await approvalDm(WHO.carla, number);
      await h.slack.click(WHO.carla, { channel: WHO.carla, ts: dm.ts }, REQUISITION_ACTIONS.reject);
      const modal = await h.slack.waitFor(() => {
        const v = h.slack.openView(WHO.carla);
        return v?.callback_id === REJECT_MODAL.callbackId && v;
      }, { description: 'the reject modal' });

      // Slack's client requires the reason before anything is sent.
      const empty = await h.slack.submit(WHO.carla, modal.id);
      expect(empty).toMatchObject({ ok: false, clientSide: true });

      const done = await h.slack.submit(WHO.carla, modal.id, { [REJECT_MODAL.reasonBlock]: { [REJECT_MODAL.reasonAction]: 'Over budget this quarter' } });
      expect(done).toMatchObject({ ok: true, status: 200 });
      await waitForStatus(number, 'rejected');
      const decisions = await listApprovalDecisions(h.db, number);
      expect(decisions).toMatchObject([{ level: 1, approver: WHO.carla, decision: 'rejected', reason: 'Over budget this quarter' }]);
      await h.slack.waitFor(() => requesterThread(WHO.ada, number).replies.find((r) => r.text.includes('Over budget this quarter')), {
        ...LONG,
        description: 'the rejection in the requester thread',
      });
      const closed = await approvalDm(WHO.carla, number, true);
      expect(blockText(closed)).toContain('Rejected by');

      // Two devices: Carla opens Reject on another requisition, approves it elsewhere, then submits the reason.
      const second = await request(WHO.ada, { sku: 'LAPTOP', quantity: '1' });
      const secondDm = await approvalDm(WHO.carla, second);
      await h.slack.click(WHO.carla, { channel: WHO.carla, ts: secondDm.ts }, REQUISITION_ACTIONS.reject);
      const pending = await h.slack.waitFor(() => {
        const v = h.slack.openView(WHO.carla);
        return v?.callback_id === REJECT_MODAL.callbackId && v;
      }, { description: 'the second reject modal' });
      await h.slack.click(WHO.carla, { channel: WHO.carla, ts: secondDm.ts }, REQUISITION_ACTIONS.approve);
      await ephemeralTo(WHO.carla, new RegExp(`You approved ${second}`));
      const refused = await h.slack.submit(WHO.carla, pending.id, { [REJECT_MODAL.reasonBlock]: { [REJECT_MODAL.reasonAction]: 'Changed my mind' } });
      expect(refused).toMatchObject({ ok: true, responseAction: 'update' });
      expect(blockText(refused.view)).toContain(`Level 1 of ${second} was already approved by <@${WHO.carla}>`);
      await waitForStatus(second, 'picking');
      expect(await listApprovalDecisions(h.db, second)).toMatchObject([{ approver: WHO.carla, decision: 'approved' }]);
      await h.slack.closeView(WHO.carla);
    },
    90_000,
  );
});

describe('modal field errors start nothing', () => {
  test('bad quantities, an unknown item and a past date are shown under their fields', async () => {
    const before = await requisitionCount(h.db);
    const view = await openRequest(WHO.ada);
    const base = {
      [item(0)]: { [REQUEST_MODAL.itemAction]: 'PEN' },
      [REQUEST_MODAL.reasonBlock]: { [REQUEST_MODAL.reasonAction]: 'Pens' },
      [REQUEST_MODAL.costCenterBlock]: { [REQUEST_MODAL.costCenterAction]: 'OPS' },
    };
    const minus = await h.slack.submit(WHO.ada, view.id, { ...base, [qty(0)]: { [REQUEST_MODAL.quantityAction]: '-3' } });
    expect(minus).toMatchObject({ ok: false, responseAction: 'errors', errors: { [qty(0)]: 'Enter a quantity above zero.' } });
    expect(h.slack.viewErrors(view.id)).toEqual({ [qty(0)]: 'Enter a quantity above zero.' });
    expect(h.slack.openView(WHO.ada)?.id).toBe(view.id);

    const letters = await h.slack.submit(WHO.ada, view.id, { [qty(0)]: { [REQUEST_MODAL.quantityAction]: 'abc' } });
    expect(letters.errors?.[qty(0)]).toMatch(/"abc" is not a number/);

    // Pens are counted in whole units: the database check, still inside the ack.
    const half = await h.slack.submit(WHO.ada, view.id, { [qty(0)]: { [REQUEST_MODAL.quantityAction]: '2.5' } });
    expect(half).toMatchObject({ responseAction: 'errors', errors: { [qty(0)]: 'PEN is counted in whole ea.' } });

    const past = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
    const late = await h.slack.submit(WHO.ada, view.id, {
      [qty(0)]: { [REQUEST_MODAL.quantityAction]: '2' },
      [REQUEST_MODAL.neededByBlock(0)]: { [REQUEST_MODAL.neededByAction]: past },
    });
    expect(late.errors).toEqual({ [REQUEST_MODAL.neededByBlock(0)]: 'Needed-by must be today or later.' });

    // An item the type-ahead never offered (removed meanwhile, or a forged option).
    const ghost = await h.slack.submit(WHO.ada, view.id, {
      [item(0)]: { [REQUEST_MODAL.itemAction]: { value: 'NO-SUCH-SKU', text: 'Ghost' } },
      [REQUEST_MODAL.neededByBlock(0)]: { [REQUEST_MODAL.neededByAction]: null },
    });
    expect(ghost.errors).toEqual({ [item(0)]: 'No active item "NO-SUCH-SKU".' });

    expect(await requisitionCount(h.db)).toBe(before);
    expect(await requisitionCount(h.db, { submissionKey: submissionKeyFor(view.id) })).toBe(0);
    await h.slack.closeView(WHO.ada);
  });
});

describe('double submission', () => {
  test(
    'the same view submitted three times gives one requisition, one workflow, one message',
    async () => {
      const view = await openRequest(WHO.ada);
      const first = await h.slack.submit(WHO.ada, view.id, {
        [item(0)]: { [REQUEST_MODAL.itemAction]: 'PEN' },
        [qty(0)]: { [REQUEST_MODAL.quantityAction]: '4' },
        [REQUEST_MODAL.reasonBlock]: { [REQUEST_MODAL.reasonAction]: 'Pens' },
        [REQUEST_MODAL.costCenterBlock]: { [REQUEST_MODAL.costCenterAction]: 'LAB' },
      });
      expect(first.ok).toBe(true);
      // A double click and a Slack retry of the same submission, at once.
      const repeats = await Promise.all([h.slack.endpoint.redeliver(first.delivery!), h.slack.endpoint.redeliver(first.delivery!, { retryNum: 1 })]);
      expect(repeats.map((d) => d.status)).toEqual([200, 200]);

      const key = submissionKeyFor(view.id);
      const number = await waitForRow(key);
      expect(await requisitionCount(h.db, { submissionKey: key })).toBe(1);
      // 4 × 2 = 8: auto-approved, so it runs to the pick task; by then every requester message is out.
      await pickTask(number);
      await h.slack.waitFor(() => requesterThread(WHO.ada, number).replies.some((r) => r.text.includes('warehouse is picking')), LONG);
      expect(requesterThread(WHO.ada, number).cards).toHaveLength(1);
      expect(h.slack.messages('#warehouse').filter((m) => blockText(m).includes(`Pick ${number}`))).toHaveLength(1);
      const runs = [];
      for await (const run of h.stockroom.temporal.client.workflow.list({ query: `WorkflowId = '${requisitionWorkflowId(number)}'` })) runs.push(run);
      expect(runs.length).toBeLessThanOrEqual(1); // visibility may lag; the handle below is the proof of the one run
      const described = await h.stockroom.temporal.client.workflow.getHandle(requisitionWorkflowId(number)).describe();
      expect(described.status.name).toBe('RUNNING');
    },
    60_000,
  );
});

describe('approvals refused by the workflow get a clear reply', () => {
  test(
    'a double click: one approves, the other is told it was already approved; a self approval is refused',
    async () => {
      const number = await request(WHO.ada, { sku: 'PAPER', quantity: '15' });
      const dm = await approvalDm(WHO.ben, number);
      // Both clicks leave before either is answered; the workflow decides in order.
      const clicks = await Promise.all([
        h.slack.click(WHO.ben, { channel: WHO.ben, ts: dm.ts }, REQUISITION_ACTIONS.approve),
        h.slack.click(WHO.ben, { channel: WHO.ben, ts: dm.ts }, REQUISITION_ACTIONS.approve),
      ]);
      expect(clicks.map((c) => c.status)).toEqual([200, 200]);
      await ephemeralTo(WHO.ben, new RegExp(`You approved ${number}`));
      await ephemeralTo(WHO.ben, new RegExp(`Level 1 of ${number} was already approved`));
      expect(h.slack.ephemerals(WHO.ben).filter((e) => e.text.includes(`You approved ${number}`))).toHaveLength(1);

      // Ada clicking Approve on her own requisition: the payload Slack sends for such a click from App Home
      // (her user, the button's value, no response_url), built from Ben's click above.
      const own = await request(WHO.ada, { sku: 'PAPER', quantity: '11' });
      await approvalDm(WHO.ben, own);
      const { response_url: _url, ...template } = clicks[0]!.payload as { actions: Record<string, unknown>[] } & Record<string, unknown>;
      const ada = h.slack.user(WHO.ada);
      const forAda = await h.slack.endpoint.sendInteraction('block_actions', {
        ...template,
        user: { id: ada.id, username: ada.name, name: ada.name, team_id: ada.team_id },
        actions: [{ ...template.actions[0], value: JSON.stringify({ number: own, level: 1 }) }],
      });
      expect(forAda.status).toBe(200);
      await h.slack.waitFor(() => h.slack.dm(WHO.ada).find((m) => m.text.includes('You cannot approve or reject your own requisition')), {
        ...LONG,
        description: 'the refusal in Ada\'s DM',
      });
      expect(await statusOf(own)).toBe('awaiting_approval');
    },
    90_000,
  );
});

describe('Bolt refuses requests Slack did not sign', () => {
  test('a wrong signature and a stale timestamp get 401 and reach no listener', async () => {
    const before = await requisitionCount(h.db);
    const forged = await h.slack.command(WHO.ada, '/request', '', { signature: `v0=${'0'.repeat(64)}` });
    expect(forged.status).toBe(401);
    const stale = await h.slack.command(WHO.ada, '/request', '', { timestampSec: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(stale.status).toBe(401);
    expect(h.slack.openView(WHO.ada)).toBeUndefined();

    // Raw HTTP, signed with another secret.
    const body = new URLSearchParams({ command: '/stock', text: 'PEN', user_id: WHO.ada }).toString();
    const ts = Math.floor(Date.now() / 1000);
    const res = await fetch(h.appUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': slackSignature('not-the-secret', ts, body) },
      body,
    });
    expect(res.status).toBe(401);
    expect(await requisitionCount(h.db)).toBe(before);
  });
});

test('every request Slack sent in this file was acked within 3 seconds', () => {
  expect(h.slack.deliveries.length).toBeGreaterThan(20);
  expect(slowAcks(h.slack.deliveries)).toEqual([]);
});
