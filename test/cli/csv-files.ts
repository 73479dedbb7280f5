import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';

/** A temporary folder for one test file's CSVs. */
export function csvFolder() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stockroom-csv-'));
  return {
    dir,
    write(name: string, text: string): string {
      const file = path.join(dir, name);
      fs.writeFileSync(file, text);
      return file;
    },
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** Row counts of every table an import touches: equal before and after means nothing was written. */
export async function tableCounts(db: Executor): Promise<Record<string, number>> {
  const [row] = (await db.execute(sql`
    select (select count(*) from items)::int as items,
           (select count(*) from locations)::int as locations,
           (select count(*) from stock_moves)::int as moves,
           (select count(*) from cost_layers)::int as layers,
           (select count(*) from stock_levels)::int as levels,
           (select count(*) from item_valuations)::int as books`)) as unknown as [Record<string, number>];
  return row;
}

/**
 * The ledger invariants an import must keep, as the rows breaking them (empty = all hold): each bin's
 * stock is the sum of its moves, each item's book on hand is its bins and its layers' remaining
 * quantity, and its book value is the sum of its moves' values and (FIFO, LIFO) of its layers' remaining values.
 */
export async function brokenInvariants(db: Executor): Promise<unknown[]> {
  return (await db.execute(sql`
    select 'bin' as what, s.item_id from stock_levels s
      left join (select item_id, location_id, sum(quantity) q from stock_moves group by 1, 2) m
        on m.item_id = s.item_id and m.location_id = s.location_id
     where s.on_hand <> coalesce(m.q, 0) or s.on_hand < 0
    union all
    select 'book', v.item_id from item_valuations v
      left join (select item_id, sum(on_hand) q from stock_levels group by 1) s on s.item_id = v.item_id
      left join (select item_id, sum(remaining_quantity) q, sum(remaining_value) val from cost_layers group by 1) l
        on l.item_id = v.item_id
      left join (select item_id, sum(total_value) val from stock_moves group by 1) m on m.item_id = v.item_id
      join items i on i.id = v.item_id left join inventory_settings st on st.id
     where v.on_hand <> coalesce(s.q, 0) or v.on_hand <> coalesce(l.q, 0) or v.value <> coalesce(m.val, 0)
        or (v.value <> coalesce(l.val, 0) and coalesce(i.valuation_method, st.default_valuation_method) <> 'wavg')`)) as unknown as unknown[];
}
