import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import { listCostCenters } from '../../../db/queries/cost-centers.js';
import type { BotDeps } from '../../app.js';
import { decodeMetadata, requestModal, withAddedLine, withoutLastLine, type RequestModalMetadata, type ViewStateValues } from '../../blocks/request-modal.js';

/**
 * Add line / Remove last line in the request modal: views.update with the view's hash, so a click on a
 * view that changed meanwhile (a double click) is refused by Slack instead of overwriting it. Lines
 * keep their block ids and what was typed in them comes back as their initial values.
 */
const changeLines =
  (deps: BotDeps, change: (m: RequestModalMetadata) => RequestModalMetadata): Middleware<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>> =>
  async ({ ack, body, client, logger }) => {
    await ack();
    const view = body.view;
    if (!view) return;
    const metadata = change(decodeMetadata(view.private_metadata));
    try {
      const costCenters = (await listCostCenters(deps.db, { activeOnly: true })).map((c) => ({ code: c.code, name: c.name }));
      await client.views.update({ view_id: view.id, hash: view.hash, view: requestModal({ metadata, costCenters, values: view.state.values as ViewStateValues }) });
    } catch (err) {
      if ((err as { data?: { error?: string } }).data?.error === 'hash_conflict') return; // a newer click already changed it
      logger.error('could not change the request lines', err);
    }
  };

export const addLineClicked = (deps: BotDeps) => changeLines(deps, withAddedLine);
export const removeLineClicked = (deps: BotDeps) => changeLines(deps, withoutLastLine);
