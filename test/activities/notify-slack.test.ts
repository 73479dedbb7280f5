import { WebClient } from '@slack/web-api';
import { ApplicationFailure } from '@temporalio/common';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createNotifySlackActivities } from '../../activities/notify-slack.js';
import { assignRole } from '../../db/queries/people.js';
import { createRequisition } from '../../db/queries/requisitions.js';
import { slackMessages } from '../../db/schema/index.js';
import { parseSettings } from '../../runtime/settings.js';
import { LocalSlack } from '../../sandbox/index.js';
import { requisitionMessageKeys as keys } from '../../workflows/requisition-keys.js';
import type { RequisitionView } from '../../workflows/requisition-messages.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { seedRequisitionWorld, submissionKey, today } from '../helpers/requisitions.js';

// The notification activities against the local Slack (sandbox/): what people would see, and that a
// retried activity never posts twice.

const REQUESTER = 'U0REQ00001'; // demo people of the local Slack
const APPROVER = 'U0APR05000';
const WAREHOUSE_CHANNEL = 'C0WAREHOUS';

let database: TestDatabase;
let slack: LocalSlack;
let activities: ReturnType<typeof createNotifySlackActivities>;
let number: string;

const settings = parseSettings({ currency: '$', requisitions: { warehouseChannel: WAREHOUSE_CHANNEL } }, 'test');

function view(over: Partial<RequisitionView> = {}): RequisitionView {
  return {
    number,
    requester: REQUESTER,
    costCenter: 'OPS',
    reason: 'Printer paper',
    status: 'awaiting_approval',
    totalValue: '300',
    issuedValue: '0',
    submittedAt: '2026-06-01T09:00:00.000Z',
    autoApproved: false,
    lines: [
      {
        lineNo: 1,
        sku: 'PAPER',
        name: 'Copy paper, ream',
        uom: 'ea',
        requested: '30',
        reserved: '0',
        picked: '0',
        issued: '0',
        backordered: '0',
        cancelled: '0',
        unitCost: '10',
        issuedValue: '0',
        allocations: [],
      },
    ],
    approvals: [
      { level: 1, name: 'Manager', requiredLimit: '300', state: 'waiting', asked: [APPROVER], passedOver: [], reminders: 0, escalations: 0, exhausted: false },
    ],
    awaiting: { kind: 'approval', level: 1, approvers: [APPROVER] },
    pickRound: 0,
    ...over,
  };
}

const blocksText = (m: { blocks?: unknown[] } | undefined) => JSON.stringify(m?.blocks ?? []);

beforeAll(async () => {
  database = await createTestDatabase();
  await seedRequisitionWorld(database.db);
  await assignRole(database.db, { subject: { kind: 'user', id: APPROVER }, role: 'approver', approvalLimit: '5000', grantedBy: 'test' });
  number = (
    await createRequisition(database.db, {
      submissionKey: submissionKey(),
      requester: REQUESTER,
      costCenter: 'OPS',
      reason: 'Printer paper',
      lines: [{ sku: 'PAPER', quantity: '30' }],
      today: today(),
    })
  ).number;
  slack = await LocalSlack.start();
  const web = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
  activities = createNotifySlackActivities({ db: database.db, slack: web, settings });
});

afterAll(async () => {
  await slack?.stop();
  await database?.drop();
});

describe('requester thread', () => {
  test('one card in the DM, one reply per event in its thread; a retried event posts nothing new; the card updates in place', async () => {
    await activities.notifyRequester({ key: keys.event(number, 1, 'submitted'), view: view({ status: 'submitted' }), event: { kind: 'submitted' } });
    const awaiting = { key: keys.event(number, 2, 'awaiting_approval'), view: view(), event: { kind: 'awaiting_approval' as const, level: 1, approver: APPROVER } };
    await activities.notifyRequester(awaiting);
    await activities.notifyRequester(awaiting); // the retry

    const dm = slack.dm(REQUESTER);
    expect(dm).toHaveLength(1);
    const card = dm[0]!;
    expect(blocksText(card)).toContain(`${number} · Awaiting approval`);
    expect(blocksText(card)).toContain(`Waiting for <@${APPROVER}> to approve level 1 (Manager).`);
    const [root] = await database.db.select().from(slackMessages).where(eq(slackMessages.idempotencyKey, keys.thread(number)));
    expect(root).toMatchObject({ ts: card.ts, purpose: 'requester_thread' });
    const thread = slack.thread(root!.channel, card.ts).slice(1);
    expect(thread.map((m) => m.text)).toEqual([`${number} is waiting for <@${APPROVER}> to approve (level 1).`]);
    expect(card.previous?.length).toBe(2); // updated at both events after the first (once per call, the retry included)
  });
});

describe('approval DM', () => {
  test('sent once with stock and budget; a crash after posting is recovered from the message metadata, not posted again', async () => {
    const key = keys.approvalRequest(number, 1, APPROVER);
    await activities.requestApproval({ key, view: view(), level: 1, approver: APPROVER });
    // The first attempt posted but died before recording the ts: the retry must find the message.
    await database.db.update(slackMessages).set({ ts: null }).where(eq(slackMessages.idempotencyKey, key));
    await activities.requestApproval({ key, view: view(), level: 1, approver: APPROVER });

    const dm = slack.dm(APPROVER);
    expect(dm).toHaveLength(1);
    const text = blocksText(dm[0]);
    expect(text).toContain(`Approve ${number}? $300.00`);
    expect(text).toContain('30 ea × $10.00 = $300.00 · 80 available');
    expect(text).toContain('used of $100,000.00');
    expect(text).toContain('requisition_approve');
    const [row] = await database.db.select().from(slackMessages).where(eq(slackMessages.idempotencyKey, key));
    expect(row!.ts).toBe(dm[0]!.ts);
  });

  test('a reminder goes in the thread of the request; a decision removes the buttons and says who decided', async () => {
    const requestKey = keys.approvalRequest(number, 1, APPROVER);
    await activities.remindApprover({ key: keys.reminder(number, 1, APPROVER, 1), requestKey, view: view(), level: 1, approver: APPROVER });
    const request = slack.dm(APPROVER)[0]!;
    expect(request.reply_count).toBe(1);

    const decided = view({
      status: 'approved',
      awaiting: { kind: 'nothing' },
      approvals: [{ ...view().approvals[0]!, state: 'approved', decidedBy: APPROVER, decidedAt: '2026-06-01T10:00:00.000Z' }],
    });
    expect(await activities.refreshApprovalMessages({ view: decided })).toEqual({ updated: 1 });
    const updated = slack.dm(APPROVER)[0]!;
    expect(blocksText(updated)).toContain(`Level 1 approved by <@${APPROVER}>`);
    expect(blocksText(updated)).not.toContain('requisition_approve');
  });

  test('every later event brings the closed DM and the Home tabs up to date: the approver reads Issued, not the status at the click', async () => {
    const decided = { ...view().approvals[0]!, state: 'approved' as const, decidedBy: APPROVER, decidedAt: '2026-06-01T10:00:00.000Z' };
    const publishesBefore = slack.callsTo('views.publish').length;
    const approved = view({ status: 'approved', awaiting: { kind: 'nothing' }, approvals: [decided] });
    await activities.notifyRequester({ key: keys.event(number, 3, 'approved'), view: approved, event: { kind: 'approved' } });
    expect(blocksText(slack.dm(APPROVER)[0])).toContain('Status: Approved');

    const issued = view({
      status: 'issued',
      awaiting: { kind: 'nothing' },
      approvals: [decided],
      lines: [{ ...view().lines[0]!, issued: '30', issuedValue: '300' }],
    });
    await activities.notifyRequester({ key: keys.event(number, 4, 'ready'), view: issued, event: { kind: 'ready', round: 1 } });
    await activities.notifyRequester({ key: keys.event(number, 4, 'ready'), view: issued, event: { kind: 'ready', round: 1 } }); // a retry changes nothing
    const dm = slack.dm(APPROVER)[0]!;
    expect(blocksText(dm)).toContain('Status: Issued: ready for collection');
    expect(blocksText(dm)).not.toContain('Awaiting approval');
    expect(blocksText(dm)).not.toContain('requisition_approve');
    expect(slack.dm(APPROVER)).toHaveLength(1); // updated in place, nothing new posted
    expect(blocksText(slack.dm(REQUESTER)[0])).toContain(`${number} · Issued: ready for collection`);

    // Home tabs follow too: published again for the requester and the approver at each event.
    const published = slack.callsTo('views.publish').slice(publishesBefore).map((c) => c.params.user_id);
    expect(published.filter((u) => u === REQUESTER)).toHaveLength(3);
    expect(published.filter((u) => u === APPROVER)).toHaveLength(3);
    expect(JSON.stringify(slack.home(REQUESTER)?.blocks)).toContain(number);
  });
});

describe('pick task', () => {
  test('posted once to the warehouse channel, closed in place when cancelled', async () => {
    const picking = view({
      status: 'picking',
      approvals: [],
      awaiting: { kind: 'pick', round: 1, warehouse: [] },
      lines: [{ ...view().lines[0]!, reserved: '30', allocations: [{ location: 'Main/A/2', quantity: '30' }] }],
    });
    const key = keys.pickTask(number, 1);
    await activities.postPickTask({ key, view: picking, round: 1 });
    await activities.postPickTask({ key, view: picking, round: 1 });
    const posted = slack.messages(WAREHOUSE_CHANNEL).filter((m) => blocksText(m).includes(number));
    expect(posted).toHaveLength(1);
    expect(blocksText(posted[0])).toContain('pick 30 ea from Main/A/2 × 30');
    expect(blocksText(posted[0])).toContain('requisition_confirm_pick');

    await activities.closePickTask({ key, view: { ...picking, status: 'cancelled' }, round: 1, outcome: 'cancelled', by: REQUESTER });
    const closed = slack.message(WAREHOUSE_CHANNEL, posted[0]!.ts)!;
    expect(blocksText(closed)).toContain('do not pick');
    expect(blocksText(closed)).not.toContain('requisition_confirm_pick');
  });
});

describe('failures', () => {
  test('Slack refusing for good (unknown user) is a non-retryable failure; without Slack everything is skipped', async () => {
    const err = await activities
      .requestApproval({ key: `${number}/approval/L1/U0GHOST`, view: view(), level: 1, approver: 'U0GHOST' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ nonRetryable: true, type: 'slack_user_not_found' });

    const offline = createNotifySlackActivities({ db: database.db, settings });
    await offline.notifyRequester({ key: 'offline-1', view: view(), event: { kind: 'approved' } });
    await offline.postPickTask({ key: 'offline-2', view: view(), round: 1 });
    const rows = await database.db.select().from(slackMessages).where(eq(slackMessages.idempotencyKey, 'offline-1'));
    expect(rows).toEqual([]);
  });
});
