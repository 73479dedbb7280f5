import type { BlockAction, ButtonAction } from '@slack/bolt';
import type { ReplyTarget } from '../reply.js';
import { responseUrlOf } from '../reply.js';

/** Who clicked and where to answer them. */
export function clickTarget(body: BlockAction<ButtonAction>): ReplyTarget {
  const responseUrl = responseUrlOf(body);
  return { user: body.user.id, ...(responseUrl ? { responseUrl } : {}) };
}

/** Clicked on the App Home tab (it is republished afterwards so it shows the change). */
export const clickedInHome = (body: BlockAction<ButtonAction>): boolean => body.view?.type === 'home';

export const BROKEN_BUTTON = 'That button does not say which requisition it is for; open it from the Home tab instead.';
export const BROKEN_PO_BUTTON = 'That button does not say which purchase order it is for.';
export const FAILED = 'Sorry, that did not go through: something on our side failed. Try again in a minute.';
