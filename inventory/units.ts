/**
 * How many decimals a quantity may have in each unit of measure: you issue whole pens but 0.25 kg
 * of grease. Items store their own value; these are the defaults when an item does not say.
 */
export const UOM_DECIMALS: Readonly<Record<string, number>> = {
  ea: 0,
  pc: 0,
  pcs: 0,
  box: 0,
  pack: 0,
  pair: 0,
  roll: 0,
  ream: 0,
  set: 0,
  kg: 3,
  g: 1,
  t: 3,
  l: 3,
  ml: 0,
  m: 2,
  cm: 1,
  m2: 2,
  h: 2,
};

/** Unknown units get whole numbers: safer to ask for a decimal rule than to accept 0.3 of a chair. */
export const defaultUomDecimals = (uom: string): number => UOM_DECIMALS[uom.trim().toLowerCase()] ?? 0;
