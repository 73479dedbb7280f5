import { Decimal as DecimalJs } from 'decimal.js';

/**
 * Exact decimals for quantities and money. Values cross every boundary (Postgres numeric, Temporal
 * payloads, Slack text) as strings; arithmetic happens here, never on JS numbers.
 */
export const Decimal = DecimalJs.clone({ precision: 40, rounding: DecimalJs.ROUND_HALF_EVEN, toExpNeg: -30, toExpPos: 40 });
export type Decimal = DecimalJs;
/** Anything a Decimal can be made from: a decimal string, an integer, or a Decimal. */
export type DecimalValue = DecimalJs.Value;

/** Postgres column shapes: quantities to 4 decimals, money to 4 (unit costs) and totals to 2 for display. */
export const QTY_SCALE = 4;
export const MONEY_SCALE = 4;
export const MAX_QTY = new Decimal('1000000000'); // a billion units in one move is a typo, not a delivery

export const dec = (value: DecimalValue): Decimal => new Decimal(value);

/** Parses user or file input strictly: plain decimal notation only (no exponent, no thousands separator). */
export function parseDecimal(input: string): Decimal | undefined {
  const trimmed = input.trim();
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(trimmed)) return undefined;
  return new Decimal(trimmed);
}

export const decimalPlaces = (value: Decimal): number => value.decimalPlaces();

/** Canonical string for storage and comparison: no trailing zeros, no exponent. */
export const toPlain = (value: Decimal): string => value.toFixed();

/** Money for people: two decimals, thousands separated. */
export function formatMoney(value: DecimalValue, currency = ''): string {
  const fixed = new Decimal(value).toFixed(2);
  const [int, frac] = fixed.split('.');
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${currency}${grouped}.${frac}`;
}

export const sum = (values: DecimalValue[]): Decimal => values.reduce<Decimal>((acc, v) => acc.plus(v), new Decimal(0));
