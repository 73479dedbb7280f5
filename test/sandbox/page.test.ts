import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { App, LogLevel } from '@slack/bolt';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { freePort } from '../../runtime/embedded-postgres.js';
import { LocalSlack } from '../../sandbox/local-slack.js';

/**
 * The sandbox page in Debian's Chromium against a tiny Bolt app mounted with the local Slack on one port (the
 * product's layout). Screenshots of each step go to test-artefacts/sandbox/ (ignored by git).
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = path.resolve('test-artefacts/sandbox');
const CATALOG = [
  { value: 'SKU-100', text: 'A4 paper, box of 5' },
  { value: 'SKU-200', text: 'Blue pens, pack of 10' },
];

let port: number;
let dir: string;
let slack: LocalSlack;
let app: App;
let browser: Browser;
let page: Page;

function tinyApp(s: LocalSlack): App {
  const a = new App({
    token: s.botToken,
    signingSecret: s.signingSecret,
    clientOptions: { slackApiUrl: s.apiUrl, retryConfig: { retries: 0 } },
    tokenVerificationEnabled: false,
    logLevel: LogLevel.ERROR,
    customRoutes: s.routes(),
  });
  a.command('/stock', async ({ ack, command }) => {
    await ack({ text: `*${command.text}*: 12 on hand in \`A-01-03\``, response_type: 'ephemeral' });
  });
  a.command('/request', async ({ ack, body, client }) => {
    await ack();
    await client.views.open({
      trigger_id: body.trigger_id,
      view: {
        type: 'modal',
        callback_id: 'request_modal',
        title: { type: 'plain_text', text: 'Request supplies' },
        submit: { type: 'plain_text', text: 'Submit' },
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: 'What do you need?' } },
          {
            type: 'input',
            block_id: 'item',
            label: { type: 'plain_text', text: 'Item' },
            element: { type: 'external_select', action_id: 'item', min_query_length: 1 },
          },
          {
            type: 'input',
            block_id: 'qty',
            label: { type: 'plain_text', text: 'Quantity' },
            element: { type: 'number_input', action_id: 'qty', is_decimal_allowed: true },
          },
          {
            type: 'input',
            block_id: 'needed',
            label: { type: 'plain_text', text: 'Needed by' },
            element: { type: 'datepicker', action_id: 'needed' },
          },
          { type: 'rich_text', elements: [] } as never,
        ],
      },
    });
  });
  // Slack's date token and emoji, as the bot writes them (bot/blocks/mrkdwn.ts).
  a.command('/stockroom', async ({ ack }) => {
    const now = Math.floor(Date.now() / 1000);
    await ack({
      response_type: 'ephemeral',
      text: 'Decided',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: ':rotating_light: Stockout: PEN', emoji: true } },
        { type: 'section', text: { type: 'mrkdwn', text: `:white_check_mark: Approved on <!date^${now}^{date_short_pretty} at {time}|2026-01-01 00:00 UTC>` } },
      ],
    });
  });
  a.options('item', async ({ ack, options }) => {
    await ack({
      options: CATALOG.filter((c) => c.text.toLowerCase().includes(options.value.toLowerCase())).map((c) => ({
        text: { type: 'plain_text', text: c.text },
        value: c.value,
      })),
    });
  });
  a.view('request_modal', async ({ ack, view, body, client }) => {
    const v = view.state.values;
    const qty = v.qty?.qty?.value ?? '';
    if (qty.startsWith('-'))
      return ack({ response_action: 'errors', errors: { qty: 'Quantity must be more than zero' } });
    await ack();
    await client.chat.postMessage({
      channel: 'C0REQUESTS',
      text: `New request from <@${body.user.id}>`,
      blocks: [
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: `*New request* from <@${body.user.id}>: ${qty} × ${v.item?.item?.selected_option?.text.text}`,
          },
        },
        { type: 'context', elements: [{ type: 'mrkdwn', text: `Needed by ${v.needed?.needed?.selected_date}` }] },
        {
          type: 'actions',
          block_id: 'decide',
          elements: [
            { type: 'button', action_id: 'approve', style: 'primary', text: { type: 'plain_text', text: 'Approve' } },
          ],
        },
      ],
    });
  });
  a.action('approve', async ({ ack, body, client }) => {
    await ack();
    const b = body as { channel?: { id: string }; message?: { ts: string }; user: { id: string } };
    await client.chat.update({
      channel: b.channel!.id,
      ts: b.message!.ts,
      text: `Approved by <@${b.user.id}>`,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `:white_check_mark: Approved by <@${b.user.id}>` } }],
    });
  });
  return a;
}

const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`) });

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  port = await freePort();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-page-'));
  slack = LocalSlack.create({
    baseUrl: `http://127.0.0.1:${port}/sandbox`,
    appUrl: `http://127.0.0.1:${port}/slack/events`,
    dataFile: path.join(dir, 'sandbox.json'),
  });
  app = tinyApp(slack);
  await app.start(port);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
});
afterAll(async () => {
  await browser?.close();
  await slack?.stop();
  await app?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('load the page, switch user, run slash commands, fill a modal with a field error, approve from the channel', async () => {
  await page.goto(`http://127.0.0.1:${port}/sandbox`);
  await page.getByRole('heading', { name: 'Stockroom — Messages' }).waitFor();
  await shot('01-loaded');

  // Switch to the inventory manager (Farah) and ask for stock: the ack's ephemeral reply shows, mrkdwn rendered.
  await page.getByLabel('Switch user').selectOption('U0INV00001');
  await page.waitForURL(/user=U0INV00001/);
  const composer = page.getByPlaceholder('Message, or type / for commands');
  await composer.fill('/stock SKU-100');
  await composer.press('Enter');
  const reply = page.locator('.message.ephemeral').filter({ hasText: '12 on hand' });
  await reply.waitFor();
  expect(await reply.locator('b').textContent()).toBe('SKU-100');
  expect(await reply.locator('code').textContent()).toBe('A-01-03');
  await shot('02-switched-user-slash-command');

  // /request opens the app's modal; the unknown rich_text block is shown, not dropped.
  await composer.fill('/request');
  await composer.press('Enter');
  const modal = page.getByRole('dialog', { name: 'Request supplies' });
  await modal.waitFor();
  await modal.getByText('Unsupported block: rich_text').waitFor();
  await modal.getByLabel('item', { exact: true }).fill('pap');
  await modal.getByRole('option', { name: 'A4 paper, box of 5' }).click();
  await modal.getByLabel('qty', { exact: true }).fill('-3');
  await modal.locator('input[type=date]').fill('2030-03-01');
  await shot('03-modal-filled');
  await modal.getByRole('button', { name: 'Submit' }).click();
  await modal.getByRole('alert').filter({ hasText: 'Quantity must be more than zero' }).waitFor();
  expect(await modal.locator('[data-block-id=qty] .field-error').textContent()).toBe('Quantity must be more than zero');
  await shot('04-modal-field-error');

  await modal.getByLabel('qty', { exact: true }).fill('4');
  await modal.getByRole('button', { name: 'Submit' }).click();
  await modal.waitFor({ state: 'detached' });

  // The app posted to #requests; the approver switches in and approves there; the message is updated in place.
  await page.getByLabel('Switch user').selectOption('U0APR00500');
  await page.locator('[data-channel=C0REQUESTS]').click();
  const request = page.locator('.message').filter({ hasText: 'New request' });
  await request.waitFor();
  expect(await request.textContent()).toContain('@Farah Haddad: 4 × A4 paper, box of 5');
  await shot('05-approver-sees-request');
  await request.getByRole('button', { name: 'Approve' }).click();
  const approved = page.locator('.message').filter({ hasText: 'Approved by' });
  await approved.waitFor();
  expect(await approved.textContent()).toContain('Approved by @Ben Okafor');
  expect(await approved.locator('img.emoji').getAttribute('alt')).toBe('✅');
  expect(await approved.locator('.edited').count()).toBe(1);
  await shot('06-approved-in-place');

  // State lives on the server: a reload shows the same conversation.
  await page.reload();
  await page.locator('.message').filter({ hasText: 'Approved by' }).waitFor();
  expect(slack.messages('#requests')).toHaveLength(1);
});

const FARAH = 'U0INV00001';
const BEN = 'U0APR00500';
const dialogs = () => page.getByRole('dialog');

/** Opens the page as Farah and types a command in the composer. */
async function asFarah(command: string): Promise<void> {
  await page.goto(`http://127.0.0.1:${port}/sandbox/?user=${FARAH}`);
  const composer = page.getByPlaceholder('Message, or type / for commands');
  await composer.fill(command);
  await composer.press('Enter');
}

test("a person's modal stays theirs: switching person hides it, switching back shows it, a reload closes it", async () => {
  await asFarah('/request');
  await page.getByRole('dialog', { name: 'Request supplies' }).waitFor();
  expect(slack.openView(FARAH)).toBeDefined();

  // Ben has no modal: none on his screen (Farah's stayed there, with a × that could not close it).
  const loaded = page.waitForResponse((r) => r.url().includes(`ui/state?user=${BEN}`));
  await page.getByLabel('Switch user').selectOption(BEN);
  await loaded;
  await page.getByRole('heading', { name: 'Stockroom — Messages' }).waitFor();
  expect(await dialogs().count()).toBe(0);
  await shot('07-switched-person-no-modal');

  // Back to Farah: her modal is where she left it.
  await page.getByLabel('Switch user').selectOption(FARAH);
  await page.getByRole('dialog', { name: 'Request supplies' }).waitFor();

  // A reload is a fresh client: the modal is closed in the workspace too, so it covers nobody's page.
  await page.reload();
  await page.getByRole('heading', { name: 'Stockroom — Messages' }).waitFor();
  await expect.poll(() => slack.openView(FARAH)).toBeUndefined();
  expect(await dialogs().count()).toBe(0);
  await page.getByLabel('Switch user').selectOption(BEN);
  await page.getByLabel('Switch user').selectOption(FARAH);
  await page.waitForURL(new RegExp(`user=${FARAH}`));
  expect(await dialogs().count()).toBe(0);
  await shot('08-reloaded-no-modal');
});

test("Slack's date tokens are shown in the reader's words and time zone, not as their fallback", async () => {
  await asFarah('/stockroom help');
  const reply = page.locator('.message.ephemeral').filter({ hasText: 'Approved on' });
  await reply.waitFor();
  const date = reply.locator('time');
  expect(await date.textContent()).toMatch(/^Today at \d{1,2}[:.]\d{2}/);
  expect(await reply.textContent()).not.toContain('2026-01-01 00:00 UTC');
  expect(await date.getAttribute('title')).toBe('2026-01-01 00:00 UTC');
  await shot('09-date-token');
});

test('emoji are drawn as images (Twemoji), so they show without an emoji font, in messages, headers and the page', async () => {
  await asFarah('/stockroom help');
  const reply = page.locator('.message.ephemeral').filter({ hasText: 'Approved on' }).last();
  await reply.waitFor();
  const loaded = (img: ReturnType<typeof page.locator>) => img.evaluate((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0);
  const check = reply.locator('img.emoji[title=":white_check_mark:"]');
  const siren = reply.locator('.block-header img.emoji[title=":rotating_light:"]');
  await expect.poll(() => loaded(check)).toBe(true);
  await expect.poll(() => loaded(siren)).toBe(true);
  expect(await check.getAttribute('src')).toBe('emoji/2705.svg');
  expect(await reply.textContent()).not.toContain(':white_check_mark:');
  await expect.poll(() => loaded(page.locator('#shortcuts-button img.emoji'))).toBe(true);
  // An emoji the page has no picture for keeps its character rather than a broken image.
  const missing = await fetch(`http://127.0.0.1:${port}/sandbox/emoji/ffffff.svg`);
  expect(missing.status).toBe(404);
  await reply.scrollIntoViewIfNeeded();
  await shot('10-emoji-images');
});

test("the person switcher shows every person's whole name and role", async () => {
  await page.goto(`http://127.0.0.1:${port}/sandbox/?user=${FARAH}`);
  await page.getByRole('heading', { name: 'Stockroom — Messages' }).waitFor();
  // The widest label, measured in the select's own font, against the room left beside the drop-down arrow.
  const fit = await page.evaluate(() => {
    const select = document.getElementById('user-switcher') as HTMLSelectElement;
    const style = getComputedStyle(select);
    const ctx = document.createElement('canvas').getContext('2d')!;
    ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const widest = Math.max(...[...select.options].map((o) => ctx.measureText(o.text).width));
    const arrow = 20;
    return { widest, room: select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - arrow, labels: [...select.options].map((o) => o.text) };
  });
  expect(fit.labels).toContain('Farah Haddad — inventory manager');
  expect(fit.widest).toBeLessThanOrEqual(fit.room);
  await shot('11-switcher-whole-labels');
});
