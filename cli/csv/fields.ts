import { MAX_QTY, MONEY_SCALE, parseDecimal, toPlain } from '../../inventory/decimal.js';

/** A cell read: the value, or the reason it is not acceptable (said to a person fixing a spreadsheet). */
export type Field<T> = { ok: true; value: T } | { ok: false; reason: string };

const ok = <T>(value: T): Field<T> => ({ ok: true, value });

/** How a message echoes what was typed: whole when short, else its start and its length (a 100 kB cell makes no 100 kB error line). */
export function shown(text: string, max = 60): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}
const bad = <T>(reason: string): Field<T> => ({ ok: false, reason });

/** Money beyond this per unit is a typo (numeric(18,4) holds 14 integer digits). */
const MAX_MONEY = parseDecimal('10000000000')!;

/** A quantity received or counted: > 0, at most `decimals` places, at most MAX_QTY. */
export function quantityField(text: string, decimals: number, uom: string): Field<string> {
  const value = parseDecimal(text);
  if (!value) return bad(`"${shown(text)}" is not a number (use digits and a dot, e.g. 12 or 2.5)`);
  if (value.lte(0)) return bad(`must be greater than 0, got ${shown(text)}`);
  if (value.decimalPlaces() > decimals) {
    return bad(decimals === 0 ? `"${shown(text)}" is not a whole number of ${uom}` : `${uom} allows at most ${decimals} decimals, got "${shown(text)}"`);
  }
  if (value.gt(MAX_QTY)) return bad(`${shown(text)} is larger than ${toPlain(MAX_QTY)}, which is surely a typo`);
  return ok(toPlain(value));
}

/** A unit cost: ≥ 0, at most 4 decimals. */
export function moneyField(text: string): Field<string> {
  const value = parseDecimal(text.replace(/^[$€£]/, ''));
  if (!value) return bad(`"${shown(text)}" is not an amount (use digits and a dot, e.g. 4.25; no currency or thousands separators)`);
  if (value.isNegative()) return bad(`cannot be negative, got ${shown(text)}`);
  if (value.decimalPlaces() > MONEY_SCALE) return bad(`at most ${MONEY_SCALE} decimals, got "${shown(text)}"`);
  if (value.gt(MAX_MONEY)) return bad(`${shown(text)} is larger than ${toPlain(MAX_MONEY)}, which is surely a typo`);
  return ok(toPlain(value));
}

const TRUE = new Set(['true', 'yes', 'y', '1', 'active']);
const FALSE = new Set(['false', 'no', 'n', '0', 'inactive']);

export function booleanField(text: string): Field<boolean> {
  const t = text.toLowerCase();
  if (TRUE.has(t)) return ok(true);
  if (FALSE.has(t)) return ok(false);
  return bad(`"${shown(text)}" is not true or false (yes/no and 1/0 work too)`);
}

export type ValuationMethodName = 'fifo' | 'lifo' | 'wavg';
const METHOD_ALIASES: Record<string, ValuationMethodName> = {
  fifo: 'fifo',
  lifo: 'lifo',
  wavg: 'wavg',
  avg: 'wavg',
  average: 'wavg',
  weighted_average: 'wavg',
  'weighted average': 'wavg',
};

export function valuationMethodField(text: string): Field<ValuationMethodName> {
  const method = METHOD_ALIASES[text.toLowerCase()];
  return method ? ok(method) : bad(`"${shown(text)}" is not a valuation method: use fifo, lifo or wavg (weighted average)`);
}

export function integerField(text: string, min: number, max: number): Field<number> {
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) return bad(`must be a whole number from ${min} to ${max}, got "${shown(text)}"`);
  return ok(Number(text));
}

export function enumField<T extends string>(text: string, values: readonly T[], what: string): Field<T> {
  const value = values.find((v) => v === text.toLowerCase());
  return value ? ok(value) : bad(`"${shown(text)}" is not a ${what}: use ${values.join(', ')}`);
}

/** 'Main / Aisle 3 /Bin 12' → segments ['Main', 'Aisle 3', 'Bin 12']; inner spaces are kept. */
export function locationPathField(text: string): Field<string[]> {
  const segments = text.split('/').map((s) => s.trim().replace(/\s+/g, ' '));
  if (segments.some((s) => s === '')) return bad(`"${shown(text)}" has an empty part; write it like Main/Aisle 3/Bin 12`);
  if (segments.length > 10) return bad(`"${shown(text)}" is ${segments.length} levels deep; at most 10`);
  if (segments.some((s) => s.length > 100)) return bad('a part of the path is longer than 100 characters');
  return ok(segments);
}

export const normaliseLocationPath = (text: string): string =>
  text
    .split('/')
    .map((s) => s.trim().replace(/\s+/g, ' '))
    .join('/');

export function textField(text: string, maxLength: number): Field<string> {
  if (text.length > maxLength) return bad(`longer than ${maxLength} characters`);
  if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(text)) return bad('contains control characters');
  return ok(text);
}
