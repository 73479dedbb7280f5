import type { WebClient } from '@slack/web-api';
import { listCostCenters } from '../../db/queries/cost-centers.js';
import { searchItems, type ItemMatch } from '../../db/queries/ledger.js';
import type { BotDeps } from '../app.js';
import { requestModal, type ItemChoice } from '../blocks/request-modal.js';
import { escapeText } from '../blocks/mrkdwn.js';
import { withinBudget } from './budget.js';

/**
 * A trigger_id is good for 3 seconds from the click, so the lookups the modal would like (cost centers,
 * the `/request <text>` search) get one second; whatever is late is left out (cost centers then become a
 * type-ahead) rather than lose the modal.
 */
const LOOKUP_BUDGET_MS = 1_000;

export async function openRequestModal(deps: BotDeps, client: WebClient, triggerId: string, search?: string): Promise<void> {
  const query = search?.trim() ?? '';
  const [centers, matches] = await Promise.all([
    withinBudget(listCostCenters(deps.db, { activeOnly: true }), LOOKUP_BUDGET_MS),
    query ? withinBudget(searchItems(deps.db, { query, limit: 5 }), LOOKUP_BUDGET_MS) : undefined,
  ]);
  const costCenters = centers.settled && centers.ok ? centers.value.map((c) => ({ code: c.code, name: c.name })) : undefined;
  const found = matches?.settled && matches.ok ? matches.value.filter((m) => m.active) : undefined;
  const { prefill, note } = prefillFrom(query, found);
  await client.views.open({ trigger_id: triggerId, view: requestModal({ costCenters, ...(prefill ? { prefill } : {}), ...(note ? { note } : {}) }) });
}

/** `/request paper`: the best match fills the first line when it is the SKU or barcode, or the only match. */
export function prefillFrom(query: string, found: ItemMatch[] | undefined): { prefill?: ItemChoice; note?: string } {
  if (!query || found === undefined) return {};
  const q = escapeText(query);
  if (found.length === 0) return { note: `Nothing matched "${q}"; search for the item below.` };
  const exact = found.find((m) => m.sku.toLowerCase() === query.toLowerCase() || m.barcode === query);
  const chosen = exact ?? (found.length === 1 ? found[0] : undefined);
  if (!chosen) return { note: `"${q}" matches ${found.length} items; type in the item field to pick one.` };
  return { prefill: { sku: chosen.sku, name: chosen.name, uom: chosen.uom, available: chosen.available } };
}
