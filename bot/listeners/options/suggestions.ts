import type { Middleware, SlackOptionsMiddlewareArgs } from '@slack/bolt';
import { listCostCenters } from '../../../db/queries/cost-centers.js';
import { searchItems } from '../../../db/queries/ledger.js';
import { findVendors } from '../../../runtime/purchasing.js';
import type { BotDeps } from '../../app.js';
import { vendorOption } from '../../blocks/new-purchase-order.js';
import { costCenterOption, itemOption } from '../../blocks/request-modal.js';
import { SLACK_LIMITS } from '../../blocks/limits.js';
import { withinBudget } from '../budget.js';

/** Items offered per keystroke: enough to find one, few enough to read. */
const ITEM_SUGGESTIONS = 20;

/**
 * Type-ahead over the catalogue (SKU, name or barcode; active items only). The answer is the ack itself,
 * so a slow search answers with nothing rather than miss Slack's 3 seconds.
 */
export const itemSuggestions =
  (deps: BotDeps): Middleware<SlackOptionsMiddlewareArgs<'block_suggestion'>> =>
  async ({ ack, options, logger }) => {
    const found = await withinBudget(searchItems(deps.db, { query: options.value, limit: ITEM_SUGGESTIONS }));
    if (found.settled && !found.ok) logger.error('item search failed', found.error);
    const items = found.settled && found.ok ? found.value.filter((i) => i.active) : [];
    await ack({ options: items.map((i) => itemOption({ sku: i.sku, name: i.name, uom: i.uom, available: i.available })) });
  };

/** Cost centers as a type-ahead, used when there are too many for a static list. */
export const costCenterSuggestions =
  (deps: BotDeps): Middleware<SlackOptionsMiddlewareArgs<'block_suggestion'>> =>
  async ({ ack, options }) => {
    const found = await withinBudget(listCostCenters(deps.db, { activeOnly: true }));
    const query = options.value.trim().toLowerCase();
    const centers = found.settled && found.ok ? found.value.filter((c) => `${c.code} ${c.name}`.toLowerCase().includes(query)) : [];
    await ack({ options: centers.slice(0, SLACK_LIMITS.selectOptions).map((c) => costCenterOption({ code: c.code, name: c.name })) });
  };

/** Vendors as a type-ahead on the new purchase order form, used when there are more than a list holds. */
export const vendorSuggestions =
  (deps: BotDeps): Middleware<SlackOptionsMiddlewareArgs<'block_suggestion'>> =>
  async ({ ack, options, logger }) => {
    const found = await withinBudget(findVendors(deps.db, options.value, SLACK_LIMITS.selectOptions));
    if (found.settled && !found.ok) logger.error('vendor search failed', found.error);
    await ack({ options: found.settled && found.ok ? found.value.map(vendorOption) : [] });
  };
