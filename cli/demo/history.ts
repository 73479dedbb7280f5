import { Decimal, toPlain } from '../../inventory/decimal.js';
import type { AdjustInput, IssueInput, ReceiveInput, TransferInput } from '../../inventory/ledger-input.js';
import { DEMO_PEOPLE } from '../../sandbox/people.js';
import { DEMO_VENDORS, type DemoItem } from './catalogue.js';
import { seededRandom, seedOf, type Random } from './random.js';

/**
 * Six months of plausible stock history for the demo catalogue, simulated item by item: an opening
 * receipt, weekly issues drawn around each item's demand, replenishment when stock falls to a reorder
 * point (arriving after the vendor's lead time, at prices drifting up about 5 % over the period, so
 * FIFO, LIFO and weighted average differ), spare parts kept in the workshop and topped up from the main warehouse, a count with a few
 * variances, some dead stock and some items left to run low. Deterministic: the same items, `today`
 * and version give the same operations with the same keys.
 */

export const DEMO_VERSION = 'v1';
export const DEMO_KEY_PREFIX = `demo:${DEMO_VERSION}:`;
export const HISTORY_WEEKS = 26;

export type DemoOperation =
  | { op: 'receive'; input: ReceiveInput }
  | { op: 'issue'; input: IssueInput }
  | { op: 'transfer'; input: TransferInput }
  | { op: 'adjust'; input: AdjustInput };

const DAY = 86_400_000;
const personOf = (role: string) => DEMO_PEOPLE.find((p) => p.role === role)?.id ?? 'demo';
const STOREKEEPER = personOf('warehouse');
const BUYER = personOf('buyer');
const INVENTORY_MANAGER = personOf('inventory_manager');
const REQUESTERS = DEMO_PEOPLE.map((p) => p.id);

interface Timed {
  at: number;
  order: number;
  apply(): DemoOperation | undefined;
}

/** What the simulation ends with for one item: used for its reorder policy. */
export interface DemoItemOutcome {
  sku: string;
  lastUnitCost: string;
  weeklyDemand: number;
}

export function demoHistory(catalogue: readonly DemoItem[], today: Date): { operations: DemoOperation[]; outcomes: DemoItemOutcome[] } {
  // Whole weeks, Monday to Sunday, ending with the last one before today's.
  const midnight = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  const monday = midnight - ((today.getUTCDay() + 6) % 7) * DAY;
  const start = monday - HISTORY_WEEKS * 7 * DAY;
  const all: { at: number; item: number; seq: number; op: DemoOperation }[] = [];
  const outcomes: DemoItemOutcome[] = [];
  catalogue.forEach((item, index) => {
    const { operations, outcome } = simulateItem(item, seededRandom(seedOf(`history:${item.sku}`)), start);
    operations.forEach(({ at, op }, seq) => all.push({ at, item: index, seq, op }));
    outcomes.push(outcome);
  });
  // One timeline across items; each item's own operations stay in the order they were simulated.
  all.sort((a, b) => a.at - b.at || a.item - b.item || a.seq - b.seq);
  return { operations: all.map((a) => a.op), outcomes };
}

function simulateItem(item: DemoItem, random: Random, start: number): { operations: { at: number; op: DemoOperation }[]; outcome: DemoItemOutcome } {
  const vendor = DEMO_VENDORS.find((v) => v.code === item.vendor)!;
  const leadWeeks = Math.max(1, Math.ceil(vendor.leadTimeDays / 7));
  const dead = random.chance(0.04);
  const neglectedAfter = random.chance(0.08) ? 17 + random.int(0, 3) : Infinity;
  const demand = dead ? 0 : item.weeklyDemand * (0.6 + random.next() * 0.8);
  const decimals = Math.min(item.uomDecimals, 1);
  const unit = (x: number) => new Decimal(Math.max(x, decimals ? 0.1 : 1).toFixed(decimals));
  const reorderPoint = unit(Math.ceil(demand * (leadWeeks + 2)));
  const orderUpTo = reorderPoint.plus(unit(Math.ceil(demand * 8) || 4));
  const costDecimals = new Decimal(item.standardCost).decimalPlaces() > 2 ? 3 : 2;
  const priceAt = (week: number) =>
    toPlain(new Decimal((Number(item.standardCost) * (0.95 + 0.002 * week + (random.next() - 0.5) * 0.04)).toFixed(costDecimals)));

  const main = item.bin;
  const shelf = item.workshopShelf;
  const stock = new Map<string, Decimal>([[main, new Decimal(0)]]);
  if (shelf) stock.set(shelf, new Decimal(0));
  const onHand = () => [...stock.values()].reduce((a, b) => a.plus(b), new Decimal(0));
  let seq = 0;
  const key = () => `${DEMO_KEY_PREFIX}${item.sku}:${++seq}`;
  let pending: { week: number; quantity: Decimal } | undefined;
  let lastUnitCost = item.standardCost;
  const operations: { at: number; op: DemoOperation }[] = [];

  const receipt = (at: number, quantity: Decimal, unitCost: string, po: string): Timed => ({
    at,
    order: 0,
    apply: () => {
      stock.set(main, stock.get(main)!.plus(quantity));
      lastUnitCost = unitCost;
      return {
        op: 'receive',
        input: { key: key(), sku: item.sku, location: main, quantity: toPlain(quantity), unitCost, document: { type: 'demo', id: po }, actor: BUYER, occurredAt: new Date(at) },
      };
    },
  });

  for (let week = 0; week < HISTORY_WEEKS; week++) {
    const weekStart = start + week * 7 * DAY;
    const at = (day: number, hour: number) => weekStart + day * DAY + hour * 3_600_000 + random.int(0, 59) * 60_000;
    const events: Timed[] = [];
    if (week === 0) {
      const opening = dead ? unit(random.int(2, 12)) : orderUpTo;
      events.push(receipt(at(0, 7), opening, priceAt(-8), 'OPENING-STOCK'));
    }
    if (pending && pending.week === week) {
      events.push(receipt(at(1, 10), pending.quantity, priceAt(week), `PO-DEMO-${item.sku}-${week}`));
      pending = undefined;
    }
    // The workshop keeps a kit of spare parts, topped up from the main warehouse every two months.
    if (shelf && (week === 4 || week === 12 || week === 20)) {
      const when = at(0, 14);
      events.push({
        at: when,
        order: 1,
        apply: () => {
          const target = unit(Math.ceil(orderUpTo.toNumber() * 0.3));
          const quantity = Decimal.min(stock.get(main)!, target.minus(stock.get(shelf)!));
          if (quantity.lte(0)) return undefined;
          stock.set(main, stock.get(main)!.minus(quantity));
          stock.set(shelf, stock.get(shelf)!.plus(quantity));
          return {
            op: 'transfer',
            input: { key: key(), sku: item.sku, from: main, to: shelf, quantity: toPlain(quantity), actor: STOREKEEPER, document: { type: 'demo', id: `WORKSHOP-KIT-W${week}` }, occurredAt: new Date(when) },
          };
        },
      });
    }
    if (week === 20 && random.chance(0.1)) {
      const gain = random.chance(0.3);
      const when = at(2, 16);
      events.push({
        at: when,
        order: 2,
        apply: () => {
          if (!gain && stock.get(main)!.lt(2)) return undefined;
          const delta = new Decimal(gain ? 1 : -1);
          stock.set(main, stock.get(main)!.plus(delta));
          return {
            op: 'adjust',
            input: { key: key(), sku: item.sku, location: main, quantity: toPlain(delta), actor: INVENTORY_MANAGER, document: { type: 'demo', id: 'COUNT-DEMO-W20' }, note: gain ? 'found in the wrong bin' : 'missing at count', occurredAt: new Date(when) },
          };
        },
      });
    }
    // Issues: the week's demand (often none for slow movers) in one or a few requisitions on working days.
    const weekly = demand === 0 ? 0 : decimals ? (random.chance(0.15) ? 0 : demand * (0.5 + random.next())) : random.poisson(demand);
    const count = weekly <= 0 ? 0 : Math.min(decimals ? 3 : weekly, 1 + random.poisson(0.4));
    for (let n = 0; n < count; n++) {
      const requested = decimals
        ? unit((weekly / count) * (0.7 + random.next() * 0.6))
        : new Decimal(Math.floor(weekly / count) + (n < weekly % count ? 1 : 0));
      const requester = random.pick(REQUESTERS);
      const when = at(random.int(0, 4), random.int(8, 16));
      const fromShelf = shelf !== undefined && random.chance(0.4);
      events.push({
        at: when,
        order: 3,
        apply: () => {
          const location = fromShelf && stock.get(shelf!)!.gte(requested) ? shelf! : main;
          const quantity = Decimal.min(requested, stock.get(location)!);
          if (quantity.lte(0)) return undefined; // out of stock: the requisition waits
          stock.set(location, stock.get(location)!.minus(quantity));
          return {
            op: 'issue',
            input: {
              key: key(),
              sku: item.sku,
              location,
              quantity: toPlain(quantity),
              actor: STOREKEEPER,
              unreserved: true,
              document: { type: 'demo', id: `REQ-DEMO-${item.sku}-${week}-${n + 1}` },
              note: `for ${requester}`,
              occurredAt: new Date(when),
            },
          };
        },
      });
    }
    events.sort((a, b) => a.at - b.at || a.order - b.order);
    for (const event of events) {
      const op = event.apply();
      if (op) operations.push({ at: event.at, op });
    }
    // Replenish at the end of the week when stock and what is on order fall to the reorder point.
    if (!dead && !pending && week < neglectedAfter && onHand().lte(reorderPoint)) {
      const quantity = orderUpTo.minus(onHand());
      if (quantity.gt(0)) pending = { week: week + leadWeeks, quantity };
    }
  }
  return { operations, outcome: { sku: item.sku, lastUnitCost, weeklyDemand: demand } };
}
