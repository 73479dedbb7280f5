import type { App } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SLACK_LIMITS } from '../../bot/blocks/limits.js';
import type { LocalSlack } from '../../sandbox/local-slack.js';
import { boltAppFor, startWithLocalSlack, type LocalSlackHarness } from '../helpers/local-slack.js';

const ADA = 'U0REQ00001'; // requester in the demo people
const BEN = 'U0APR00500'; // approver

const CATALOG = [
  { value: 'SKU-100', text: 'A4 paper, box of 5' },
  { value: 'SKU-200', text: 'Blue pens, pack of 10' },
  { value: 'SKU-300', text: 'Paper clips' },
];

/** What the tiny app saw, so tests can prove a request did or did not reach a listener. */
const seen = {
  commands: 0,
  submissions: [] as Array<Record<string, unknown>>,
  retryNums: [] as Array<number | undefined>,
};
let gate: { open: () => void; promise: Promise<void> } = makeGate();

function makeGate() {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { open, promise };
}

const requestModal = (extra: Record<string, unknown> = {}) => ({
  type: 'modal' as const,
  callback_id: 'request_modal',
  title: { type: 'plain_text' as const, text: 'Request supplies' },
  submit: { type: 'plain_text' as const, text: 'Submit' },
  notify_on_close: true,
  blocks: [
    {
      type: 'input',
      block_id: 'item',
      label: { type: 'plain_text', text: 'Item' },
      element: { type: 'external_select', action_id: 'item_select', min_query_length: 1 },
    },
    {
      type: 'input',
      block_id: 'qty',
      label: { type: 'plain_text', text: 'Quantity' },
      element: { type: 'number_input', action_id: 'qty_input', is_decimal_allowed: false },
    },
    {
      type: 'input',
      block_id: 'needed',
      label: { type: 'plain_text', text: 'Needed by' },
      element: { type: 'datepicker', action_id: 'needed_date', initial_date: '2030-01-31' },
    },
    {
      type: 'input',
      block_id: 'reason',
      optional: true,
      label: { type: 'plain_text', text: 'Reason' },
      element: { type: 'plain_text_input', action_id: 'reason_input' },
    },
  ],
  ...extra,
});

function register(app: App): void {
  app.command('/request', async ({ ack, body, client }) => {
    seen.commands += 1;
    await ack();
    await client.views.open({ trigger_id: body.trigger_id, view: requestModal() as never });
  });
  app.command('/stock', async ({ ack, command }) => {
    await ack(`On hand for ${command.text}: 12`);
  });
  app.command('/receive', async ({ ack, body, client }) => {
    await ack();
    await gate.promise; // the test moves the clock past the trigger's life before this goes on
    // Both are refused; the test reads the recorded calls.
    await client.views.open({ trigger_id: body.trigger_id, view: requestModal() as never }).catch(() => undefined);
    await client.views.open({ trigger_id: body.trigger_id, view: requestModal() as never }).catch(() => undefined);
  });
  app.shortcut('request_supplies', async ({ ack, body, client }) => {
    await ack();
    await client.views.open({
      trigger_id: body.trigger_id,
      view: requestModal({ callback_id: 'request_modal' }) as never,
    });
  });
  app.options('item_select', async ({ ack, options }) => {
    const query = options.value.toLowerCase();
    await ack({
      options: CATALOG.filter((c) => c.text.toLowerCase().includes(query)).map((c) => ({
        text: { type: 'plain_text', text: c.text },
        value: c.value,
      })),
    });
  });
  app.view('request_modal', async ({ ack, view, body, client, context }) => {
    seen.retryNums.push(context.retryNum);
    const values = view.state.values;
    const qty = values.qty?.qty_input?.value ?? '';
    const reason = values.reason?.reason_input?.value ?? '';
    seen.submissions.push({ values, user: body.user.id });
    if (qty.startsWith('-'))
      return ack({ response_action: 'errors', errors: { qty: 'Quantity must be more than zero' } });
    if (reason === 'update')
      return ack({
        response_action: 'update',
        view: requestModal({ title: { type: 'plain_text', text: 'Updated' } }) as never,
      });
    if (reason === 'push') {
      return ack({
        response_action: 'push',
        view: {
          type: 'modal',
          title: { type: 'plain_text', text: 'Step 2' },
          blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'More' } }],
        },
      });
    }
    if (reason === 'clear') return ack({ response_action: 'clear' });
    await ack();
    const item = values.item?.item_select?.selected_option;
    const posted = await client.chat.postMessage({
      channel: 'C0REQUESTS',
      text: `${qty} × ${item?.text.text} for <@${body.user.id}>`,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `*${qty}* × ${item?.text.text}` } },
        {
          type: 'actions',
          block_id: 'decide',
          elements: [
            {
              type: 'button',
              action_id: 'approve',
              text: { type: 'plain_text', text: 'Approve' },
              style: 'primary',
              value: 'REQ-1',
            },
            { type: 'button', action_id: 'dismiss', text: { type: 'plain_text', text: 'Dismiss' }, value: 'REQ-1' },
          ],
        },
      ],
    });
    await client.chat.postMessage({
      channel: 'C0REQUESTS',
      thread_ts: posted.ts!,
      text: 'Submitted, waiting for approval',
    });
  });
  app.view({ callback_id: 'request_modal', type: 'view_closed' }, async ({ ack }) => {
    await ack();
  });
  app.action('approve', async ({ ack, body, client }) => {
    await ack();
    const b = body as { channel?: { id: string }; message?: { ts: string }; user: { id: string } };
    await client.chat.update({
      channel: b.channel!.id,
      ts: b.message!.ts,
      text: `Approved by <@${b.user.id}>`,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `:white_check_mark: Approved by <@${b.user.id}>` } }],
    });
  });
  app.action('dismiss', async ({ ack, respond }) => {
    await ack();
    await respond({ replace_original: true, text: 'Dismissed' });
  });
  app.event('app_home_opened', async ({ event, client }) => {
    await client.views.publish({
      user_id: event.user,
      view: { type: 'home', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'My requisitions' } }] },
    });
  });
}

let h: LocalSlackHarness<App>;
let slack: LocalSlack;

beforeAll(async () => {
  h = await startWithLocalSlack((wiring) => {
    const app = boltAppFor(wiring);
    register(app);
    return app;
  });
  slack = h.slack;
});
afterAll(async () => {
  await h?.stop();
});

describe('requests reach the app signed exactly as Slack signs them', () => {
  test('a slash command reaches the app, and the modal it opens is shown to the person', async () => {
    const before = seen.commands;
    const result = await slack.command(ADA, '/request', 'paper');
    expect(result.status).toBe(200);
    expect(seen.commands).toBe(before + 1);
    const view = await slack.waitFor(() => slack.openView(ADA), { description: 'the request modal' });
    expect(view.callback_id).toBe('request_modal');
    const call = slack.callsTo('views.open').at(-1)!;
    expect(call.ok).toBe(true);
    expect((call.response.view as { id: string }).id).toBe(view.id);
    await slack.closeView(ADA);
  });

  test('Bolt refuses a wrong signature and a stale timestamp, and no listener runs', async () => {
    const before = seen.commands;
    const forged = await slack.command(ADA, '/request', '', { signature: 'v0=' + '0'.repeat(64) });
    expect(forged.status).toBe(401);
    const stale = await slack.command(ADA, '/request', '', { timestampSec: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(stale.status).toBe(401);
    expect(seen.commands).toBe(before);
    // The same request, correctly signed and fresh, goes through: the refusals were about the signature.
    const good = await slack.endpoint.redeliver(forged.delivery!);
    expect(good.status).toBe(200);
    await slack.waitFor(() => slack.openView(ADA));
    await slack.closeView(ADA);
  });

  test('a text ack to a slash command is shown to the person only', async () => {
    const result = await slack.command(BEN, '/stock', 'SKU-100');
    expect(result.ephemeral?.text).toBe('On hand for SKU-100: 12');
    expect(slack.ephemerals(BEN).at(-1)?.text).toBe('On hand for SKU-100: 12');
    expect(slack.ephemerals(ADA).some((e) => e.text.includes('SKU-100'))).toBe(false);
  });

  test('an unknown command never reaches the app', async () => {
    const count = slack.deliveries.length;
    const result = await slack.command(ADA, '/nope');
    expect(result.error).toBe('not_a_valid_command');
    expect(slack.deliveries.length).toBe(count);
  });
});

describe('modals', () => {
  test('type-ahead options come from block_suggestion; response_action errors show under the field; a good submit posts', async () => {
    await slack.shortcut(ADA, 'request_supplies');
    const view = await slack.waitFor(() => slack.openView(ADA));
    const options = await slack.suggest(ADA, { viewId: view.id }, 'item_select', 'paper');
    expect(options.map((o) => o.value)).toEqual(['SKU-100', 'SKU-300']);

    const bad = await slack.submit(ADA, view.id, { item: { item_select: 'SKU-100' }, qty: { qty_input: '-3' } });
    expect(bad).toMatchObject({
      ok: false,
      responseAction: 'errors',
      errors: { qty: 'Quantity must be more than zero' },
    });
    expect(slack.openView(ADA)?.id).toBe(view.id);
    expect(slack.viewErrors(view.id)).toEqual({ qty: 'Quantity must be more than zero' });

    const good = await slack.submit(ADA, view.id, { qty: { qty_input: '4' } });
    expect(good).toMatchObject({ ok: true, status: 200 });
    expect(slack.openView(ADA)).toBeUndefined();
    const submitted = seen.submissions.at(-1)!.values as Record<string, Record<string, Record<string, unknown>>>;
    // Slack's shapes: the external option with its text, the initial date, the empty optional field.
    expect(submitted.item!.item_select).toEqual({
      type: 'external_select',
      selected_option: { text: { type: 'plain_text', text: 'A4 paper, box of 5', emoji: true }, value: 'SKU-100' },
    });
    expect(submitted.needed!.needed_date).toEqual({ type: 'datepicker', selected_date: '2030-01-31' });
    expect(submitted.reason!.reason_input).toEqual({ type: 'plain_text_input', value: null });

    const parent = await slack.waitFor(() =>
      slack.messages('#requests').find((m) => m.text.startsWith('4 × A4 paper')),
    );
    const thread = await slack.waitFor(() =>
      slack.thread('requests', parent.ts).length === 2 ? slack.thread('requests', parent.ts) : undefined,
    );
    expect(thread[1]!.text).toBe('Submitted, waiting for approval');
    expect(slack.message('requests', parent.ts)!.reply_count).toBe(1);
    expect(slack.messages('requests').some((m) => m.text === 'Submitted, waiting for approval')).toBe(false);
  });

  test("Slack's client refuses an empty required field or a malformed number without asking the app", async () => {
    await slack.command(ADA, '/request');
    const view = await slack.waitFor(() => slack.openView(ADA));
    const count = slack.deliveries.length;
    const result = await slack.submit(ADA, view.id, { qty: { qty_input: '2.5' } });
    expect(result).toMatchObject({
      ok: false,
      clientSide: true,
      errors: { item: 'Please fill out this field.', qty: 'Enter a whole number.' },
    });
    expect(slack.deliveries.length).toBe(count);
    await slack.closeView(ADA, view.id);
  });

  test('update keeps the view id with a new hash, push stacks, clear closes the stack; close sends view_closed', async () => {
    await slack.command(ADA, '/request');
    const view = await slack.waitFor(() => slack.openView(ADA));
    const fill = {
      item: { item_select: { value: 'SKU-200', text: 'Blue pens, pack of 10' } },
      qty: { qty_input: '1' },
    };

    const updated = await slack.submit(ADA, view.id, { ...fill, reason: { reason_input: 'update' } });
    expect(updated).toMatchObject({ ok: true, responseAction: 'update' });
    expect(updated.view!.id).toBe(view.id);
    expect(updated.view!.hash).not.toBe(view.hash);
    expect(slack.openView(ADA)!.title).toMatchObject({ text: 'Updated' });

    const pushed = await slack.submit(ADA, view.id, { reason: { reason_input: 'push' } });
    expect(pushed.responseAction).toBe('push');
    expect(slack.viewStack(ADA).map((v) => v.id)).toEqual([view.id, pushed.view!.id]);
    expect(pushed.view!.previous_view_id).toBe(view.id);

    await slack.closeView(ADA, pushed.view!.id); // back to the first view; no notify_on_close on step 2
    expect(slack.openView(ADA)!.id).toBe(view.id);
    const cleared = await slack.submit(ADA, view.id, { reason: { reason_input: 'clear' } });
    expect(cleared.responseAction).toBe('clear');
    expect(slack.viewStack(ADA)).toEqual([]);

    await slack.command(ADA, '/request');
    const again = await slack.waitFor(() => slack.openView(ADA));
    const closed = await slack.closeView(ADA);
    expect(closed?.status).toBe(200);
    expect(closed?.payload).toMatchObject({ type: 'view_closed', is_cleared: false, view: { id: again.id } });
  });

  test('a trigger_id expires after 3 s and is single-use', async () => {
    gate = makeGate();
    const refusedBefore = slack.callsTo('views.open').filter((c) => !c.ok).length;
    await slack.command(ADA, '/receive');
    slack.advanceClock(SLACK_LIMITS.triggerIdTtlMs + 1);
    gate.open();
    const refused = await slack.waitFor(() => {
      const failed = slack
        .callsTo('views.open')
        .filter((c) => !c.ok)
        .slice(refusedBefore);
      return failed.length >= 2 && failed;
    });
    // Expired stays expired: an expired trigger was never spent, so the retry is refused the same way.
    expect(refused.map((c) => c.error)).toEqual(['expired_trigger_id', 'expired_trigger_id']);
    expect(refused[0]!.response).toEqual({ ok: false, error: 'expired_trigger_id' });
    expect(slack.openView(ADA)).toBeUndefined();

    // A fresh trigger works once; the second views.open with it is refused.
    const trigger = slack.workspace.issueTrigger(ADA);
    const client = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    await client.views.open({ trigger_id: trigger, view: requestModal() as never });
    await expect(client.views.open({ trigger_id: trigger, view: requestModal() as never })).rejects.toMatchObject({
      data: { error: 'exchanged_trigger_id' },
    });
    await slack.closeView(ADA);
  });

  test('a redelivered submission carries Slack retry headers to the app', async () => {
    await slack.command(BEN, '/request');
    const view = await slack.waitFor(() => slack.openView(BEN));
    const first = await slack.submit(BEN, view.id, {
      item: { item_select: { value: 'SKU-300', text: 'Paper clips' } },
      qty: { qty_input: '-1' },
    });
    await slack.endpoint.redeliver(first.delivery!, { retryNum: 1, retryReason: 'http_timeout' });
    expect(seen.retryNums.slice(-2)).toEqual([undefined, 1]);
    await slack.closeView(BEN);
  });
});

describe('messages', () => {
  test('a button click reaches the app as block_actions and chat.update edits the message in place', async () => {
    const client = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    const posted = await client.chat.postMessage({
      channel: BEN,
      text: 'Approve?',
      blocks: [
        {
          type: 'actions',
          block_id: 'decide',
          elements: [
            { type: 'button', action_id: 'approve', text: { type: 'plain_text', text: 'Approve' }, value: 'REQ-9' },
          ],
        },
      ],
    });
    expect(posted.channel).toBe('D0APR00500');
    const delivery = await slack.click(BEN, { channel: posted.channel!, ts: posted.ts! }, 'approve');
    expect(delivery.status).toBe(200);
    expect(delivery.payload).toMatchObject({
      type: 'block_actions',
      user: { id: BEN },
      container: { type: 'message', channel_id: posted.channel, message_ts: posted.ts },
      actions: [{ action_id: 'approve', block_id: 'decide', value: 'REQ-9', type: 'button' }],
    });
    const updated = await slack.waitFor(() => slack.dm(BEN).find((m) => m.ts === posted.ts && m.edited));
    expect(updated.text).toBe(`Approved by <@${BEN}>`);
    expect(updated.previous?.[0]?.text).toBe('Approve?');
    expect(slack.dm(BEN).filter((m) => m.ts === posted.ts)).toHaveLength(1);
  });

  test('respond() through the response_url replaces the original message', async () => {
    const client = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    const posted = await client.chat.postMessage({
      channel: 'C0WAREHOUS',
      text: 'Pick task',
      blocks: [
        {
          type: 'actions',
          elements: [{ type: 'button', action_id: 'dismiss', text: { type: 'plain_text', text: 'Dismiss' } }],
        },
      ],
    });
    await slack.click('U0WHS00001', { channel: '#warehouse', ts: posted.ts! }, 'dismiss');
    const replaced = await slack.waitFor(
      () => slack.message('#warehouse', posted.ts!)?.text === 'Dismissed' && slack.message('#warehouse', posted.ts!),
    );
    expect(replaced.blocks ?? []).toEqual([]);
  });

  test('Slack limits: 51 blocks are invalid_blocks, 101 modal blocks invalid_arguments, and nothing is posted', async () => {
    const client = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    const section = { type: 'section', text: { type: 'mrkdwn', text: 'line' } };
    const before = slack.messages('#requests').length;
    await expect(
      client.chat.postMessage({
        channel: 'C0REQUESTS',
        text: 'too long',
        blocks: Array(SLACK_LIMITS.messageBlocks + 1).fill(section),
      }),
    ).rejects.toMatchObject({
      data: { ok: false, error: 'invalid_blocks', errors: ['no more than 50 items allowed [json-pointer:/blocks]'] },
    });
    await expect(
      client.chat.postMessage({
        channel: 'C0REQUESTS',
        text: 'x',
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }],
      }),
    ).rejects.toMatchObject({
      data: {
        error: 'invalid_blocks',
        errors: ['must be less than 3001 characters [json-pointer:/blocks/0/text/text]'],
      },
    });
    await expect(
      client.chat.postMessage({
        channel: 'C0REQUESTS',
        text: 'x',
        blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }],
      }),
    ).rejects.toMatchObject({ data: { error: 'invalid_blocks' } });
    expect(slack.messages('#requests').length).toBe(before);
    await expect(
      client.views.publish({
        user_id: ADA,
        view: { type: 'home', blocks: Array(SLACK_LIMITS.viewBlocks + 1).fill(section) },
      }),
    ).rejects.toMatchObject({
      data: {
        error: 'invalid_arguments',
        response_metadata: { messages: ['[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]'] },
      },
    });
    // Exactly at the limits is fine.
    await client.chat.postMessage({
      channel: 'C0REQUESTS',
      text: 'ok',
      blocks: Array(SLACK_LIMITS.messageBlocks).fill(section),
    });
  });

  test('tokens and channels: invalid_auth, channel_not_found, not_in_channel without chat:write.public', async () => {
    const wrong = new WebClient('xoxb-wrong', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    await expect(wrong.auth.test()).rejects.toMatchObject({ data: { ok: false, error: 'invalid_auth' } });
    const client = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    expect(await client.auth.test()).toMatchObject({
      ok: true,
      user_id: 'U0STOCKBOT',
      bot_id: 'B0STOCKBOT',
      team_id: 'T0SANDBOX0',
    });
    await expect(client.chat.postMessage({ channel: 'C0NOSUCHCH', text: 'hi' })).rejects.toMatchObject({
      data: { error: 'channel_not_found' },
    });
    // #general: the bot is not a member; the manifest grants chat:write.public, so the post goes through.
    await client.chat.postMessage({ channel: '#general', text: 'hello' });
    expect(slack.calls.filter((c) => c.method === 'chat.postMessage' && !c.ok).map((c) => c.error)).toContain(
      'channel_not_found',
    );

    const strict = await startWithLocalSlack((w) => boltAppFor(w), {
      manifest: { oauth_config: { scopes: { bot: ['chat:write'] } } },
    });
    try {
      const c = new WebClient(strict.slack.botToken, { slackApiUrl: strict.slack.apiUrl, retryConfig: { retries: 0 } });
      await expect(c.chat.postMessage({ channel: '#general', text: 'hello' })).rejects.toMatchObject({
        data: { error: 'not_in_channel' },
      });
      await c.chat.postMessage({ channel: '#requests', text: 'member, fine' });
    } finally {
      await strict.stop();
    }
  });

  test('users, DMs, user groups and App Home answer in Slack shapes', async () => {
    const client = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    const info = await client.users.info({ user: BEN });
    expect(info.user).toMatchObject({
      id: BEN,
      name: 'ben',
      real_name: 'Ben Okafor',
      is_bot: false,
      profile: { email: 'ben@example.com' },
    });
    await expect(client.users.info({ user: 'U0NOBODY00' })).rejects.toMatchObject({
      data: { error: 'user_not_found' },
    });
    const im = await client.conversations.open({ users: ADA });
    expect(im.channel?.id).toBe('D0REQ00001');
    const groups = await client.usergroups.list({ include_users: true });
    const approvers = groups.usergroups!.find((g) => g.handle === 'approvers')!;
    expect(approvers.users).toEqual(['U0APR00500', 'U0APR05000']);
    expect((await client.usergroups.users.list({ usergroup: approvers.id! })).users).toEqual([
      'U0APR00500',
      'U0APR05000',
    ]);

    await slack.openHome(ADA);
    const home = await slack.waitFor(() => slack.home(ADA));
    expect(home.blocks[0]).toMatchObject({ type: 'header', text: { text: 'My requisitions' } });
    await slack.openHome(ADA);
    await slack.waitFor(() => slack.callsTo('views.publish').filter((c) => c.ok).length >= 2);
    expect(slack.home(ADA)!.id).toBe(home.id);
  });

  test('history and replies: newest first / parent first, window by oldest, metadata only on request', async () => {
    const client = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    const metadata = { event_type: 'requisition_posted', event_payload: { key: 'REQ-7:posted' } };
    const parent = await client.chat.postMessage({ channel: 'C0STOCKALR', text: 'Low stock: SKU-100', metadata });
    const reply = await client.chat.postMessage({ channel: 'C0STOCKALR', text: 'Reordered', thread_ts: parent.ts! });
    const history = await client.conversations.history({
      channel: 'C0STOCKALR',
      oldest: String(Number(parent.ts) - 1),
    });
    expect(history.messages!.map((m) => m.text)).toEqual(['Low stock: SKU-100']);
    expect(history.messages![0]).not.toHaveProperty('metadata');
    const withMetadata = await client.conversations.history({ channel: 'C0STOCKALR', include_all_metadata: true });
    expect(withMetadata.messages![0]!.metadata).toEqual(metadata);
    const replies = await client.conversations.replies({ channel: 'C0STOCKALR', ts: parent.ts!, oldest: parent.ts! });
    expect(replies.messages!.map((m) => m.ts)).toEqual([parent.ts, reply.ts]);
    await expect(client.conversations.history({ channel: 'C0GENERAL0' })).rejects.toMatchObject({
      data: { error: 'not_in_channel' },
    });
  });

  test('files.uploadV2 goes through getUploadURLExternal, the upload and completeUploadExternal', async () => {
    const client = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    const result = await client.files.uploadV2({
      channel_id: 'C0PURCHASE',
      filename: 'po-42.csv',
      content: 'sku,qty\nSKU-100,5\n',
      initial_comment: 'PO 42',
    });
    expect(result.ok).toBe(true);
    expect(slack.calls.map((c) => c.method).filter((m) => m.startsWith('files.'))).toEqual([
      'files.getUploadURLExternal',
      'files.completeUploadExternal',
    ]);
    const message = slack.messages('#purchasing').at(-1)!;
    expect(message.text).toBe('PO 42');
    expect(message.files?.[0]).toMatchObject({ name: 'po-42.csv', size: 18 });
    const file = slack.workspace.file(message.files![0]!.id)!;
    expect(Buffer.from(file.content!, 'base64').toString()).toBe('sku,qty\nSKU-100,5\n');
  });
});
