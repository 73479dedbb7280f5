import { dec, toPlain } from './decimal.js';

/** Stock held for a line in one bin (location path), as the ledger's reserve answers it. */
export interface BinQuantity {
  location: string;
  quantity: string;
}

/** Adds `add` to `into` bin by bin (paths compare case-insensitively); bins left at nothing are dropped. */
export function mergeAllocations<T extends BinQuantity>(into: T[], add: T[]): T[] {
  const merged = into.map((a) => ({ ...a }));
  for (const a of add) {
    const same = merged.find((m) => m.location.toLowerCase() === a.location.toLowerCase());
    if (same) same.quantity = toPlain(dec(same.quantity).plus(a.quantity));
    else merged.push({ ...a });
  }
  return merged.filter((a) => dec(a.quantity).gt(0));
}

/** Takes `quantity` from the allocations in order (the bins the pick task listed first), at most what they hold. */
export function takeFromAllocations(allocations: BinQuantity[], quantity: string): BinQuantity[] {
  let left = dec(quantity);
  const taken: BinQuantity[] = [];
  for (const a of allocations) {
    if (!left.gt(0)) break;
    const q = left.lt(a.quantity) ? left : dec(a.quantity);
    taken.push({ location: a.location, quantity: toPlain(q) });
    left = left.minus(q);
  }
  return taken;
}
