import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { REQUEST_MODAL, REQUISITION_ACTIONS, SHORTCUTS } from '../../bot/ids.js';
import { submissionKeyFor } from '../../bot/listeners/views/request-submission.js';
import type { Delivery } from '../../sandbox/index.js';
import { SLACK_ACK_MS, startBotHarness, WHO, type BotHarness } from '../helpers/bot.js';
import { botDriver } from '../helpers/bot-driver.js';
import { startDelayProxy, type DelayProxy } from '../helpers/delay-proxy.js';

/**
 * Temporal made slow on purpose (every byte to and from it held 4 s, so any call takes 8 s or more):
 * each listener still acks well inside Slack's 3 seconds, and the work it started completes afterwards.
 */
const TEMPORAL_DELAY_MS = 4_000;

let proxy: DelayProxy;
let h: BotHarness;

beforeAll(async () => {
  proxy = await startDelayProxy(inject('temporalAddress'));
  h = await startBotHarness({ temporalAddress: proxy.address });
});
afterAll(async () => {
  if (proxy) proxy.delayMs = 0;
  await h?.stop();
  await proxy?.close();
});

test(
  'every listener acks within 3 s while each Temporal call takes 8 s or more, and the work completes afterwards',
  async () => {
    const d = botDriver(h, { timeout: 90_000 });
    // Set up at full speed: a requisition waiting for Ben's approval.
    const waiting = await d.request(WHO.ada, { sku: 'PAPER', quantity: '12' });
    const dm = await d.approvalDm(WHO.ben, waiting);

    proxy.delayMs = TEMPORAL_DELAY_MS;
    const measured: Delivery[] = [];
    const track = (delivery: Delivery | undefined) => {
      if (delivery) measured.push(delivery);
      return delivery;
    };

    // The approve click: the Update waits on slow Temporal, the ack does not.
    const clickedAt = Date.now();
    track(await h.slack.click(WHO.ben, { channel: WHO.ben, ts: dm.ts }, REQUISITION_ACTIONS.approve));
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

    expect(measured.length).toBe(9);
    for (const delivery of measured) expect({ kind: delivery.kind, slow: delivery.ms >= SLACK_ACK_MS }).toEqual({ kind: delivery.kind, slow: false });

    // What the acks promised happens: the approval goes through slow Temporal; then, at full speed again, the
    // request submitted during the slowness runs (3 × 2 + 2.5 × 1.5 = 9.75: auto-approved, sent to the warehouse).
    await d.ephemeralTo(WHO.ben, new RegExp(`You approved ${waiting}`));
    expect(Date.now() - clickedAt).toBeGreaterThanOrEqual(2 * TEMPORAL_DELAY_MS); // Temporal really was that slow
    proxy.delayMs = 0;
    const started = await d.numberFor(submissionKeyFor(view.id));
    await d.pickTask(started);
    await d.pickTask(waiting);
  },
  180_000,
);
