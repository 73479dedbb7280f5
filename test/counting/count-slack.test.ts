import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { COMMANDS, COUNT_IDS, countLineBlockId } from '../../bot/ids.js';
import { saveCountPlan } from '../../db/queries/counting.js';
import { availability, receive } from '../../db/queries/ledger.js';
import { assignRole } from '../../db/queries/people.js';
import { getCountView } from '../../workflows/cycle-count-messages.js';
import { cycleCountWorkflowId, TASK_QUEUE } from '../../workflows/ids.js';
import { cycleCountWorkflow } from '../../workflows/index.js';
import { blockText, slowAcks, startBotHarness, WHO, type BotHarness } from '../helpers/bot.js';

const FARAH = 'U0INV00001'; // inventory manager in the demo workspace

let h: BotHarness;
let number: string;
const lineIds: Record<string, string> = {};

beforeAll(async () => {
  h = await startBotHarness();
  // Book quantities no Slack text may show: PEN 137 at Main/A/1, PAPER 59 at Main/A/2.
  await receive(h.db, { key: 'count-pen', sku: 'PEN', location: 'Main/A/1', quantity: '37', unitCost: '2', document: { type: 'demo', id: 'count' }, actor: 'test' });
  await receive(h.db, { key: 'count-paper', sku: 'PAPER', location: 'Main/A/2', quantity: '9', unitCost: '10', document: { type: 'demo', id: 'count' }, actor: 'test' });
  await assignRole(h.db, { subject: { kind: 'user', id: FARAH }, role: 'inventory_manager', grantedBy: 'test' });
  const plan = await saveCountPlan(h.db, {
    date: '2030-06-03',
    workingDay: true,
    due: [],
    unlocated: [],
    counts: [
      {
        sequence: 1,
        group: 'Main/A',
        counter: WHO.dmitri,
        lines: [
          { sku: 'PEN', location: 'Main/A/1', abcClass: 'C', deadline: '2030-06-03' },
          { sku: 'PAPER', location: 'Main/A/2', abcClass: 'C', deadline: '2030-06-03' },
        ],
      },
    ],
  });
  number = plan.documents[0]!.number;
  const rows = (await h.db.execute(sql`
    select i.sku, cl.id::text as id from cycle_count_lines cl join cycle_counts c on c.id = cl.count_id join items i on i.id = cl.item_id
     where c.number = ${number}`)) as unknown as { sku: string; id: string }[];
  for (const r of rows) lineIds[r.sku] = r.id;
  await h.stockroom.temporal.client.workflow.start(cycleCountWorkflow, {
    taskQueue: TASK_QUEUE,
    workflowId: cycleCountWorkflowId(number),
    args: [{ number }],
  });
});
afterAll(async () => {
  await h?.stop();
});

test('the counter counts blind in Slack: DM, modal without the book, field errors, then the count is in', { timeout: 60_000 }, async () => {
  const dm = await h.slack.waitFor(() => h.slack.dm(WHO.dmitri).find((m) => m.text.includes(number)), { timeout: 15_000, description: 'the count DM' });
  expect(blockText(dm)).toContain('2 lines in *Main/A*');

  // /count lists it too.
  const listed = await h.slack.command(WHO.dmitri, COMMANDS.count, '');
  expect(JSON.stringify(listed.response ?? listed.ephemeral)).toContain(number);

  await h.slack.click(WHO.dmitri, { channel: WHO.dmitri, ts: dm.ts }, COUNT_IDS.start);
  const view = await h.slack.waitFor(() => h.slack.openView(WHO.dmitri), { description: 'the count modal' });
  const shown = JSON.stringify(view.blocks) + view.private_metadata;
  expect(shown).toContain('PEN · Main/A/1');
  expect(shown).toContain('barcode 4006381333931');
  expect(shown).not.toMatch(/\b137\b|\b59\b/); // the book quantities
  const handle = h.stockroom.temporal.client.workflow.getHandle<typeof cycleCountWorkflow>(cycleCountWorkflowId(number));

  // Negative and non-numeric counts come back as field errors; nothing is recorded.
  const refused = await h.slack.submit(WHO.dmitri, view.id, {
    [countLineBlockId(lineIds.PEN!)]: { [COUNT_IDS.quantityInput]: '-3' },
    [countLineBlockId(lineIds.PAPER!)]: { [COUNT_IDS.quantityInput]: 'twelve' },
  });
  expect(refused.responseAction).toBe('errors');
  expect(refused.errors).toEqual({
    [countLineBlockId(lineIds.PEN!)]: 'A count cannot be negative.',
    [countLineBlockId(lineIds.PAPER!)]: '"twelve" is not a number: type digits only, e.g. 12 or 3.5.',
  });
  const recorded = (await h.db.execute(sql`select count(*)::int as n from cycle_count_lines where counted_quantity is not null`)) as unknown as [{ n: number }];
  expect(recorded[0].n).toBe(0);

  // Too many decimals for a unit counted in whole numbers, then the right count.
  const decimals = await h.slack.submit(WHO.dmitri, view.id, {
    [countLineBlockId(lineIds.PEN!)]: { [COUNT_IDS.quantityInput]: '137.5' },
    [countLineBlockId(lineIds.PAPER!)]: { [COUNT_IDS.quantityInput]: '59' },
  });
  expect(decimals.errors).toEqual({ [countLineBlockId(lineIds.PEN!)]: 'ea are counted in whole numbers.' });

  const accepted = await h.slack.submit(WHO.dmitri, view.id, {
    [countLineBlockId(lineIds.PEN!)]: { [COUNT_IDS.quantityInput]: '137' },
    [countLineBlockId(lineIds.PAPER!)]: { [COUNT_IDS.quantityInput]: '57' },
  });
  expect(accepted.errors).toBeUndefined();
  expect(accepted.ok).toBe(true);
  const result = await handle.result();
  expect((await handle.query(getCountView)).status).toBe('posted');
  expect(result.status).toBe('posted');
  expect(result.results!.map((r) => [r.sku, r.outcome, r.variance])).toEqual([
    ['PEN', 'matched', '0'],
    ['PAPER', 'adjusted', '-2'],
  ]);
  expect((await availability(h.db, { sku: 'PAPER' })).locations.find((l) => l.location === 'Main/A/2')?.onHand).toBe('57');
  const thanks = await h.slack.waitFor(() => h.slack.dm(WHO.dmitri).find((m) => m.text.startsWith(`Thanks, count ${number}`)), {
    description: 'the result DM',
  });
  expect(thanks.text).toBe(`Thanks, count ${number} is in: 1 matched the book, 1 corrected within tolerance.`);
  expect(slowAcks(h.slack.deliveries)).toEqual([]);
});

test('/count abc answers with the Pareto table; anything else gets the usage', async () => {
  const abc = await h.slack.command(WHO.dmitri, COMMANDS.count, 'abc');
  expect(JSON.stringify(abc.response ?? abc.ephemeral)).toMatch(/No ABC analysis has run yet|ABC analysis/);
  const help = await h.slack.command(WHO.ada, COMMANDS.count, 'what');
  expect(JSON.stringify(help.response ?? help.ephemeral)).toContain('/count abc');
});

test('a count nobody could be given goes to the managers; /count pass hands it to a counter', { timeout: 60_000 }, async () => {
  const plan = await saveCountPlan(h.db, {
    date: '2030-06-04',
    workingDay: true,
    due: [],
    unlocated: [],
    counts: [{ sequence: 1, group: 'Main/A', counter: null, lines: [{ sku: 'LAPTOP', location: 'Main/A/1', abcClass: 'A', deadline: '2030-06-04' }] }],
  });
  const orphan = plan.documents[0]!.number;
  await h.stockroom.temporal.client.workflow.start(cycleCountWorkflow, { taskQueue: TASK_QUEUE, workflowId: cycleCountWorkflowId(orphan), args: [{ number: orphan }] });
  const told = await h.slack.waitFor(() => h.slack.dm(FARAH).find((m) => m.text.includes(orphan)), { timeout: 15_000, description: "the managers' notice" });
  expect(told.text).toContain('has nobody to count it');

  // Ada is no manager and not the counter: refused. Farah passes it to Dmitri, who gets the DM.
  const refused = await h.slack.command(WHO.ada, COMMANDS.count, `pass ${orphan} <@${WHO.dmitri}>`);
  expect(JSON.stringify(refused.response ?? refused.ephemeral)).toContain('Only the counter or an inventory manager can pass a count on');
  const passed = await h.slack.command(FARAH, COMMANDS.count, `pass ${orphan.toLowerCase()} <@${WHO.dmitri}|dmitri>`);
  expect(JSON.stringify(passed.response ?? passed.ephemeral)).toContain(`Count ${orphan} is now <@${WHO.dmitri}>'s.`);
  const dm = await h.slack.waitFor(() => h.slack.dm(WHO.dmitri).find((m) => m.text.includes(orphan)), { timeout: 15_000, description: 'the DM' });
  expect(dm.text).toContain('was passed to you');
});
