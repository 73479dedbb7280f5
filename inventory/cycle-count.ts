import type { AbcClass } from './abc.js';
import { Decimal, MAX_QTY, dec, parseDecimal, toPlain } from './decimal.js';

/**
 * The cycle-count programme as pure code: which items are due on a day, how they are spread over working
 * days, grouped by aisle and shared among counters, and what a count's variance means. Everything is a
 * function of its inputs and the date passed in (no clock), so a test can run a whole year day by day.
 * Dates are ISO calendar dates ('2026-11-25') in the company's time zone; the caller converts "now".
 */

export type IsoDate = string;

/** Months between two counts of an item, per class. */
export type CountFrequency = Record<AbcClass, number>;
export const DEFAULT_COUNT_FREQUENCY: CountFrequency = { A: 1, B: 3, C: 12 };

export interface WorkingCalendar {
  /** ISO weekdays counted on: 1 = Monday … 7 = Sunday. */
  workingWeekdays: readonly number[];
  holidays: readonly IsoDate[];
}
export const DEFAULT_CALENDAR: WorkingCalendar = { workingWeekdays: [1, 2, 3, 4, 5], holidays: [] };

// ---------------------------------------------------------------------------------------------- dates

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function toUtc(date: IsoDate): number {
  const m = ISO_DATE.exec(date);
  if (!m) throw new RangeError(`not an ISO date: ${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}
const fromUtc = (ms: number): IsoDate => new Date(ms).toISOString().slice(0, 10);

export const addDays = (date: IsoDate, days: number): IsoDate => fromUtc(toUtc(date) + days * DAY_MS);
export const daysBetween = (from: IsoDate, to: IsoDate): number => Math.round((toUtc(to) - toUtc(from)) / DAY_MS);

/** Calendar months later, clamped to the month's end (31 January + 1 month = 28/29 February). */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const d = new Date(toUtc(date));
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return fromUtc(Date.UTC(y, m, Math.min(d.getUTCDate(), lastDay)));
}

export const isoWeekday = (date: IsoDate): number => ((new Date(toUtc(date)).getUTCDay() + 6) % 7) + 1;
export const monthOf = (date: IsoDate): string => date.slice(0, 7);

export function isWorkingDay(date: IsoDate, calendar: WorkingCalendar = DEFAULT_CALENDAR): boolean {
  return calendar.workingWeekdays.includes(isoWeekday(date)) && !calendar.holidays.includes(date);
}

export function nextWorkingDay(date: IsoDate, calendar: WorkingCalendar = DEFAULT_CALENDAR): IsoDate {
  if (calendar.workingWeekdays.length === 0) throw new RangeError('the calendar has no working weekday');
  let d = addDays(date, 1);
  while (!isWorkingDay(d, calendar)) d = addDays(d, 1);
  return d;
}

// ----------------------------------------------------------------------------------------- planning

export interface CountableItem {
  sku: string;
  abcClass: AbcClass;
  /** Last completed count of the item (all its locations); null when never counted. */
  lastCountedOn: IsoDate | null;
  /** When the item became countable (created / first stocked): a never-counted item is due one period later. */
  activeSince: IsoDate;
  /** Location paths where the item has stock rows; an item with none has nothing to count. */
  locations: readonly string[];
  /** Already on an open count document: not planned again until that one closes. */
  openCount?: boolean;
}

export interface PlanOptions {
  frequency?: CountFrequency;
  calendar?: WorkingCalendar;
  /** Slack user IDs of the people who count, in a stable order. */
  counters?: readonly string[];
  /** Lines per count document (one modal): keeps a document to one walk and under Slack's view limits. */
  maxLinesPerCount?: number;
  /** The walking group of a location; by default its parent ('Main/Aisle 3/Bin 12' → 'Main/Aisle 3'). */
  groupOf?: (location: string) => string;
}

export interface PlannedLine {
  sku: string;
  location: string;
  abcClass: AbcClass;
  /** The date by which the item must be counted. */
  deadline: IsoDate;
}

export interface PlannedCount {
  /** 1-based within the day. */
  sequence: number;
  /** The aisle (walking group) every line of the document is in. */
  group: string;
  counter: string | null;
  lines: PlannedLine[];
}

export interface CountPlan {
  date: IsoDate;
  workingDay: boolean;
  /** Items picked today, with why: 'deadline' (would be late otherwise) or 'pace' (spreading the workload). */
  due: { sku: string; abcClass: AbcClass; deadline: IsoDate; reason: 'deadline' | 'pace' }[];
  counts: PlannedCount[];
  /** Active items that have no stock row anywhere (nothing to walk to). */
  unlocated: string[];
}

export const DEFAULT_MAX_LINES_PER_COUNT = 40;

export const parentGroup = (location: string): string => {
  const cut = location.lastIndexOf('/');
  return cut > 0 ? location.slice(0, cut) : location;
};

export function countDeadline(item: Pick<CountableItem, 'abcClass' | 'lastCountedOn' | 'activeSince'>, frequency: CountFrequency): IsoDate {
  return addMonths(item.lastCountedOn ?? item.activeSince, frequency[item.abcClass]);
}

/**
 * Which items to count today, as a pure function of (items, today).
 *
 * Per class, candidates are taken earliest deadline first; on the same deadline a never-counted item goes
 * first (an item just counted must not be taken again before the others), then SKU. Two rules decide how many:
 * - deadline: every item whose deadline falls before the next working day is counted today, so no item
 *   ever goes longer than its class's period without a count (the guarantee the simulated-year test proves);
 * - pace: for every horizon h (each distinct deadline), the n_h items due by h spread evenly over the w_h
 *   working days from today to h need a rate of n_h / w_h counts a day; the class runs at the largest such
 *   rate r. A fractional rate becomes whole counts the way a line is drawn on a pixel grid: today takes
 *   floor(r·(K+1)) − floor(r·K), K being today's working-day ordinal, so 0.6 a day is 1, 0, 1, 1, 0 … and
 *   a class with fewer items than working days is not recounted daily. It needs no memory between days.
 * Non-working days plan nothing.
 */
export function planCountsForDay(items: readonly CountableItem[], today: IsoDate, options: PlanOptions = {}): CountPlan {
  const frequency = options.frequency ?? DEFAULT_COUNT_FREQUENCY;
  const calendar = options.calendar ?? DEFAULT_CALENDAR;
  const unlocated = items.filter((i) => i.locations.length === 0).map((i) => i.sku).sort();
  if (!isWorkingDay(today, calendar)) return { date: today, workingDay: false, due: [], counts: [], unlocated };

  const next = nextWorkingDay(today, calendar);
  // Working days from today (inclusive) up to each date, computed once per plan.
  const workingDaysThrough = workingDayCounter(today, calendar);
  const due: CountPlan['due'] = [];
  for (const abcClass of ['A', 'B', 'C'] as const) {
    const candidates = items
      .filter((i) => i.abcClass === abcClass && !i.openCount && i.locations.length > 0)
      .map((i) => ({ item: i, deadline: countDeadline(i, frequency) }))
      .sort((x, y) => compareDue(x, y));
    let mandatory = 0;
    while (mandatory < candidates.length && candidates[mandatory]!.deadline < next) mandatory++;
    // The class's pace: all its countable items once per period, i.e. n / w counts a working day.
    const rate = { n: candidates.length, w: workingDaysThrough(addDays(addMonths(today, frequency[abcClass]), -1)) };
    const ordinal = workingOrdinal(today, calendar);
    const pace = Math.floor((rate.n * (ordinal + 1)) / rate.w) - Math.floor((rate.n * ordinal) / rate.w);
    const take = Math.max(mandatory, Math.min(pace, candidates.length));
    for (let k = 0; k < take; k++) {
      const c = candidates[k]!;
      due.push({ sku: c.item.sku, abcClass, deadline: c.deadline, reason: k < mandatory ? 'deadline' : 'pace' });
    }
  }

  const bySku = new Map(items.map((i) => [i.sku, i]));
  const lines: PlannedLine[] = due.flatMap((d) =>
    bySku.get(d.sku)!.locations.map((location) => ({ sku: d.sku, location, abcClass: d.abcClass, deadline: d.deadline })),
  );
  const counts = groupIntoCounts(lines, today, options);
  return { date: today, workingDay: true, due, counts, unlocated };
}

function compareDue(x: { item: CountableItem; deadline: IsoDate }, y: { item: CountableItem; deadline: IsoDate }): number {
  if (x.deadline !== y.deadline) return x.deadline < y.deadline ? -1 : 1;
  const xNever = x.item.lastCountedOn === null;
  if (xNever !== (y.item.lastCountedOn === null)) return xNever ? -1 : 1;
  return x.item.sku.localeCompare(y.item.sku);
}

/** Working weekdays since 1970-01-01 (a Thursday), holidays ignored: a stable day index for pacing. */
function workingOrdinal(date: IsoDate, calendar: WorkingCalendar): number {
  const days = Math.floor(toUtc(date) / DAY_MS);
  const perWeek = calendar.workingWeekdays.length;
  let ordinal = Math.floor(days / 7) * perWeek;
  for (let j = 0; j < days % 7; j++) if (calendar.workingWeekdays.includes(((3 + j) % 7) + 1)) ordinal++;
  return ordinal;
}

function workingDayCounter(today: IsoDate, calendar: WorkingCalendar): (date: IsoDate) => number {
  const cache = new Map<IsoDate, number>();
  let cursor = today;
  let count = isWorkingDay(today, calendar) ? 1 : 0;
  cache.set(today, count);
  return (date) => {
    while (cursor < date) {
      cursor = addDays(cursor, 1);
      if (isWorkingDay(cursor, calendar)) count++;
      cache.set(cursor, count);
    }
    return Math.max(1, cache.get(date) ?? 1);
  };
}

/**
 * Lines grouped by aisle (sorted by location, then SKU, so the walk follows the shelf order), split into
 * documents of at most maxLinesPerCount, then handed out round-robin. The first counter of the day rotates
 * with the date, so the same person does not always get the first aisle.
 */
export function groupIntoCounts(lines: readonly PlannedLine[], today: IsoDate, options: PlanOptions = {}): PlannedCount[] {
  const groupOf = options.groupOf ?? parentGroup;
  const maxLines = options.maxLinesPerCount ?? DEFAULT_MAX_LINES_PER_COUNT;
  if (maxLines < 1) throw new RangeError('maxLinesPerCount must be at least 1');
  const counters = options.counters ?? [];
  const groups = new Map<string, PlannedLine[]>();
  for (const line of lines) {
    const key = groupOf(line.location);
    const group = groups.get(key);
    if (group) group.push(line);
    else groups.set(key, [line]);
  }
  const counts: PlannedCount[] = [];
  for (const group of [...groups.keys()].sort()) {
    const sorted = groups
      .get(group)!
      .sort((x, y) => x.location.localeCompare(y.location) || x.sku.localeCompare(y.sku));
    for (let start = 0; start < sorted.length; start += maxLines) {
      counts.push({ sequence: counts.length + 1, group, counter: null, lines: sorted.slice(start, start + maxLines) });
    }
  }
  if (counters.length > 0) {
    const offset = Math.floor(toUtc(today) / DAY_MS) % counters.length;
    counts.forEach((c, i) => (c.counter = counters[(offset + i) % counters.length]!));
  }
  return counts;
}

// ---------------------------------------------------------------------------------------- variances

/**
 * A class's tolerance: a variance is within it when |variance| ≤ quantity AND |value impact| ≤ value.
 * Either limit may be null (not checked); a class with both null accepts every variance automatically.
 */
export interface ClassTolerance {
  quantity: string | null;
  value: string | null;
}
export type CountTolerances = Record<AbcClass, ClassTolerance>;

/** A items: only exact counts post by themselves; B and C absorb small, cheap differences. */
export const DEFAULT_TOLERANCES: CountTolerances = {
  A: { quantity: '0', value: '0' },
  B: { quantity: '2', value: '50' },
  C: { quantity: '5', value: '100' },
};

export type CountAction = 'none' | 'post' | 'recount' | 'approval';

export interface CountEvaluation {
  variance: string;
  valueImpact: string;
  withinTolerance: boolean;
  /**
   * none: counted = expected; post: adjust now (within tolerance); recount: above tolerance on a first
   * count; approval: still above tolerance on a recount, so an inventory manager decides.
   */
  action: CountAction;
}

export function withinTolerance(variance: Decimal, valueImpact: Decimal, tolerance: ClassTolerance): boolean {
  if (tolerance.quantity !== null && variance.abs().gt(tolerance.quantity)) return false;
  if (tolerance.value !== null && valueImpact.abs().gt(tolerance.value)) return false;
  return true;
}

/** Variance = counted − expected; value impact = variance × unit cost (money to 4 decimals). */
export function evaluateCount(input: {
  expected: string;
  counted: string;
  unitCost: string;
  tolerance: ClassTolerance;
  isRecount: boolean;
}): CountEvaluation {
  const variance = dec(input.counted).minus(input.expected);
  const valueImpact = variance.times(input.unitCost).toDecimalPlaces(4);
  const within = withinTolerance(variance, valueImpact, input.tolerance);
  const action: CountAction = variance.isZero() ? 'none' : within ? 'post' : input.isRecount ? 'approval' : 'recount';
  return { variance: toPlain(variance), valueImpact: toPlain(valueImpact), withinTolerance: within, action };
}

// ------------------------------------------------------------------------------------------ accuracy

export interface CountResultForAccuracy {
  abcClass: AbcClass;
  countedOn: IsoDate;
  withinTolerance: boolean;
}

export interface AccuracyRow {
  month: string;
  abcClass: AbcClass;
  counts: number;
  accurate: number;
  /** Share within tolerance, 0 … 1, 4 decimals. */
  accuracy: string;
}

/**
 * Inventory record accuracy: share of count lines within tolerance, per month and class. Pass first
 * counts only: a recount corrects the record but must not make the record look more accurate than it was.
 */
export function countAccuracy(results: readonly CountResultForAccuracy[]): AccuracyRow[] {
  const buckets = new Map<string, AccuracyRow>();
  for (const r of results) {
    const key = `${monthOf(r.countedOn)}|${r.abcClass}`;
    const row = buckets.get(key) ?? { month: monthOf(r.countedOn), abcClass: r.abcClass, counts: 0, accurate: 0, accuracy: '0' };
    row.counts++;
    if (r.withinTolerance) row.accurate++;
    buckets.set(key, row);
  }
  return [...buckets.values()]
    .map((row) => ({ ...row, accuracy: new Decimal(row.accurate).div(row.counts).toFixed(4) }))
    .sort((x, y) => x.month.localeCompare(y.month) || x.abcClass.localeCompare(y.abcClass));
}

// ------------------------------------------------------------------------------------------- input

export type CountedQuantityResult = { ok: true; quantity: string } | { ok: false; error: string };

/**
 * Checks what a counter typed: a plain non-negative number with no more decimals than the item's unit
 * allows. The Slack modal shows the error on the field; the workflow's Update validator refuses the same.
 */
export function parseCountedQuantity(raw: string, uomDecimals: number, uom = 'units'): CountedQuantityResult {
  const trimmed = raw.trim();
  if (trimmed === '') return { ok: false, error: 'Enter the quantity you counted (0 if the bin is empty).' };
  const value = parseDecimal(trimmed);
  if (!value) return { ok: false, error: `"${truncate(trimmed)}" is not a number: type digits only, e.g. 12 or 3.5.` };
  if (value.isNegative() && !value.isZero()) return { ok: false, error: 'A count cannot be negative.' };
  if (value.decimalPlaces() > uomDecimals) {
    return {
      ok: false,
      error:
        uomDecimals === 0
          ? `${uom} are counted in whole numbers.`
          : `${uom} allow at most ${uomDecimals} decimal${uomDecimals === 1 ? '' : 's'}.`,
    };
  }
  if (value.gt(MAX_QTY)) return { ok: false, error: 'That is more than any bin can hold: check the number.' };
  return { ok: true, quantity: toPlain(value.abs()) };
}

const truncate = (s: string): string => (s.length > 20 ? `${s.slice(0, 20)}…` : s);

// ------------------------------------------------------------------------------------------ time zones

/** Wall-clock parts of an instant in an IANA time zone. */
function zonedParts(at: Date, timeZone: string): { y: number; m: number; d: number; h: number; min: number; s: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return { y: get('year'), m: get('month'), d: get('day'), h: get('hour'), min: get('minute'), s: get('second') };
}

/** The calendar date of an instant in a time zone: "today" for the stockroom. */
export function dateInTimeZone(at: Date, timeZone: string): IsoDate {
  const p = zonedParts(at, timeZone);
  return `${p.y}-${String(p.m).padStart(2, '0')}-${String(p.d).padStart(2, '0')}`;
}

/** The instant a date starts (00:00) in a time zone. */
export function startOfDayIn(date: IsoDate, timeZone: string): Date {
  const guess = toUtc(date);
  // The zone's offset at that moment (its wall clock minus UTC); checked twice across a DST change.
  let instant = guess;
  for (let i = 0; i < 2; i++) {
    const p = zonedParts(new Date(instant), timeZone);
    const wall = Date.UTC(p.y, p.m - 1, p.d, p.h, p.min, p.s);
    instant = guess - (wall - instant);
  }
  return new Date(instant);
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** ISO 8601 week of a date, '2026-W48': the digest's key (one digest per manager per week). */
export function isoWeekKey(date: IsoDate): string {
  const weekday = isoWeekday(date);
  const thursday = addDays(date, 4 - weekday); // the week belongs to the year of its Thursday
  const year = Number(thursday.slice(0, 4));
  const week = Math.floor(daysBetween(`${year}-01-01`, thursday) / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}
