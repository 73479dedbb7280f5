import type { Middleware, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { buyerWork } from '../../../db/queries/buyer-home.js';
import { rolesOf } from '../../../db/queries/people.js';
import { listAwaitingApprovalBy, listRequisitionsByRequester } from '../../../db/queries/requisitions.js';
import type { BotDeps } from '../../app.js';
import { homeView, MAX_HOME_AWAITING, MAX_HOME_MINE, MAX_HOME_PURCHASING } from '../../blocks/home.js';

/** Publishes the person's App Home from the database (the workflow writes every status change there). */
export async function publishHome(deps: Pick<BotDeps, 'db' | 'settings'>, client: WebClient, user: string): Promise<void> {
  const [mine, awaiting, roles] = await Promise.all([
    listRequisitionsByRequester(deps.db, user, MAX_HOME_MINE + 1),
    listAwaitingApprovalBy(deps.db, user, MAX_HOME_AWAITING + 1),
    rolesOf(deps.db, user),
  ]);
  const purchasing = roles.roles.includes('buyer') ? await buyerWork(deps.db, MAX_HOME_PURCHASING + 1) : undefined;
  await client.views.publish({
    user_id: user,
    view: homeView({
      user,
      roles: roles.roles,
      ...(roles.approvalLimit ? { approvalLimit: roles.approvalLimit } : {}),
      mine,
      awaiting,
      ...(purchasing ? { purchasing, today: new Date().toISOString().slice(0, 10) } : {}),
      currency: deps.settings.currency,
    }),
  });
}

/**
 * Publishes the Home of each person again, once each (a document they see has changed). Best effort: a
 * failure is handed to `failed` and the others still go.
 */
export async function republishHomes(
  deps: Pick<BotDeps, 'db' | 'settings'>,
  client: WebClient,
  people: Iterable<string>,
  failed: (person: string, err: unknown) => void,
): Promise<void> {
  for (const person of new Set([...people].filter(Boolean))) {
    try {
      await publishHome(deps, client, person);
    } catch (err) {
      failed(person, err);
    }
  }
}

/** Events are acked by Bolt on arrival; the Home tab is published after. */
export const appHomeOpened =
  (deps: BotDeps): Middleware<SlackEventMiddlewareArgs<'app_home_opened'>> =>
  async ({ event, client, logger }) => {
    if (event.tab !== 'home') return;
    try {
      await publishHome(deps, client, event.user);
    } catch (err) {
      logger.error('could not publish App Home', err);
    }
  };
