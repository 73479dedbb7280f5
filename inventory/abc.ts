import { Decimal, dec, toPlain } from './decimal.js';

/**
 * ABC analysis as pure code: items ranked by annual consumption value (issued quantity × unit cost over
 * the last 12 months). The SQL classification (db/queries/abc.ts) implements the same rules with window
 * functions; test/db/abc.test.ts checks both agree on a hand-worked data set.
 *
 * Rules:
 * - An item is A when the value of everything ranked strictly above it is below the A cut-off share of the
 *   total (so the item that crosses 80 % is still A, and A always covers at least 80 % of the value);
 *   B likewise with the B cut-off; otherwise C.
 * - Ties: items with the same value form one group and get the class of the group's first position
 *   (the share ranked above the whole group), so equal items never land in different classes and the
 *   result does not depend on SKU order.
 * - No usage (value 0, or negative when returns exceed issues): always C, flagged `noUsage`; when no item
 *   has any usage at all, every item is C.
 */

export type AbcClass = 'A' | 'B' | 'C';
export const ABC_CLASSES: readonly AbcClass[] = ['A', 'B', 'C'];

/** Cumulative value shares as decimal fractions: A up to `a`, B up to `b`, C the rest. */
export interface AbcCutoffs {
  a: string;
  b: string;
}

export const DEFAULT_ABC_CUTOFFS: AbcCutoffs = { a: '0.8', b: '0.95' };

export interface AbcItemValue {
  sku: string;
  /** Annual consumption value, exact decimal string. */
  annualValue: string;
}

export interface AbcClassifiedItem {
  sku: string;
  annualValue: string;
  /** 1-based; tied items share the rank of their group's first position. */
  rank: number;
  /** Share of total value ranked strictly above this item's tie group (0 … 1), 6 decimals. */
  shareBefore: string;
  /** Cumulative share including this item's whole tie group, 6 decimals. */
  cumulativeShare: string;
  abcClass: AbcClass;
  noUsage: boolean;
}

export interface ParetoRow {
  abcClass: AbcClass;
  itemCount: number;
  /** Fractions (0 … 1) as decimal strings, 4 decimals. */
  itemShare: string;
  value: string;
  valueShare: string;
}

export function validateCutoffs(cutoffs: AbcCutoffs): string | undefined {
  const a = dec(cutoffs.a);
  const b = dec(cutoffs.b);
  if (!(a.gt(0) && a.lt(b) && b.lte(1))) return `ABC cut-offs need 0 < A (${cutoffs.a}) < B (${cutoffs.b}) ≤ 1`;
  return undefined;
}

/** Class from the share ranked above an item (its tie group). */
export function classForShareBefore(shareBefore: Decimal, cutoffs: AbcCutoffs): AbcClass {
  if (shareBefore.lt(cutoffs.a)) return 'A';
  if (shareBefore.lt(cutoffs.b)) return 'B';
  return 'C';
}

const SHARE_DP = 6;

export function classifyAbc(items: readonly AbcItemValue[], cutoffs: AbcCutoffs = DEFAULT_ABC_CUTOFFS): AbcClassifiedItem[] {
  const invalid = validateCutoffs(cutoffs);
  if (invalid) throw new RangeError(invalid);
  const values = items.map((i) => ({ sku: i.sku, value: Decimal.max(dec(i.annualValue), 0), raw: i.annualValue }));
  // Highest value first; SKU only orders the output, never the class (ties share a class).
  values.sort((x, y) => y.value.comparedTo(x.value) || x.sku.localeCompare(y.sku));
  const total = values.reduce((acc, v) => acc.plus(v.value), new Decimal(0));

  const result: AbcClassifiedItem[] = [];
  let before = new Decimal(0);
  let index = 0;
  while (index < values.length) {
    const groupValue = values[index]!.value;
    let end = index;
    while (end < values.length && values[end]!.value.eq(groupValue)) end++;
    const groupTotal = groupValue.times(end - index);
    const shareBefore = total.isZero() ? new Decimal(1) : before.div(total);
    const cumulative = total.isZero() ? new Decimal(1) : before.plus(groupTotal).div(total);
    const noUsage = groupValue.isZero();
    const abcClass = noUsage ? 'C' : classForShareBefore(shareBefore, cutoffs);
    for (let k = index; k < end; k++) {
      result.push({
        sku: values[k]!.sku,
        annualValue: toPlain(values[k]!.value),
        rank: index + 1,
        shareBefore: shareBefore.toFixed(SHARE_DP),
        cumulativeShare: cumulative.toFixed(SHARE_DP),
        abcClass,
        noUsage,
      });
    }
    before = before.plus(groupTotal);
    index = end;
  }
  return result;
}

/** The Pareto table: one row per class, always all three, in A, B, C order. */
export function paretoTable(rows: readonly { abcClass: AbcClass; annualValue: string }[]): ParetoRow[] {
  const totalItems = rows.length;
  const totalValue = rows.reduce((acc, r) => acc.plus(r.annualValue), new Decimal(0));
  return ABC_CLASSES.map((abcClass) => {
    const inClass = rows.filter((r) => r.abcClass === abcClass);
    const value = inClass.reduce((acc, r) => acc.plus(r.annualValue), new Decimal(0));
    return {
      abcClass,
      itemCount: inClass.length,
      itemShare: totalItems === 0 ? '0.0000' : new Decimal(inClass.length).div(totalItems).toFixed(4),
      value: toPlain(value),
      valueShare: totalValue.isZero() ? '0.0000' : value.div(totalValue).toFixed(4),
    };
  });
}

/** Aggregated input for a Pareto table that was computed elsewhere (SQL): counts and values per class. */
export function paretoFromTotals(totals: readonly { abcClass: AbcClass; itemCount: number; value: string }[]): ParetoRow[] {
  const totalItems = totals.reduce((acc, t) => acc + t.itemCount, 0);
  const totalValue = totals.reduce((acc, t) => acc.plus(t.value), new Decimal(0));
  return ABC_CLASSES.map((abcClass) => {
    const t = totals.find((x) => x.abcClass === abcClass) ?? { itemCount: 0, value: '0' };
    return {
      abcClass,
      itemCount: t.itemCount,
      itemShare: totalItems === 0 ? '0.0000' : new Decimal(t.itemCount).div(totalItems).toFixed(4),
      value: toPlain(dec(t.value)),
      valueShare: totalValue.isZero() ? '0.0000' : dec(t.value).div(totalValue).toFixed(4),
    };
  });
}

/** '0.8123' → '81.2 %' for people. */
export const formatShare = (fraction: string): string => `${dec(fraction).times(100).toFixed(1)} %`;

export interface ClassChange {
  sku: string;
  from: AbcClass;
  to: AbcClass;
}

/** Items whose class differs from the previous run; items the previous run did not know are not changes. */
export function classChanges(
  previous: ReadonlyMap<string, AbcClass>,
  current: readonly { sku: string; abcClass: AbcClass }[],
): ClassChange[] {
  const changes: ClassChange[] = [];
  for (const c of current) {
    const from = previous.get(c.sku);
    if (from && from !== c.abcClass) changes.push({ sku: c.sku, from, to: c.abcClass });
  }
  return changes;
}
