import postgres from 'postgres';
import type { TestDatabase } from './database.js';

/**
 * Demand history for forecasting tests: items with a computed reorder policy and issue moves on past
 * days, written straight into the ledger's table by the database's owner (history, not postings: the
 * ledger functions stamp moves with the current time).
 */
export async function seedIssueHistory(
  database: TestDatabase,
  input: {
    asOf: Date;
    days: number;
    items: { sku: string; leadTimeDays?: number; serviceLevel?: number; issue: (day: number) => number }[];
  },
): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  const owner = postgres((database as TestDatabase & { ownerUrl?: string }).ownerUrl ?? database.url, { max: 1, onnotice: () => {} });
  try {
    await owner`insert into locations (name, path, kind, depth) values ('HIST', 'HIST', 'bin', 0) on conflict do nothing`;
    const rows: { item: string; qty: number; at: string }[] = [];
    const day0 = Date.parse(input.asOf.toISOString().slice(0, 10)) - input.days * 86_400_000;
    for (const spec of input.items) {
      const [item] = await owner<{ id: string }[]>`
        insert into items (sku, name, uom, uom_decimals, standard_cost) values (${spec.sku}, ${`Item ${spec.sku}`}, 'ea', 0, 2) returning id`;
      ids[spec.sku] = item!.id;
      await owner`insert into reorder_policies (item_id, reorder_point_mode, service_level, demand_window_days, lead_time_days)
                  values (${item!.id}, 'computed', ${spec.serviceLevel ?? 0.95}, 90, ${spec.leadTimeDays ?? 14})`;
      for (let d = 0; d < input.days; d++) {
        const qty = spec.issue(d);
        if (qty > 0) rows.push({ item: item!.id, qty, at: new Date(day0 + d * 86_400_000 + 10 * 3_600_000).toISOString() });
      }
    }
    await owner`
      insert into stock_moves (item_id, location_id, type, quantity, unit_cost, total_value, document_type, document_id, actor, created_at)
      select v.item, (select id from locations where path = 'HIST'), 'issue', -v.qty, 2, -2 * v.qty, 'demo', 'history', 'test', v.at
        from unnest(${owner.array(rows.map((x) => x.item))}::uuid[], ${owner.array(rows.map((x) => x.qty))}::numeric[],
                    ${owner.array(rows.map((x) => x.at))}::timestamptz[]) as v(item, qty, at)`;
  } finally {
    await owner.end();
  }
  return ids;
}
