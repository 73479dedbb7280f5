import { clickAnswer } from '../../../runtime/requisitions.js';
import { cancel } from '../../../workflows/requisition-messages.js';
import type { BotDeps } from '../../app.js';
import { parseCancelButtonValue } from '../../blocks/requisition.js';
import { BROKEN_BUTTON, FAILED } from './click.js';
import { documentButton } from './document-button.js';

/** The requester's Cancel (Slack already asked "are you sure?"): the cancel Update; only the requester passes its validator. */
export const cancelClicked = (deps: BotDeps) =>
  documentButton(
    deps,
    { read: parseCancelButtonValue, broken: BROKEN_BUTTON, what: 'cancel click failed', failed: FAILED },
    async ({ value, body }) => {
      const answer = await clickAnswer({ db: deps.db, client: deps.temporal }, value.number, cancel, { actor: body.user.id });
      return answer.ok ? answer.result.message : `:warning: ${answer.message}`;
    },
  );
