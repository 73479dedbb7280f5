import { afterAll, beforeAll, expect, test } from 'vitest';
import { REQUISITION_ACTIONS } from '../../bot/ids.js';
import { startBotHarness, WHO, type BotHarness } from '../helpers/bot.js';
import { botDriver } from '../helpers/bot-driver.js';

let h: BotHarness;

beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(async () => {
  await h?.stop();
});

/** conversations.open calls per user they were opened for. */
const opensPerUser = () => {
  const counts: Record<string, number> = {};
  for (const call of h.slack.callsTo('conversations.open')) {
    const user = String((call.params as { users?: unknown }).users);
    counts[user] = (counts[user] ?? 0) + 1;
  }
  return counts;
};

test('the bot asks auth.test once at start and opens each DM once, however many requests and messages follow', async () => {
  // Start-up verified the token once (HTTP mode against SLACK_API_URL, where Bolt used to skip it and ask per request).
  expect(h.slack.callsTo('auth.test')).toHaveLength(1);

  const d = botDriver(h);
  // Two auto-approved requisitions (under 100) and one Ben approves: Ada's DM card and thread replies, Ben's DM.
  const first = await d.request(WHO.ada, { sku: 'PEN', quantity: '2' });
  const second = await d.request(WHO.ada, { sku: 'PEN', quantity: '3' });
  const third = await d.request(WHO.ada, { sku: 'PAPER', quantity: '20' });
  const dm = await d.approvalDm(WHO.ben, third);
  const approved = await h.slack.click(WHO.ben, { channel: WHO.ben, ts: dm.ts }, REQUISITION_ACTIONS.approve);
  expect(approved.status).toBe(200);
  for (const number of [first, second, third]) await d.pickTask(number);
  await d.approvalDm(WHO.ben, third, true);

  // Every request above (three slash commands, three submissions, a click) went through Bolt's authorize.
  expect(h.slack.callsTo('auth.test')).toHaveLength(1);
  // Ada got several DMs (cards and thread replies) and Ben two (the request, its update): one conversations.open each.
  const ada = h.slack.dm(WHO.ada).length;
  expect(ada).toBeGreaterThanOrEqual(3);
  expect(opensPerUser()).toMatchObject({ [WHO.ada]: 1, [WHO.ben]: 1 });
  expect(Object.values(opensPerUser()).every((n) => n === 1)).toBe(true);
});
