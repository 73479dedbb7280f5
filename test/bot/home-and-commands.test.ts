import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HOME_ACTIONS, REQUEST_MODAL, REQUISITION_ACTIONS } from '../../bot/ids.js';
import { hasRole, rolesOf } from '../../db/queries/people.js';
import { DEMO_USER_GROUPS } from '../../sandbox/index.js';
import { blockText, buttons, slowAcks, startBotHarness, WHO, type BotHarness } from '../helpers/bot.js';
import { botDriver } from '../helpers/bot-driver.js';

let h: BotHarness;
const d = () => botDriver(h);

beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(async () => {
  await h?.stop();
});

/** Runs a slash command and returns what the person was shown (the ack's ephemeral, or the follow-up). */
async function run(user: string, command: string, text: string): Promise<string> {
  const result = await h.slack.command(user, command, text);
  expect(result.status).toBe(200);
  const shown = result.ephemeral ?? h.slack.ephemerals(user).at(-1);
  return `${shown?.text ?? ''}\n${blockText(shown)}`;
}

describe('/stock', () => {
  test('by SKU, name or barcode: stock per location, only to the asker', async () => {
    const pen = await run(WHO.erin, '/stock', 'PEN');
    expect(pen).toContain('On hand 100 ea · reserved 0 · available 100');
    expect(pen).toContain('Main/A/1: 100 on hand, 100 available');
    expect(await run(WHO.erin, '/stock', '4006381333931')).toContain('*PEN* · Ballpoint pen, blue');
    const paper = await run(WHO.erin, '/stock', 'paper');
    expect(paper).toContain('On hand 80 ea');
    expect(paper).toMatch(/Main\/A\/2: 50 on hand[\s\S]*Main\/A\/1: 30 on hand/);
    expect(h.slack.ephemerals(WHO.ada).some((e) => e.text.includes('PEN'))).toBe(false);
  });

  test('several matches are listed; no match and no text say what to do', async () => {
    const many = await run(WHO.erin, '/stock', 'a');
    expect(many).toContain('Items matching "a"');
    expect(many).toMatch(/\*LAPTOP\*[\s\S]*\*PAPER\*/);
    expect(await run(WHO.erin, '/stock', 'unicorn')).toContain('No item matches "unicorn"');
    expect(await run(WHO.erin, '/stock', '')).toContain('Say which item');
  });
});

describe('/stockroom', () => {
  test('non-admins are refused, with who to ask', async () => {
    const refused = await run(WHO.erin, '/stockroom', 'role add <@U0BUY00001|erin> warehouse');
    expect(refused).toContain('Only Stockroom admins can change roles');
    expect(refused).toContain(`<@${WHO.gus}>`);
    expect(await hasRole(h.db, WHO.erin, 'warehouse')).toBe(false);
    expect(await run(WHO.erin, '/stockroom', 'help')).toContain('role add @person &lt;role&gt; [limit]');
  });

  test('an admin grants and removes roles for people and user groups; bad input says what is wrong', async () => {
    expect(await run(WHO.gus, '/stockroom', 'role add <@U0BUY00001|erin> warehouse')).toContain(`Granted warehouse to <@${WHO.erin}>`);
    expect(await hasRole(h.db, WHO.erin, 'warehouse')).toBe(true);
    expect(await run(WHO.gus, '/stockroom', 'role add <@U0BUY00001|erin> approver')).toContain('An approver needs an approval limit');
    expect(await run(WHO.gus, '/stockroom', 'role add <@U0BUY00001|erin> approver 1,000')).toContain('"1,000" is not an amount');
    expect(await run(WHO.gus, '/stockroom', 'role add <@U0BUY00001|erin> approver 750.50')).toContain('approval limit of 750.50');
    expect(await rolesOf(h.db, WHO.erin)).toEqual({ roles: ['approver', 'warehouse'], approvalLimit: '750.5' });
    expect(await run(WHO.gus, '/stockroom', 'role add @erin buyer')).toContain("pick them from Slack's @ suggestions");
    expect(await run(WHO.gus, '/stockroom', 'role add <@U0BUY00001|erin> wizard')).toContain('"wizard" is not a role');
    expect(await run(WHO.gus, '/stockroom', 'frobnicate')).toContain('I don\'t know "frobnicate"');

    // A user group: its members as Slack lists them now hold the role.
    const group = DEMO_USER_GROUPS.find((g) => g.handle === 'warehouse')!;
    expect(await run(WHO.gus, '/stockroom', `role add <!subteam^${group.id}|@warehouse> inventory_manager`)).toContain(
      `Granted inventory_manager to <!subteam^${group.id}>`,
    );
    expect(await hasRole(h.db, 'U0INV00001', 'inventory_manager')).toBe(true);
    expect(await hasRole(h.db, WHO.dmitri, 'inventory_manager')).toBe(true);

    const roles = await run(WHO.gus, '/stockroom', 'roles');
    expect(roles).toContain(`*approver*: <@${WHO.ben}> (up to 500.00)`);
    expect(roles).toContain(`<!subteam^${group.id}>`);
    expect(roles).toContain(`<@${WHO.gus}> _from the config file_`);

    expect(await run(WHO.gus, '/stockroom', 'role remove <@U0BUY00001|erin> warehouse')).toContain(`Removed warehouse from <@${WHO.erin}>`);
    expect(await run(WHO.gus, '/stockroom', 'role remove <@U0BUY00001|erin> warehouse')).toContain('did not have the warehouse role');
    expect(await hasRole(h.db, WHO.erin, 'warehouse')).toBe(false);
    expect(await run(WHO.gus, '/stockroom', `role remove <@${WHO.gus}|gus> admin`)).toContain('the only admin');
  });
});

describe('App Home', () => {
  test(
    'shows my requisitions and what waits for my approval; approving from Home answers in the DM and refreshes Home',
    async () => {
      const number = await d().request(WHO.ada, { sku: 'PAPER', quantity: '20' });
      await d().approvalDm(WHO.ben, number);

      await h.slack.openHome(WHO.ada);
      const adaHome = await h.slack.waitFor(() => blockText(h.slack.home(WHO.ada)).includes(number) && h.slack.home(WHO.ada));
      expect(blockText(adaHome)).toContain('My requisitions');
      expect(blockText(adaHome)).toContain('Awaiting approval');
      expect(blockText(adaHome)).not.toContain('Waiting for my approval');

      await h.slack.openHome(WHO.ben);
      const benHome = await h.slack.waitFor(() => blockText(h.slack.home(WHO.ben)).includes(number) && h.slack.home(WHO.ben));
      expect(blockText(benHome)).toContain('Waiting for my approval');
      expect(blockText(benHome)).toContain('approver (up to 500.00)');
      expect(buttons(benHome)).toEqual([HOME_ACTIONS.newRequest, HOME_ACTIONS.refresh, REQUISITION_ACTIONS.approve, REQUISITION_ACTIONS.reject]);

      const published = h.slack.callsTo('views.publish').length;
      await h.slack.click(WHO.ben, { viewId: benHome.id }, REQUISITION_ACTIONS.approve);
      // No response_url in App Home: the answer comes in Ben's DM with the app.
      await h.slack.waitFor(() => h.slack.dm(WHO.ben).find((m) => m.text.includes(`You approved ${number}`)), { timeout: 30_000 });
      await h.slack.waitFor(() => h.slack.callsTo('views.publish').length > published, { timeout: 30_000 });
      // The DM's buttons are gone too (the workflow updates it in place).
      await d().approvalDm(WHO.ben, number, true);

      // "Request supplies" on Home opens the same modal.
      await h.slack.click(WHO.ada, { viewId: adaHome.id }, HOME_ACTIONS.newRequest);
      const modal = await h.slack.waitFor(() => h.slack.openView(WHO.ada));
      expect(modal.callback_id).toBe(REQUEST_MODAL.callbackId);
      await h.slack.closeView(WHO.ada);
    },
    90_000,
  );
});

describe('cancel', () => {
  test(
    "the requester's Cancel cancels it, closes the approval DM and updates the card",
    async () => {
      const number = await d().request(WHO.ada, { sku: 'PAPER', quantity: '25' });
      await d().approvalDm(WHO.ben, number);
      const card = await h.slack.waitFor(() => d().requesterThread(WHO.ada, number).cards[0]);
      expect(buttons(card)).toContain(REQUISITION_ACTIONS.cancel);
      const click = await h.slack.click(WHO.ada, { channel: WHO.ada, ts: card.ts }, REQUISITION_ACTIONS.cancel);
      await d().ephemeralTo(WHO.ada, new RegExp(`${number} is cancelled`));
      await d().waitForStatus(number, 'cancelled');
      const closed = await d().approvalDm(WHO.ben, number, true);
      expect(blockText(closed)).toContain('Cancelled by');
      // The card is updated in place and loses its Cancel button.
      await h.slack.waitFor(() => !buttons(h.slack.message(WHO.ada, card.ts)).includes(REQUISITION_ACTIONS.cancel), { timeout: 30_000 });

      // The same click again (a retry, a stale client): the workflow is over, and the clicker is told so.
      await h.slack.endpoint.redeliver(click);
      await d().ephemeralTo(WHO.ada, new RegExp(`${number} (is cancelled; there is nothing left to do|cannot be cancelled|is already being cancelled)`));
    },
    60_000,
  );
});

test('every request Slack sent in this file was acked within 3 seconds', () => {
  expect(h.slack.deliveries.length).toBeGreaterThan(15);
  expect(slowAcks(h.slack.deliveries)).toEqual([]);
});
