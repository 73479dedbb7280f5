import { createItem, type NewItem } from '../../db/queries/items.js';
import { ensureLocation } from '../../db/queries/locations.js';
import type { Executor } from '../../db/client.js';
import type { DocumentRef } from '../../inventory/ledger-input.js';

export const manual = (id = 'test'): DocumentRef => ({ type: 'manual', id });
export const requisition = (id: string): DocumentRef => ({ type: 'requisition', id });

let counter = 0;
/** A unique idempotency key for one call. */
export const key = (label = 'k') => `${label}-${process.pid}-${++counter}`;

/** Items and a small warehouse tree: Main/Aisle 1/Bin 1..3 and Annex/Shelf A. */
export async function seedCatalogue(db: Executor, extra: NewItem[] = []) {
  const paths = ['Main/Aisle 1/Bin 1', 'Main/Aisle 1/Bin 2', 'Main/Aisle 2/Bin 3', 'Annex/Shelf A'];
  for (const path of paths) await ensureLocation(db, { path });
  for (const item of [
    { sku: 'PEN-BLUE', name: 'Ballpoint pen, blue', uom: 'ea', valuationMethod: 'fifo' as const },
    { sku: 'GREASE-1', name: 'Bearing grease', uom: 'kg', valuationMethod: 'wavg' as const, standardCost: '12.5' },
    { sku: 'TONER-7', name: 'Toner cartridge 7', uom: 'ea', valuationMethod: 'lifo' as const, barcode: '4006381333931' },
    { sku: 'OLD-1', name: 'Discontinued binder', uom: 'ea', active: false },
    ...extra,
  ]) {
    await createItem(db, item);
  }
  return { paths };
}
