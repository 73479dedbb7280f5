import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { BotDeps } from '../../app.js';
import { publishHome } from '../events/app-home.js';
import { openRequestModal } from '../open-request-modal.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

export const homeNewRequestClicked =
  (deps: BotDeps): Middleware<ButtonArgs> =>
  async ({ ack, body, client, logger }) => {
    await ack();
    await openRequestModal(deps, client, body.trigger_id).catch((err) => logger.error('could not open the request modal', err));
  };

export const homeRefreshClicked =
  (deps: BotDeps): Middleware<ButtonArgs> =>
  async ({ ack, body, client, logger }) => {
    await ack();
    await publishHome(deps, client, body.user.id).catch((err) => logger.error('could not publish App Home', err));
  };
