import { describe, expect, test } from 'vitest';
import { classChanges, classifyAbc, DEFAULT_ABC_CUTOFFS, formatShare, paretoFromTotals, paretoTable, validateCutoffs } from '../../inventory/abc.js';

// Hand-worked: total 1,000. Shares before each tie group: P1 0, P2 .50, P3=P4 .75 (a tie inside A), P5 .90,
// P6=P7 .96, then two items with no usage.
const handWorked = [
  { sku: 'P6', annualValue: '20' },
  { sku: 'P1', annualValue: '500' },
  { sku: 'P9', annualValue: '0' },
  { sku: 'P4', annualValue: '75' },
  { sku: 'P2', annualValue: '250.00' },
  { sku: 'P3', annualValue: '75' },
  { sku: 'P5', annualValue: '60' },
  { sku: 'P8', annualValue: '0' },
  { sku: 'P7', annualValue: '20' },
];

describe('classifyAbc', () => {
  test('the hand-worked set: rank, share before, class and no-usage flag per item', () => {
    const rows = classifyAbc(handWorked);
    expect(rows.map((r) => [r.sku, r.rank, r.shareBefore, r.cumulativeShare, r.abcClass, r.noUsage])).toEqual([
      ['P1', 1, '0.000000', '0.500000', 'A', false],
      ['P2', 2, '0.500000', '0.750000', 'A', false],
      ['P3', 3, '0.750000', '0.900000', 'A', false],
      ['P4', 3, '0.750000', '0.900000', 'A', false],
      ['P5', 5, '0.900000', '0.960000', 'B', false],
      ['P6', 6, '0.960000', '1.000000', 'C', false],
      ['P7', 6, '0.960000', '1.000000', 'C', false],
      ['P8', 8, '1.000000', '1.000000', 'C', true],
      ['P9', 8, '1.000000', '1.000000', 'C', true],
    ]);
    expect(rows.find((r) => r.sku === 'P2')!.annualValue).toBe('250');
  });

  test('a tie group that straddles a cut-off stays together in the class of its first position', () => {
    // P3 alone would be A (.75 before) and P4 B (.85 before); together both are A.
    const rows = classifyAbc([
      { sku: 'X1', annualValue: '750' },
      { sku: 'X2', annualValue: '100' },
      { sku: 'X3', annualValue: '100' },
      { sku: 'X4', annualValue: '50' },
    ]);
    expect(rows.map((r) => `${r.sku}:${r.abcClass}`)).toEqual(['X1:A', 'X2:A', 'X3:A', 'X4:C']);
  });

  test('the classes do not depend on the order or the SKUs of tied items', () => {
    const shuffled = [...handWorked].reverse();
    const byClass = (rows: ReturnType<typeof classifyAbc>) => Object.fromEntries(rows.map((r) => [r.sku, r.abcClass]));
    expect(byClass(classifyAbc(shuffled))).toEqual(byClass(classifyAbc(handWorked)));
  });

  test('the item that crosses a cut-off belongs to the class below the line, so A covers at least the A share', () => {
    const rows = classifyAbc([
      { sku: 'BIG', annualValue: '70' },
      { sku: 'MID', annualValue: '20' },
      { sku: 'SMALL', annualValue: '6' },
      { sku: 'TINY', annualValue: '4' },
    ]);
    expect(rows.map((r) => r.abcClass)).toEqual(['A', 'A', 'B', 'C']);
  });

  test('no usage anywhere: every item is C and flagged; negative value (returns) counts as none', () => {
    const rows = classifyAbc([
      { sku: 'R', annualValue: '-12.5' },
      { sku: 'Z', annualValue: '0' },
    ]);
    expect(rows.map((r) => [r.sku, r.abcClass, r.noUsage, r.annualValue])).toEqual([
      ['R', 'C', true, '0'],
      ['Z', 'C', true, '0'],
    ]);
  });

  test('configurable cut-offs, validated', () => {
    const rows = classifyAbc(handWorked, { a: '0.5', b: '0.9' });
    expect(rows.filter((r) => r.abcClass === 'A').map((r) => r.sku)).toEqual(['P1']);
    expect(rows.filter((r) => r.abcClass === 'B').map((r) => r.sku)).toEqual(['P2', 'P3', 'P4']);
    expect(validateCutoffs(DEFAULT_ABC_CUTOFFS)).toBeUndefined();
    expect(validateCutoffs({ a: '0.9', b: '0.8' })).toMatch(/0 < A/);
    expect(() => classifyAbc(handWorked, { a: '0', b: '0.5' })).toThrow(RangeError);
    expect(() => classifyAbc(handWorked, { a: '0.5', b: '1.2' })).toThrow(RangeError);
  });

  test('exact decimals: values that float arithmetic would blur still rank and tie exactly', () => {
    const rows = classifyAbc([
      { sku: 'F1', annualValue: '0.3' },
      { sku: 'F2', annualValue: '0.30000' },
      { sku: 'F3', annualValue: '0.1' },
    ]);
    expect(rows.map((r) => r.rank)).toEqual([1, 1, 3]);
    expect(rows[2]!.shareBefore).toBe('0.857143');
  });
});

describe('paretoTable', () => {
  test('class, item count, share of items, share of value: the hand-worked set', () => {
    expect(paretoTable(classifyAbc(handWorked))).toEqual([
      { abcClass: 'A', itemCount: 4, itemShare: '0.4444', value: '900', valueShare: '0.9000' },
      { abcClass: 'B', itemCount: 1, itemShare: '0.1111', value: '60', valueShare: '0.0600' },
      { abcClass: 'C', itemCount: 4, itemShare: '0.4444', value: '40', valueShare: '0.0400' },
    ]);
  });

  test('always three rows, zero shares when there is nothing', () => {
    expect(paretoTable([]).map((r) => [r.abcClass, r.itemCount, r.itemShare, r.valueShare])).toEqual([
      ['A', 0, '0.0000', '0.0000'],
      ['B', 0, '0.0000', '0.0000'],
      ['C', 0, '0.0000', '0.0000'],
    ]);
  });

  test('from per-class totals (what SQL returns) gives the same table', () => {
    const totals = [
      { abcClass: 'C' as const, itemCount: 4, value: '40' },
      { abcClass: 'A' as const, itemCount: 4, value: '900.0000' },
      { abcClass: 'B' as const, itemCount: 1, value: '60' },
    ];
    expect(paretoFromTotals(totals)).toEqual(paretoTable(classifyAbc(handWorked)));
    expect(formatShare('0.9000')).toBe('90.0 %');
  });
});

test('classChanges: only items whose class moved since the previous run; new items are not changes', () => {
  const previous = new Map([
    ['P1', 'A' as const],
    ['P5', 'A' as const],
    ['P6', 'C' as const],
  ]);
  const current = classifyAbc(handWorked);
  expect(classChanges(previous, current)).toEqual([{ sku: 'P5', from: 'A', to: 'B' }]);
});
