import { eq } from 'drizzle-orm';
import { REQUEST_MODAL, REQUISITION_ACTIONS } from '../../bot/ids.js';
import { submissionKeyFor } from '../../bot/listeners/views/request-submission.js';
import { getRequisition } from '../../db/queries/requisitions.js';
import { requisitions } from '../../db/schema/index.js';
import type { Message, View } from '../../sandbox/index.js';
import { blockText, buttons, type BotHarness } from './bot.js';
import { eventually } from './eventually.js';

/** People's steps through the local Slack, and waits on what they would see, for the bot tests and the benchmark. */
export function botDriver(h: BotHarness, opts: { timeout?: number } = {}) {
  const timeout = opts.timeout ?? 30_000;
  const poll = async <T>(read: () => Promise<T | undefined>, what: string): Promise<T> =>
    (await eventually(read, (value) => value !== undefined, what, timeout, 50)) as T;

  const driver = {
    /** Opens the request modal with /request [text] and returns it once Slack shows it. */
    async openRequest(user: string, text = ''): Promise<View> {
      const result = await h.slack.command(user, '/request', text);
      if (result.status !== 200) throw new Error(`/request answered ${result.status}`);
      return h.slack.waitFor(
        () => {
          const view = h.slack.openView(user);
          return view?.callback_id === REQUEST_MODAL.callbackId && view;
        },
        { timeout, description: 'the request modal' },
      );
    },

    /** Fills and submits a one-line request; returns its requisition number. */
    async request(user: string, line: { sku: string; quantity: string }, costCenter = 'OPS', reason = 'Team supplies'): Promise<string> {
      const view = await driver.openRequest(user);
      const submitted = await h.slack.submit(user, view.id, {
        [REQUEST_MODAL.itemBlock(0)]: { [REQUEST_MODAL.itemAction]: line.sku },
        [REQUEST_MODAL.quantityBlock(0)]: { [REQUEST_MODAL.quantityAction]: line.quantity },
        [REQUEST_MODAL.reasonBlock]: { [REQUEST_MODAL.reasonAction]: reason },
        [REQUEST_MODAL.costCenterBlock]: { [REQUEST_MODAL.costCenterAction]: costCenter },
      });
      if (!submitted.ok) throw new Error(`the request was not accepted: ${JSON.stringify(submitted.errors ?? submitted.messages)}`);
      return driver.numberFor(submissionKeyFor(view.id));
    },

    /** The requisition a modal submission recorded. */
    numberFor: (submissionKey: string): Promise<string> =>
      poll(async () => {
        const [row] = await h.db.select({ number: requisitions.number }).from(requisitions).where(eq(requisitions.submissionKey, submissionKey));
        return row?.number;
      }, `a requisition for ${submissionKey}`),

    /** The approval DM for `number` (while it still has buttons, unless `closed`). */
    approvalDm: (approver: string, number: string, closed = false): Promise<Message> =>
      h.slack.waitFor(
        () =>
          h.slack
            .dm(approver)
            .find((m) => blockText(m).includes(number) && (closed ? !buttons(m).length && m.edited : buttons(m).includes(REQUISITION_ACTIONS.approve))),
        { timeout, description: `${closed ? 'the closed' : 'the'} approval DM for ${number}` },
      ),

    ephemeralTo: (user: string, pattern: RegExp) =>
      h.slack
        .waitFor(() => h.slack.ephemerals(user).find((e) => pattern.test(e.text)), { timeout, description: `an ephemeral to ${user} matching ${pattern}` })
        .catch((err: Error) => {
          const seen = h.slack.ephemerals(user).map((e) => e.text);
          throw new Error(`${err.message}; ${user} saw: ${JSON.stringify(seen.slice(-5))}`);
        }),

    pickTask: (number: string): Promise<Message> =>
      h.slack.waitFor(
        () => h.slack.messages('#warehouse').find((m) => blockText(m).includes(`Pick ${number}`) && buttons(m).includes(REQUISITION_ACTIONS.confirmPick)),
        { timeout, description: `the pick task for ${number}` },
      ),

    statusOf: async (number: string) => (await getRequisition(h.db, number))?.status,

    waitForStatus: (number: string, status: string) =>
      poll(async () => ((await driver.statusOf(number)) === status ? true : undefined), `${number} to be ${status}`),

    /** The card on top of the requester's thread about `number`, and the replies under it. */
    requesterThread(user: string, number: string): { cards: Message[]; replies: Message[] } {
      const cards = h.slack.dm(user).filter((m) => m.text.startsWith(`${number}:`));
      const replies = cards.length ? h.slack.thread(user, cards[0]!.ts).slice(1) : [];
      return { cards, replies };
    },
  };
  return driver;
}
