import type { ModalView } from '@slack/types';
import { MAX_REASON_LENGTH } from '../../db/queries/requisitions.js';
import { REJECT_MODAL } from '../ids.js';
import { SLACK_LIMITS } from './limits.js';
import { truncate } from './mrkdwn.js';

/** What the reject modal remembers of the click that opened it, to answer the approver where they clicked. */
export interface RejectModalMetadata {
  number: string;
  level: number;
  /** The clicked message's response_url (absent when clicked in App Home). */
  responseUrl?: string;
  /** Where the click came from: republish App Home afterwards. */
  fromHome?: boolean;
}

export function rejectModal(metadata: RejectModalMetadata): ModalView {
  return {
    type: 'modal',
    callback_id: REJECT_MODAL.callbackId,
    title: { type: 'plain_text', text: truncate(`Reject ${metadata.number}`, SLACK_LIMITS.viewTitle) },
    submit: { type: 'plain_text', text: 'Reject' },
    close: { type: 'plain_text', text: 'Back' },
    private_metadata: JSON.stringify(metadata),
    blocks: [
      {
        type: 'input',
        block_id: REJECT_MODAL.reasonBlock,
        label: { type: 'plain_text', text: 'Why? The requester sees this.' },
        element: {
          type: 'plain_text_input',
          action_id: REJECT_MODAL.reasonAction,
          multiline: true,
          max_length: MAX_REASON_LENGTH,
          placeholder: { type: 'plain_text', text: 'e.g. Over budget this quarter; ask again in July' },
        },
      },
    ],
  };
}

export function decodeRejectMetadata(raw: string | undefined): RejectModalMetadata | undefined {
  try {
    const parsed = JSON.parse(raw ?? '') as Partial<RejectModalMetadata>;
    if (typeof parsed.number !== 'string' || !Number.isInteger(parsed.level)) return undefined;
    return {
      number: parsed.number,
      level: parsed.level!,
      ...(typeof parsed.responseUrl === 'string' ? { responseUrl: parsed.responseUrl } : {}),
      ...(parsed.fromHome ? { fromHome: true } : {}),
    };
  } catch {
    return undefined;
  }
}
