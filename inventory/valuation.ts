import { Decimal, MONEY_SCALE } from './decimal.js';

/** A decimal string or a Decimal (never a JS float). */
export type Amount = string | Decimal;

/**
 * Inventory valuation, pure (no I/O): cost layers consumed first-in-first-out or last-in-first-out,
 * and the moving weighted average. The database functions in migration ledger_functions post
 * exactly these rules; the reports replay the ledger through them to show FIFO, LIFO and weighted
 * average side by side.
 *
 * Value is carried, not recomputed: a partial take from a layer (or from the average pool) is its
 * proportional share of the carried value rounded to 4 places, and the last take is whatever is
 * left. So rounding never leaves value behind without quantity, and the book always equals the
 * sum of the moves' values.
 */
export type ValuationMethod = 'fifo' | 'lifo' | 'wavg';
export const VALUATION_METHODS: readonly ValuationMethod[] = ['fifo', 'lifo', 'wavg'];

export interface CostLayer {
  /** Posting order; FIFO takes the lowest first, LIFO the highest. */
  seq: number;
  quantity: Decimal;
  unitCost: Decimal;
  /** What the remaining quantity is worth in the book (carried, see above). */
  value: Decimal;
}

/** Money rounded to the column scale; half away from zero, like Postgres round(numeric, 4). */
export const roundMoney = (value: Amount): Decimal =>
  new Decimal(value).toDecimalPlaces(MONEY_SCALE, Decimal.ROUND_HALF_UP);

/** The value of `quantity` received at `unitCost`. */
export const extendedValue = (quantity: Amount, unitCost: Amount): Decimal =>
  roundMoney(new Decimal(quantity).times(unitCost));

/** The carried-value share of `take` out of a pool of `quantity` worth `value`. */
export function proportionalValue(take: Decimal, quantity: Decimal, value: Decimal): Decimal {
  if (take.greaterThanOrEqualTo(quantity)) return value;
  return roundMoney(value.times(take).dividedBy(quantity));
}

export interface Consumption {
  /** Cost of the quantity taken (the COGS of an issue). */
  cost: Decimal;
  taken: { seq: number; quantity: Decimal; value: Decimal }[];
  /** The layers afterwards, emptied ones dropped, still in posting order. */
  layers: CostLayer[];
  /** Quantity that no layer could cover (0 when the layers held enough). */
  short: Decimal;
}

/** Takes `quantity` out of the layers, oldest first (FIFO) or newest first (LIFO). */
export function consumeLayers(layers: readonly CostLayer[], quantity: Amount, order: 'fifo' | 'lifo'): Consumption {
  let left = new Decimal(quantity);
  let cost = new Decimal(0);
  const taken: Consumption['taken'] = [];
  const after = layers.map((layer) => ({ ...layer }));
  const sequence = order === 'fifo' ? after : [...after].reverse();
  for (const layer of sequence) {
    if (left.isZero()) break;
    if (layer.quantity.isZero()) continue;
    const take = Decimal.min(left, layer.quantity);
    const value = proportionalValue(take, layer.quantity, layer.value);
    layer.quantity = layer.quantity.minus(take);
    layer.value = layer.value.minus(value);
    cost = cost.plus(value);
    left = left.minus(take);
    taken.push({ seq: layer.seq, quantity: take, value });
  }
  return { cost, taken, layers: after.filter((l) => !l.quantity.isZero()), short: left };
}

export const valueOfLayers = (layers: readonly CostLayer[]): Decimal =>
  layers.reduce((acc, l) => acc.plus(l.value), new Decimal(0));

export const quantityOfLayers = (layers: readonly CostLayer[]): Decimal =>
  layers.reduce((acc, l) => acc.plus(l.quantity), new Decimal(0));

/** The running weighted-average pool of one item. */
export interface AveragePool {
  quantity: Decimal;
  value: Decimal;
}

export const emptyPool = (): AveragePool => ({ quantity: new Decimal(0), value: new Decimal(0) });

export const receiveIntoPool = (pool: AveragePool, quantity: Amount, value: Amount): AveragePool => ({
  quantity: pool.quantity.plus(quantity),
  value: pool.value.plus(value),
});

/** Issues from the pool at the moving average; the cost is the carried share (exact when the pool empties). */
export function issueFromPool(pool: AveragePool, quantity: Amount): { cost: Decimal; pool: AveragePool } {
  const take = Decimal.min(new Decimal(quantity), pool.quantity);
  if (take.isZero()) return { cost: new Decimal(0), pool };
  const cost = proportionalValue(take, pool.quantity, pool.value);
  return { cost, pool: { quantity: pool.quantity.minus(take), value: pool.value.minus(cost) } };
}

/** Average unit cost for display and for pricing transfers and gains without a cost (0 when empty). */
export const averageUnitCost = (pool: AveragePool): Decimal =>
  pool.quantity.isZero() ? new Decimal(0) : roundMoney(pool.value.dividedBy(pool.quantity));

/** A ledger event as valuation sees it: stock in at a value, or stock out. Transfers do not change value. */
export type ValuationEvent =
  | { kind: 'in'; quantity: Amount; unitCost: Amount; value?: Amount }
  | { kind: 'out'; quantity: Amount };

export interface Valuation {
  method: ValuationMethod;
  onHand: Decimal;
  value: Decimal;
  /** Cost of everything taken out, and of each out-event in order. */
  costOfGoods: Decimal;
  costs: Decimal[];
  layers: CostLayer[];
}

/**
 * Replays events under one method. `in` events become layers (their value defaults to quantity ×
 * unit cost); `out` events take at most what is on hand (the ledger never allows more).
 */
export function replay(events: Iterable<ValuationEvent>, method: ValuationMethod): Valuation {
  let layers: CostLayer[] = [];
  let pool = emptyPool();
  let costOfGoods = new Decimal(0);
  const costs: Decimal[] = [];
  let seq = 0;
  for (const event of events) {
    if (event.kind === 'in') {
      const value = event.value === undefined ? extendedValue(event.quantity, event.unitCost) : new Decimal(event.value);
      layers.push({ seq: seq++, quantity: new Decimal(event.quantity), unitCost: new Decimal(event.unitCost), value });
      pool = receiveIntoPool(pool, event.quantity, value);
      continue;
    }
    let cost: Decimal;
    if (method === 'wavg') {
      ({ cost, pool } = issueFromPool(pool, event.quantity));
      // Layers still track quantity (oldest first) so quantity stays right; value comes from the pool.
      layers = consumeLayers(layers, event.quantity, 'fifo').layers;
    } else {
      const consumption = consumeLayers(layers, event.quantity, method);
      cost = consumption.cost;
      layers = consumption.layers;
      pool = { quantity: quantityOfLayers(layers), value: valueOfLayers(layers) };
    }
    costs.push(cost);
    costOfGoods = costOfGoods.plus(cost);
  }
  return { method, onHand: pool.quantity, value: pool.value, costOfGoods, costs, layers };
}

/** The same history under every method, for the side-by-side report. */
export function replayAllMethods(events: readonly ValuationEvent[]): Record<ValuationMethod, Valuation> {
  return { fifo: replay(events, 'fifo'), lifo: replay(events, 'lifo'), wavg: replay(events, 'wavg') };
}
