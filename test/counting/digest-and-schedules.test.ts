import { WebClient } from '@slack/web-api';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { digestChartSpec, renderSvg } from '../../activities/digest-chart.js';
import { runAbcClassification } from '../../db/queries/abc.js';
import { saveCountPlan, startCount, submitCount } from '../../db/queries/counting.js';
import { buildManagerDigest } from '../../db/queries/digest.js';
import { createItem } from '../../db/queries/items.js';
import { issue, receive } from '../../db/queries/ledger.js';
import { ensureLocation } from '../../db/queries/locations.js';
import { assignRole } from '../../db/queries/people.js';
import { countingSchedules, ensureCountingSchedules } from '../../runtime/counting-schedules.js';
import { ensureSchedules } from '../../runtime/schedules.js';
import { LocalSlack } from '../../sandbox/index.js';
import { COUNTING_SCHEDULE_IDS, managerDigestWorkflowId, TASK_QUEUE } from '../../workflows/ids.js';
import { DEFAULT_SETTINGS } from '../../runtime/settings.js';
import { managerDigestWorkflow } from '../../workflows/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { connectTestTemporal, type RunningWorker, type TestTemporal } from '../helpers/temporal.js';

const FARAH = 'U0INV00001'; // inventory manager
const DMITRI = 'U0WHS00001';
const NOW = new Date('2026-11-23T08:00:00Z'); // a Monday, the digest's hour

let database: TestDatabase;
let temporal: TestTemporal;
let slack: LocalSlack;
let worker: RunningWorker | undefined;

beforeAll(async () => {
  database = await createTestDatabase();
  temporal = await connectTestTemporal();
  slack = await LocalSlack.start();
  const db = database.db;
  const demo = { type: 'demo' as const, id: 'seed' };
  await ensureLocation(db, { path: 'Main/Aisle 1/Bin 1' });
  await createItem(db, { sku: 'MOTOR', name: 'Servo motor', uom: 'ea' });
  await createItem(db, { sku: 'TAPE', name: 'Packing tape', uom: 'ea' });
  await createItem(db, { sku: 'BINDER', name: 'Ring binder, discontinued colour', uom: 'ea' });
  const stock: [string, string, string][] = [
    ['MOTOR', '20', '400'],
    ['TAPE', '500', '1.2'],
    ['BINDER', '80', '3'],
  ];
  for (const [sku, quantity, unitCost] of stock) {
    await receive(db, { key: `r-${sku}`, sku, location: 'Main/Aisle 1/Bin 1', quantity, unitCost, document: demo, actor: 'test', occurredAt: '2025-06-01T00:00:00Z' });
  }
  await issue(db, { key: 'i-motor', sku: 'MOTOR', location: 'Main/Aisle 1/Bin 1', quantity: '10', document: demo, actor: 'test', unreserved: true, occurredAt: '2026-10-01T00:00:00Z' });
  await issue(db, { key: 'i-tape', sku: 'TAPE', location: 'Main/Aisle 1/Bin 1', quantity: '300', document: demo, actor: 'test', unreserved: true, occurredAt: '2026-11-01T00:00:00Z' });
  // BINDER: last issued well over 180 days ago, so it is dead stock.
  await issue(db, { key: 'i-binder', sku: 'BINDER', location: 'Main/Aisle 1/Bin 1', quantity: '5', document: demo, actor: 'test', unreserved: true, occurredAt: '2025-07-01T00:00:00Z' });
  await runAbcClassification(db, { key: 'nov', trigger: 'manual', asOf: new Date('2026-11-01T00:00:00Z') });
  await assignRole(db, { subject: { kind: 'user', id: FARAH }, role: 'inventory_manager', grantedBy: 'test' });

  // One count submitted this month (TAPE off by 40: outside C's tolerance) and one overdue document.
  const plan = await saveCountPlan(db, {
    date: '2026-11-02',
    workingDay: true,
    due: [],
    unlocated: [],
    counts: [
      { sequence: 1, group: 'Main/Aisle 1', counter: DMITRI, lines: [{ sku: 'TAPE', location: 'Main/Aisle 1/Bin 1', abcClass: 'C', deadline: '2026-11-02' }] },
      { sequence: 2, group: 'Main/Aisle 1', counter: DMITRI, lines: [{ sku: 'MOTOR', location: 'Main/Aisle 1/Bin 1', abcClass: 'A', deadline: '2026-11-02' }] },
    ],
  });
  const [first] = plan.documents;
  await startCount(db, first!.number);
  const [line] = (await db.execute(sql`select cl.id::text as id from cycle_count_lines cl join cycle_counts c on c.id = cl.count_id where c.number = ${first!.number}`)) as unknown as { id: string }[];
  await submitCount(db, { number: first!.number, submittedBy: DMITRI, quantities: { [line!.id]: '160' } });
  await db.execute(sql`update cycle_counts set submitted_at = ${NOW.toISOString()}::timestamptz - interval '1 day' where number = ${first!.number}`);

  const web = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
  worker = await temporal.startWorker(createActivities({ db, slack: web, settings: { ...DEFAULT_SETTINGS, currency: '$' } }));
});
afterAll(async () => {
  await worker?.stop();
  await temporal?.close();
  await slack?.stop();
  await database?.drop();
});

test('the digest says what is due, how accurate counts were, what waits, value by class and dead stock', async () => {
  const digest = await buildManagerDigest(database.db, NOW);
  expect(digest.week).toBe('2026-W48');
  expect(digest.counts).toMatchObject({ dueToday: 0, overdue: 1, awaitingApproval: 0 });
  expect(digest.accuracy).toEqual([{ month: '2026-11', abcClass: 'C', counts: 1, accurate: 0, accuracy: '0.0000' }]);
  expect(digest.valueByClass.map((c) => c.abcClass)).toEqual(['A', 'B', 'C']);
  // MOTOR is A (4,000 of 4,375 consumed); its 10 left are worth 4,000.
  expect(digest.valueByClass[0]).toEqual({ abcClass: 'A', value: '4000', items: 1 });
  expect(digest.deadStock).toMatchObject({ days: 180, items: 1, value: '225' });
  expect(digest.deadStock.top[0]).toMatchObject({ sku: 'BINDER', onHand: '75', lastIssuedOn: '2025-07-01' });
  expect(digest.waiting).toEqual({ reorderSuggestions: 0, openStockAlerts: 0, requisitionApprovals: 0, purchaseOrderApprovals: 0, countApprovals: 0 });
});

test('the weekly run DMs each inventory manager once per week, with the chart as a PNG', async () => {
  const run = (id: string) =>
    temporal.client.workflow.execute(managerDigestWorkflow, {
      taskQueue: TASK_QUEUE,
      workflowId: managerDigestWorkflowId(id),
      args: [{ at: NOW.toISOString() }],
    });
  expect(await run('first')).toEqual({ week: '2026-W48', sentTo: [FARAH] });
  await run('again'); // a doubled schedule run, or a retry: nothing new
  const dm = slack.dm(FARAH);
  const digests = dm.filter((m) => m.text.startsWith('Stockroom weekly digest 2026-W48'));
  expect(digests).toHaveLength(1);
  const text = JSON.stringify(digests[0]!.blocks);
  expect(text).toContain('*1 overdue*');
  expect(text).toContain('BINDER');
  expect(text).toContain('$4,000.00');
  expect(text).toContain('0.0 % of 1 line within tolerance in 2026-11');
  const uploads = slack.callsTo('files.completeUploadExternal');
  expect(uploads).toHaveLength(1);
  const withFile = dm.filter((m) => m.files?.length);
  expect(withFile).toHaveLength(1);
  const file = slack.workspace.file((withFile[0]!.files![0] as { id: string }).id)!;
  expect(file.name).toBe('stockroom-digest-2026-W48.png');
  const bytes = Buffer.from(file.content!, 'base64');
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(bytes.length).toBeGreaterThan(10_000);
});

test('each manager gets the digest at Monday 08:00 in their own Slack time zone, once per week', async () => {
  const KENJI = 'U0INVTOKYO'; // Asia/Tokyo
  const NORA = 'U0INVNYC01'; // America/New_York
  const OMAR = 'U0INVMARS1'; // a zone Slack sends that is no IANA zone: the stockroom's (Europe/Berlin) instead
  slack.addUser({ id: KENJI, name: 'kenji', tz: 'Asia/Tokyo' });
  slack.addUser({ id: NORA, name: 'nora', tz: 'America/New_York' });
  slack.addUser({ id: OMAR, name: 'omar', tz: 'Mars/Olympus_Mons' });
  for (const id of [KENJI, NORA, OMAR]) {
    await assignRole(database.db, { subject: { kind: 'user', id }, role: 'inventory_manager', grantedBy: 'test' });
  }
  await database.db.execute(sql`insert into counting_settings (id, time_zone) values (true, 'Europe/Berlin')
                                on conflict (id) do update set time_zone = excluded.time_zone`);

  // Every hourly run from Sunday 29 Nov 12:00 UTC to Monday 30 Nov 23:00 UTC, and each due hour again at :30
  // (a doubled run or retry), with the time passed in.
  const sent = new Map<string, string[]>();
  const run = async (at: Date) => {
    const result = await temporal.client.workflow.execute(managerDigestWorkflow, {
      taskQueue: TASK_QUEUE,
      workflowId: managerDigestWorkflowId(`tz-${at.toISOString()}`),
      args: [{ at: at.toISOString() }],
    });
    if (result.sentTo.length) sent.set(at.toISOString(), result.sentTo);
  };
  for (let hour = 12; hour < 48; hour++) await run(new Date(Date.UTC(2026, 10, 29, hour)));
  for (const iso of [...sent.keys()]) await run(new Date(new Date(iso).getTime() + 30 * 60_000));

  expect(Object.fromEntries(sent)).toEqual({
    '2026-11-29T23:00:00.000Z': [KENJI], // Monday 08:00 in Tokyo (still Sunday in UTC)
    '2026-11-29T23:30:00.000Z': [KENJI],
    '2026-11-30T07:00:00.000Z': [OMAR], // 08:00 in Berlin, the stockroom's zone
    '2026-11-30T07:30:00.000Z': [OMAR],
    '2026-11-30T08:00:00.000Z': [FARAH], // Europe/London, the sandbox's default
    '2026-11-30T08:30:00.000Z': [FARAH],
    '2026-11-30T13:00:00.000Z': [NORA], // 08:00 EST
    '2026-11-30T13:30:00.000Z': [NORA],
  });
  // The doubled runs posted nothing new: one W49 digest per manager, its week the one in their zone.
  for (const manager of [KENJI, NORA, OMAR, FARAH]) {
    const digests = slack.dm(manager).filter((m) => m.text.startsWith('Stockroom weekly digest 2026-W49'));
    expect(digests, manager).toHaveLength(1);
  }
  const zones = (await database.db.execute(
    sql`select slack_user_id, time_zone from people where slack_user_id in (${KENJI}, ${NORA}, ${OMAR}) order by slack_user_id`,
  )) as unknown as { slack_user_id: string; time_zone: string | null }[];
  // Omar's zone is not stored (nothing usable to keep), so he stays on the stockroom's.
  expect(zones).toEqual([
    { slack_user_id: NORA, time_zone: 'America/New_York' },
    { slack_user_id: KENJI, time_zone: 'Asia/Tokyo' },
  ]);
});

test('the chart is drawn from the digest figures (value by class and accuracy per month)', async () => {
  const svg = await renderSvg(
    digestChartSpec({
      today: '2026-11-23',
      valueByClass: [
        { abcClass: 'A', value: '4000', items: 1 },
        { abcClass: 'B', value: '0', items: 0 },
        { abcClass: 'C', value: '465', items: 2 },
      ],
      accuracy: [{ month: '2026-11', abcClass: 'C', counts: 1, accurate: 0, accuracy: '0.0000' }],
    }),
  );
  expect(svg).toContain('Inventory value by ABC class');
  expect(svg).toContain('Count accuracy by month');
  expect(svg).toContain('2026-11');
  expect(svg.match(/<path[^>]*role="graphics-symbol"[^>]*aria-roledescription="bar"/g)?.length).toBe(3);
});

test('schedules are real Temporal Schedules, created once however often start-up runs, in the stockroom time zone (digest hourly)', async () => {
  await database.db.execute(sql`insert into counting_settings (id, time_zone) values (true, 'Europe/Berlin')
                                on conflict (id) do update set time_zone = excluded.time_zone`);
  const first = await ensureCountingSchedules(temporal.client, database.db);
  const second = await ensureCountingSchedules(temporal.client, database.db);
  expect(first.created.sort()).toEqual(Object.values(COUNTING_SCHEDULE_IDS).sort());
  expect(second).toEqual({ created: [], updated: expect.arrayContaining(Object.values(COUNTING_SCHEDULE_IDS)) });
  const ids: string[] = [];
  for await (const s of temporal.client.schedule.list()) ids.push(s.scheduleId);
  expect(ids.filter((id) => id.startsWith('stockroom-')).sort()).toEqual(Object.values(COUNTING_SCHEDULE_IDS).sort());
  const digest = await temporal.client.schedule.getHandle(COUNTING_SCHEDULE_IDS.managerDigestWeekly).describe();
  expect(digest.spec.timezone).toBe('Europe/Berlin');
  expect(digest.action).toMatchObject({ type: 'startWorkflow', workflowType: 'managerDigestWorkflow', taskQueue: TASK_QUEUE });
  // Hourly: the workflow picks the managers whose own Monday 08:00 it is.
  expect(digest.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 0, end: 23, step: 1 }], minute: [{ start: 0, end: 0, step: 1 }] });

  // A paused schedule stays paused across a restart; a changed time zone is applied.
  await temporal.client.schedule.getHandle(COUNTING_SCHEDULE_IDS.abcMonthly).pause('maintenance');
  await ensureSchedules(temporal.client, countingSchedules('America/New_York'));
  const abc = await temporal.client.schedule.getHandle(COUNTING_SCHEDULE_IDS.abcMonthly).describe();
  expect(abc.state.paused).toBe(true);
  expect(abc.spec.timezone).toBe('America/New_York');
  const next = await temporal.client.schedule.getHandle(COUNTING_SCHEDULE_IDS.countPlanningDaily).describe();
  // 06:00 in New York is 11:00 UTC in November (EST).
  expect(next.info.nextActionTimes[0]!.getUTCHours()).toBe(11);
});
