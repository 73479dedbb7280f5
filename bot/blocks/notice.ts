import type { ModalView } from '@slack/types';
import { SLACK_LIMITS } from './limits.js';
import { truncate } from './mrkdwn.js';

/**
 * Small modals that only say something: "loading" while the app fetches what a modal needs (a trigger_id
 * lives 3 seconds, so the modal opens first and fills in after), and the answer to a refused submission.
 */

const plain = (text: string, max: number) => ({ type: 'plain_text' as const, text: truncate(text, max) });

export function noticeModal(opts: { title: string; text: string; callbackId?: string }): ModalView {
  return {
    type: 'modal',
    ...(opts.callbackId ? { callback_id: opts.callbackId } : {}),
    title: plain(opts.title, SLACK_LIMITS.viewTitle),
    close: plain('Close', SLACK_LIMITS.viewClose),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: truncate(opts.text, SLACK_LIMITS.sectionText) } }],
  };
}

export const loadingModal = (title: string, what: string): ModalView => noticeModal({ title, text: `:hourglass_flowing_sand: Loading ${what}…` });
