import { describe, expect, test } from 'vitest';
import { Decimal, toPlain } from '../../inventory/decimal.js';
import {
  consumeLayers,
  type CostLayer,
  issueFromPool,
  replay,
  replayAllMethods,
  roundMoney,
  type ValuationEvent,
} from '../../inventory/valuation.js';

const plain = (d: Decimal) => toPlain(d);
const layer = (seq: number, quantity: string, unitCost: string): CostLayer => ({
  seq,
  quantity: new Decimal(quantity),
  unitCost: new Decimal(unitCost),
  value: new Decimal(quantity).times(unitCost),
});

/**
 * Worked example (perpetual inventory, prices rising, issues between purchases):
 *
 *   1. receive 100 @ 10.00   = 1,000
 *   2. receive 100 @ 12.00   = 1,200
 *   3. issue   150
 *   4. receive 100 @ 14.00   = 1,400
 *   5. issue   100                      purchases 3,600, 50 units left
 *
 * FIFO  issue 3: 100 @ 10 + 50 @ 12 = 1,600;  issue 5: 50 @ 12 + 50 @ 14 = 1,300;  COGS 2,900;  ending 50 @ 14 = 700
 * LIFO  issue 3: 100 @ 12 + 50 @ 10 = 1,700;  issue 5: 100 @ 14          = 1,400;  COGS 3,100;  ending 50 @ 10 = 500
 * WAVG  after 2: 200 units, 2,200, avg 11; issue 3: 150 × 11 = 1,650; left 50 = 550;
 *       after 4: 150 units, 1,950, avg 13; issue 5: 100 × 13 = 1,300;  COGS 2,950;  ending 50 @ 13 = 650
 * Check each: purchases − COGS = ending value.
 */
const rising: ValuationEvent[] = [
  { kind: 'in', quantity: '100', unitCost: '10' },
  { kind: 'in', quantity: '100', unitCost: '12' },
  { kind: 'out', quantity: '150' },
  { kind: 'in', quantity: '100', unitCost: '14' },
  { kind: 'out', quantity: '100' },
];

describe('textbook example: purchases at rising prices, issues between', () => {
  test('FIFO', () => {
    const v = replay(rising, 'fifo');
    expect(v.costs.map(plain)).toEqual(['1600', '1300']);
    expect(plain(v.costOfGoods)).toBe('2900');
    expect(plain(v.onHand)).toBe('50');
    expect(plain(v.value)).toBe('700');
    expect(v.layers.map((l) => [plain(l.quantity), plain(l.unitCost)])).toEqual([['50', '14']]);
  });

  test('LIFO', () => {
    const v = replay(rising, 'lifo');
    expect(v.costs.map(plain)).toEqual(['1700', '1400']);
    expect(plain(v.costOfGoods)).toBe('3100');
    expect(plain(v.value)).toBe('500');
    expect(v.layers.map((l) => [plain(l.quantity), plain(l.unitCost)])).toEqual([['50', '10']]);
  });

  test('weighted average', () => {
    const v = replay(rising, 'wavg');
    expect(v.costs.map(plain)).toEqual(['1650', '1300']);
    expect(plain(v.costOfGoods)).toBe('2950');
    expect(plain(v.value)).toBe('650');
    expect(plain(v.onHand)).toBe('50');
  });

  test('side by side: rising prices make FIFO value highest and LIFO COGS highest; all conserve cost', () => {
    const all = replayAllMethods(rising);
    for (const v of Object.values(all)) expect(plain(v.costOfGoods.plus(v.value))).toBe('3600');
    expect(all.fifo.value.greaterThan(all.wavg.value)).toBe(true);
    expect(all.wavg.value.greaterThan(all.lifo.value)).toBe(true);
  });
});

/**
 * A third of a pool: receive 2 @ 1.00 and 1 @ 2.00 (3 units worth 4.00, average 1.3333…).
 * Issue 1 costs 4 / 3 = 1.3333 (rounded); the last 2 units cost what is left, 2.6667, so the
 * COGS adds up to exactly 4.00 and nothing is lost to rounding.
 */
test('weighted average carries value: rounding never leaves value without quantity', () => {
  const v = replay(
    [
      { kind: 'in', quantity: '2', unitCost: '1' },
      { kind: 'in', quantity: '1', unitCost: '2' },
      { kind: 'out', quantity: '1' },
      { kind: 'out', quantity: '2' },
    ],
    'wavg',
  );
  expect(v.costs.map(plain)).toEqual(['1.3333', '2.6667']);
  expect(plain(v.costOfGoods)).toBe('4');
  expect(plain(v.value)).toBe('0');
});

test('layers: a partial take is the proportional share of the carried value, the last take is the rest', () => {
  // 3 kg received for 1.00 total (unit cost 0.3333 shown, value carried as 1.00)
  const layers: CostLayer[] = [{ seq: 0, quantity: new Decimal(3), unitCost: new Decimal('0.3333'), value: new Decimal(1) }];
  const first = consumeLayers(layers, '1', 'fifo');
  expect(plain(first.cost)).toBe('0.3333');
  const second = consumeLayers(first.layers, '2', 'fifo');
  expect(plain(second.cost)).toBe('0.6667');
  expect(second.layers).toEqual([]);
});

test('consumeLayers reports what it could not cover and does not touch its input', () => {
  const layers = [layer(0, '5', '2'), layer(1, '5', '3')];
  const c = consumeLayers(layers, '12', 'lifo');
  expect(plain(c.short)).toBe('2');
  expect(plain(c.cost)).toBe('25');
  expect(c.taken.map((t) => [t.seq, plain(t.quantity)])).toEqual([
    [1, '5'],
    [0, '5'],
  ]);
  expect(plain(layers[0]!.quantity)).toBe('5');
});

test('fractional quantities (kg to 3 decimals) stay exact', () => {
  const v = replay(
    [
      { kind: 'in', quantity: '2.5', unitCost: '4.1' },
      { kind: 'in', quantity: '0.125', unitCost: '8' },
      { kind: 'out', quantity: '2.625' },
    ],
    'fifo',
  );
  expect(plain(v.costOfGoods)).toBe('11.25');
  expect(plain(v.onHand)).toBe('0');
});

test('money rounds half away from zero to 4 places, like Postgres round(numeric, 4)', () => {
  expect(plain(roundMoney('0.00005'))).toBe('0.0001');
  expect(plain(roundMoney('2.00015'))).toBe('2.0002');
  expect(plain(roundMoney('2.00025'))).toBe('2.0003');
  const { cost, pool } = issueFromPool({ quantity: new Decimal(3), value: new Decimal('10') }, '1');
  expect(plain(cost)).toBe('3.3333');
  expect(plain(pool.value)).toBe('6.6667');
});
