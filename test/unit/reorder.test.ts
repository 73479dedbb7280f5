import { describe, expect, test } from 'vitest';
import {
  demandStatistics,
  economicOrderQuantity,
  effectiveLeadTime,
  evaluateReorder,
  minMaxSuggestion,
  reorderPoint,
  roundUpToMultiple,
  safetyStock,
  serviceLevelZ,
  type ReorderPolicyInput,
} from '../../inventory/reorder.js';

// Hand-worked example used throughout: five days of issues 4, 6, 5, 0, 10.
//   total 25, mean 25 / 5 = 5
//   deviations −1, 1, 0, −5, 5 → squares 1, 1, 0, 25, 25 = 52 → sample variance 52 / 4 = 13 → σ = √13 = 3.60555…
//   95 % → z = 1.6449; lead time 9 days → √9 = 3
//   safety stock = 1.6449 × 3.60555… × 3 = 17.792… → 18 (rounded up to whole units)
//   reorder point = 5 × 9 + 18 = 63
const days = ['4', '6', '5', '0', '10'];

describe('demandStatistics', () => {
  test('mean and sample standard deviation of daily demand, zero days included', () => {
    const stats = demandStatistics(days);
    expect(stats.days).toBe(5);
    expect(stats.total).toBe('25');
    expect(stats.averageDaily).toBe('5');
    expect(stats.stdDevDaily.startsWith('3.605551275463989')).toBe(true);
  });

  test('no history gives zeros, one day has no spread', () => {
    expect(demandStatistics([])).toEqual({ days: 0, total: '0', averageDaily: '0', stdDevDaily: '0' });
    expect(demandStatistics(['7.5'])).toEqual({ days: 1, total: '7.5', averageDaily: '7.5', stdDevDaily: '0' });
  });

  test('exact decimals: a third of a unit per day stays exact to 40 digits, no float drift', () => {
    const stats = demandStatistics(['0.1', '0.2', '0.3']);
    expect(stats.total).toBe('0.6');
    expect(stats.averageDaily).toBe('0.2');
    expect(stats.stdDevDaily).toBe('0.1');
  });
});

describe('serviceLevelZ', () => {
  test('matches the normal table to four decimals', () => {
    expect(serviceLevelZ('0.5')).toBe('0');
    expect(serviceLevelZ('0.9')).toBe('1.2816');
    expect(serviceLevelZ('0.95')).toBe('1.6449');
    expect(serviceLevelZ('0.975')).toBe('1.96');
    expect(serviceLevelZ('0.99')).toBe('2.3263');
  });

  test('refuses service levels outside [0.5, 1)', () => {
    expect(() => serviceLevelZ('1')).toThrow(/below 1/);
    expect(() => serviceLevelZ('0.4')).toThrow(/at least 0.5/);
  });
});

describe('safety stock and reorder point', () => {
  const sigma = demandStatistics(days).stdDevDaily;

  test('95 %, 9 days: 1.6449 × √13 × 3 = 17.79 → 18; ROP 5 × 9 + 18 = 63', () => {
    const ss = safetyStock({ z: '1.6449', stdDevDaily: sigma, leadTimeDays: '9', decimals: 0 });
    expect(ss).toBe('18');
    expect(reorderPoint({ averageDaily: '5', leadTimeDays: '9', safetyStock: ss, decimals: 0 })).toBe('63');
  });

  test('99 %, 9 days: 2.3263 × √13 × 3 = 25.16 → 26; ROP 71', () => {
    const ss = safetyStock({ z: '2.3263', stdDevDaily: sigma, leadTimeDays: '9', decimals: 0 });
    expect(ss).toBe('26');
    expect(reorderPoint({ averageDaily: '5', leadTimeDays: '9', safetyStock: ss, decimals: 0 })).toBe('71');
  });

  test('an item measured in kg keeps two decimals: 1.6449 × √13 × 2 = 11.8615… → 11.87', () => {
    expect(safetyStock({ z: '1.6449', stdDevDaily: sigma, leadTimeDays: '4', decimals: 2 })).toBe('11.87');
  });
});

describe('min/max suggestion', () => {
  test('position 70 − 10 + 0 = 60 ≤ ROP 63: order up to 100 → 40, rounded up to packs of 12 → 48', () => {
    expect(
      minMaxSuggestion({ reorderPoint: '63', max: '100', available: '60', onOrder: '0', orderMultiple: '12', decimals: 0 }),
    ).toEqual({ position: '60', quantity: '48' });
  });

  test('stock already on order lifts the position above the ROP: nothing proposed twice', () => {
    expect(
      minMaxSuggestion({ reorderPoint: '63', max: '100', available: '60', onOrder: '24', orderMultiple: '12', decimals: 0 }),
    ).toEqual({ position: '84', quantity: '0' });
  });

  test('exactly at the ROP orders; without a multiple the shortfall is rounded up to whole units', () => {
    expect(minMaxSuggestion({ reorderPoint: '63', max: '100', available: '62.5', onOrder: '0.5', decimals: 0 })).toEqual({
      position: '63',
      quantity: '37',
    });
    expect(minMaxSuggestion({ reorderPoint: '10', max: '20', available: '9.2', onOrder: '0', decimals: 0 }).quantity).toBe('11');
  });

  test('roundUpToMultiple', () => {
    expect(roundUpToMultiple('40', '12').toFixed()).toBe('48');
    expect(roundUpToMultiple('48', '12').toFixed()).toBe('48');
    expect(roundUpToMultiple('0.3', '0.25').toFixed()).toBe('0.5');
    expect(roundUpToMultiple('7', null).toFixed()).toBe('7');
  });
});

describe('economic order quantity', () => {
  test('√(2 × 1000 × 10 / 0.5) = √40000 = 200', () => {
    expect(economicOrderQuantity({ annualDemand: '1000', orderingCost: '10', holdingCostPerUnitYear: '0.5', decimals: 0 })).toBe(
      '200',
    );
  });

  test('√(2 × 1825 × 50 / 2) = √91250 = 302.08 → 303', () => {
    expect(economicOrderQuantity({ annualDemand: '1825', orderingCost: '50', holdingCostPerUnitYear: '2', decimals: 0 })).toBe(
      '303',
    );
  });

  test('no costs or no demand: no EOQ', () => {
    expect(economicOrderQuantity({ annualDemand: '1000', orderingCost: null, holdingCostPerUnitYear: '1', decimals: 0 })).toBeUndefined();
    expect(economicOrderQuantity({ annualDemand: '0', orderingCost: '10', holdingCostPerUnitYear: '1', decimals: 0 })).toBeUndefined();
  });
});

describe('effectiveLeadTime', () => {
  test('learned lead time replaces the hand-set one from the third receipt on', () => {
    expect(effectiveLeadTime({ manualDays: '10', learnedDays: '7.5', learnedSamples: 2 })).toEqual({ days: '10', source: 'manual' });
    expect(effectiveLeadTime({ manualDays: '10', learnedDays: '7.5', learnedSamples: 3 })).toEqual({ days: '7.5', source: 'learned' });
    expect(effectiveLeadTime({ manualDays: '10' })).toEqual({ days: '10', source: 'manual' });
  });
});

describe('evaluateReorder', () => {
  const computed: ReorderPolicyInput = { reorderPointMode: 'computed', leadTimeDays: '9', max: '100', orderMultiple: '12' };
  const demand = demandStatistics(days);

  test('computed ROP 63, on hand 70, reserved 10 → low, order 48; days of cover 60 / 5 = 12', () => {
    const result = evaluateReorder({ policy: computed, demand, stock: { onHand: '70', reserved: '10', onOrder: '0' }, decimals: 0 });
    expect(result).toMatchObject({
      status: 'low',
      available: '60',
      position: '60',
      z: '1.6449',
      safetyStock: '18',
      reorderPoint: '63',
      reorderPointSource: 'computed',
      leadTimeSource: 'manual',
      max: '100',
      suggestedQuantity: '48',
      daysOfCover: '12',
    });
  });

  test('learned lead time 4 days (3 receipts): SS 1.6449 × √13 × 2 = 11.86 → 12, ROP 5 × 4 + 12 = 32 → ok at 60', () => {
    const result = evaluateReorder({
      policy: { ...computed, learnedLeadTimeDays: '4', learnedLeadTimeSamples: 3 },
      demand,
      stock: { onHand: '70', reserved: '10', onOrder: '0' },
      decimals: 0,
    });
    expect(result).toMatchObject({ status: 'ok', leadTimeDays: '4', leadTimeSource: 'learned', safetyStock: '12', reorderPoint: '32' });
    expect(result.suggestedQuantity).toBe('0');
  });

  test('min floors a computed ROP; reserved stock counts against available; nothing left is a stockout', () => {
    const result = evaluateReorder({
      policy: { ...computed, min: '80' },
      demand,
      stock: { onHand: '5', reserved: '5', onOrder: '0' },
      decimals: 0,
    });
    // position 0 ≤ 80: order up to 100 → 100, packs of 12 → 108
    expect(result).toMatchObject({ status: 'stockout', reorderPoint: '80', reorderPointSource: 'min', suggestedQuantity: '108', daysOfCover: '0' });
  });

  test('manual min/max without history: ROP = min; no max → ROP + one lead time of demand (at least 1)', () => {
    const noDemand = { averageDaily: '0', stdDevDaily: '0' };
    const manual: ReorderPolicyInput = { reorderPointMode: 'manual', min: '10', max: '50', leadTimeDays: '5' };
    const result = evaluateReorder({ policy: manual, demand: noDemand, stock: { onHand: '8', reserved: '0', onOrder: '0' }, decimals: 0 });
    expect(result).toMatchObject({ status: 'low', reorderPoint: '10', reorderPointSource: 'min', suggestedQuantity: '42' });
    expect(result.daysOfCover).toBeUndefined();
    const noMax = evaluateReorder({
      policy: { reorderPointMode: 'manual', reorderPoint: '10', leadTimeDays: '5' },
      demand: noDemand,
      stock: { onHand: '10', reserved: '0', onOrder: '0' },
      decimals: 0,
    });
    expect(noMax).toMatchObject({ reorderPointSource: 'manual', max: '11', suggestedQuantity: '1' });
  });

  test('with holding and ordering costs the order-up-to level without a max is ROP + EOQ', () => {
    // D = 5 × 365 = 1825, S = 50, H = 2 → EOQ 303; max = 63 + 303 = 366; position 60 → 306
    const result = evaluateReorder({
      policy: { reorderPointMode: 'computed', leadTimeDays: '9', orderingCost: '50', holdingCostPerUnitYear: '2' },
      demand,
      stock: { onHand: '60', reserved: '0', onOrder: '0' },
      decimals: 0,
    });
    expect(result).toMatchObject({ eoq: '303', max: '366', suggestedQuantity: '306' });
  });
});
