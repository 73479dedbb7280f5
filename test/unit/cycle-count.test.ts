import { describe, expect, test } from 'vitest';
import type { AbcClass } from '../../inventory/abc.js';
import {
  addDays,
  addMonths,
  countAccuracy,
  DEFAULT_COUNT_FREQUENCY,
  DEFAULT_TOLERANCES,
  evaluateCount,
  groupIntoCounts,
  isWorkingDay,
  isoWeekday,
  nextWorkingDay,
  parseCountedQuantity,
  planCountsForDay,
  type CountableItem,
  type IsoDate,
} from '../../inventory/cycle-count.js';

describe('dates', () => {
  test('months clamp to the month end; weekdays and working days', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-11-15', 3)).toBe('2027-02-15');
    expect(addMonths('2026-03-01', 12)).toBe('2027-03-01');
    expect(isoWeekday('2026-11-23')).toBe(1); // a Monday
    expect(isoWeekday('2026-11-29')).toBe(7);
    expect(isWorkingDay('2026-11-28')).toBe(false);
    expect(nextWorkingDay('2026-11-27')).toBe('2026-11-30');
    expect(nextWorkingDay('2026-12-23', { workingWeekdays: [1, 2, 3, 4, 5], holidays: ['2026-12-24', '2026-12-25'] })).toBe(
      '2026-12-28',
    );
  });
});

/** 240 items in 6 aisles × 4 bins; some stocked in two bins. */
function warehouse(): CountableItem[] {
  const classes: AbcClass[] = [...Array(24).fill('A'), ...Array(60).fill('B'), ...Array(156).fill('C')];
  return classes.map((abcClass, i) => {
    const aisle = (i % 6) + 1;
    const bin = (i % 4) + 1;
    const locations = [`Main/Aisle ${aisle}/Bin ${bin}`];
    if (i % 7 === 0) locations.push(`Overflow/Rack ${(i % 3) + 1}/Shelf 1`);
    return { sku: `SKU-${String(i).padStart(4, '0')}`, abcClass, lastCountedOn: null, activeSince: '2026-01-01', locations };
  });
}

/** Runs the planner every day, counting what it plans that same day; returns each item's count dates. */
function simulate(items: CountableItem[], from: IsoDate, days: number, onDay?: (day: IsoDate, items: CountableItem[]) => void) {
  const counted = new Map<string, IsoDate[]>(items.map((i) => [i.sku, []]));
  const linesPerDay = new Map<IsoDate, number>();
  for (let d = 0; d < days; d++) {
    const today = addDays(from, d);
    onDay?.(today, items);
    const plan = planCountsForDay(items, today, { counters: ['U1', 'U2', 'U3'] });
    linesPerDay.set(today, plan.counts.reduce((n, c) => n + c.lines.length, 0));
    for (const due of plan.due) {
      counted.set(due.sku, [...(counted.get(due.sku) ?? []), today]);
      items.find((i) => i.sku === due.sku)!.lastCountedOn = today;
    }
  }
  return { counted, linesPerDay };
}

describe('planCountsForDay over a simulated year', () => {
  test('every active item is counted within its class period, all year long, and never on a weekend', () => {
    const items = warehouse();
    const start = '2026-01-01';
    const end = '2027-01-01';
    const { counted, linesPerDay } = simulate(items, start, 366);
    for (const item of items) {
      const months = DEFAULT_COUNT_FREQUENCY[item.abcClass];
      const dates = counted.get(item.sku)!;
      let previous = item.activeSince;
      for (const date of [...dates, end]) {
        // The gap from the previous count (or from becoming active) never exceeds the period...
        expect(date <= addMonths(previous, months) || date === end, `${item.sku} ${previous}→${date}`).toBe(true);
        previous = date;
      }
      // ...including the gap still open at the end of the year.
      expect(end <= addMonths(previous, months), `${item.sku} last counted ${previous}`).toBe(true);
      for (const date of dates) expect(isWorkingDay(date)).toBe(true);
    }
    // Counted about as often as the class asks, not on every planning run.
    const perYear = (c: AbcClass) => items.filter((i) => i.abcClass === c).map((i) => counted.get(i.sku)!.length);
    expect(Math.min(...perYear('A'))).toBeGreaterThanOrEqual(12);
    expect(Math.max(...perYear('A'))).toBeLessThanOrEqual(14);
    expect(Math.min(...perYear('B'))).toBeGreaterThanOrEqual(4);
    expect(Math.max(...perYear('B'))).toBeLessThanOrEqual(5);
    expect(Math.min(...perYear('C'))).toBeGreaterThanOrEqual(1);
    expect(Math.max(...perYear('C'))).toBeLessThanOrEqual(2);
    // Spread: no working day carries more than twice the average, and most working days have work.
    const working = [...linesPerDay.entries()].filter(([d]) => isWorkingDay(d));
    const average = working.reduce((n, [, v]) => n + v, 0) / working.length;
    expect(Math.max(...working.map(([, v]) => v))).toBeLessThanOrEqual(2 * average);
    expect(working.filter(([, v]) => v > 0).length).toBeGreaterThan(0.9 * working.length);
  });

  test('items added mid-year and an item promoted from C to A are still counted within their period', () => {
    const items = warehouse();
    const { counted } = simulate(items, '2026-01-01', 366, (day, list) => {
      if (day === '2026-05-06') {
        for (let k = 0; k < 30; k++) {
          list.push({ sku: `NEW-${k}`, abcClass: k < 5 ? 'A' : 'C', lastCountedOn: null, activeSince: day, locations: ['Main/Aisle 9/Bin 1'] });
        }
      }
      // The monthly ABC run promotes a C item last counted in January: its A deadline has long passed.
      if (day === '2026-07-01') list.find((i) => i.sku === 'SKU-0200')!.abcClass = 'A';
    });
    for (let k = 0; k < 30; k++) {
      const dates = counted.get(`NEW-${k}`) ?? [];
      const deadline = addMonths('2026-05-06', k < 5 ? 1 : 12);
      // A items by June; C items by May 2027, past the simulated year, so "not yet" is allowed for them.
      if (deadline <= '2027-01-01') expect(dates.length).toBeGreaterThan(0);
      if (dates.length) expect(dates[0]! <= deadline).toBe(true);
    }
    expect(counted.get('NEW-0')!.length).toBeGreaterThanOrEqual(7);
    const promoted = counted.get('SKU-0200')!;
    expect(promoted).toContain('2026-07-01'); // overdue under its new class: counted on the day it changed
    const after = promoted.filter((d) => d >= '2026-07-01');
    for (let k = 1; k < after.length; k++) expect(after[k]! <= addMonths(after[k - 1]!, 1)).toBe(true);
  });

  test('items on an open count and items with no stock row are not planned', () => {
    const items: CountableItem[] = [
      { sku: 'OPEN', abcClass: 'A', lastCountedOn: '2026-01-01', activeSince: '2025-01-01', locations: ['Main/A/1'], openCount: true },
      { sku: 'NOWHERE', abcClass: 'A', lastCountedOn: null, activeSince: '2025-01-01', locations: [] },
      { sku: 'LATE', abcClass: 'A', lastCountedOn: '2026-01-01', activeSince: '2025-01-01', locations: ['Main/A/2'] },
    ];
    const plan = planCountsForDay(items, '2026-11-25');
    expect(plan.due).toEqual([{ sku: 'LATE', abcClass: 'A', deadline: '2026-02-01', reason: 'deadline' }]);
    expect(plan.unlocated).toEqual(['NOWHERE']);
    expect(planCountsForDay(items, '2026-11-28')).toMatchObject({ workingDay: false, due: [], counts: [] });
  });

  test('the deadline rule looks past the weekend: an item due on Saturday is counted on Friday', () => {
    const items: CountableItem[] = [{ sku: 'SAT', abcClass: 'A', lastCountedOn: '2026-10-28', activeSince: '2025-01-01', locations: ['M/A/1'] }];
    // Thursday: Friday still works, so the deadline does not force it (pace alone may or may not pick it).
    expect(planCountsForDay(items, '2026-11-26').due.filter((d) => d.reason === 'deadline')).toEqual([]);
    expect(planCountsForDay(items, '2026-11-27').due.map((d) => d.reason)).toEqual(['deadline']);
  });
});

describe('groupIntoCounts', () => {
  const lines = [
    { sku: 'S2', location: 'Main/Aisle 2/Bin 1', abcClass: 'A' as const, deadline: '2026-12-01' },
    { sku: 'S1', location: 'Main/Aisle 1/Bin 2', abcClass: 'B' as const, deadline: '2026-12-01' },
    { sku: 'S3', location: 'Main/Aisle 1/Bin 1', abcClass: 'C' as const, deadline: '2026-12-01' },
    { sku: 'S4', location: 'Main/Aisle 1/Bin 1', abcClass: 'C' as const, deadline: '2026-12-01' },
    { sku: 'S5', location: 'Main/Aisle 3/Bin 1', abcClass: 'C' as const, deadline: '2026-12-01' },
  ];

  test('one aisle per document in shelf order, split at the line limit, counters round-robin', () => {
    const counts = groupIntoCounts(lines, '2026-11-25', { counters: ['U1', 'U2'], maxLinesPerCount: 2 });
    expect(counts.map((c) => [c.sequence, c.group, c.lines.map((l) => `${l.location}:${l.sku}`)])).toEqual([
      [1, 'Main/Aisle 1', ['Main/Aisle 1/Bin 1:S3', 'Main/Aisle 1/Bin 1:S4']],
      [2, 'Main/Aisle 1', ['Main/Aisle 1/Bin 2:S1']],
      [3, 'Main/Aisle 2', ['Main/Aisle 2/Bin 1:S2']],
      [4, 'Main/Aisle 3', ['Main/Aisle 3/Bin 1:S5']],
    ]);
    const assigned = counts.map((c) => c.counter);
    expect(new Set(assigned)).toEqual(new Set(['U1', 'U2']));
    for (let i = 1; i < assigned.length; i++) expect(assigned[i]).not.toBe(assigned[i - 1]);
    // The first counter rotates with the day.
    expect(groupIntoCounts(lines, '2026-11-26', { counters: ['U1', 'U2'], maxLinesPerCount: 2 })[0]!.counter).not.toBe(assigned[0]);
  });

  test('without counters the documents are planned unassigned', () => {
    expect(groupIntoCounts(lines, '2026-11-25').map((c) => c.counter)).toEqual([null, null, null]);
  });
});

describe('evaluateCount', () => {
  const { A, B } = DEFAULT_TOLERANCES;
  test('exact count: nothing to post', () => {
    expect(evaluateCount({ expected: '10', counted: '10.0', unitCost: '3', tolerance: A, isRecount: false })).toEqual({
      variance: '0',
      valueImpact: '0',
      withinTolerance: true,
      action: 'none',
    });
  });
  test('within tolerance: posted automatically; variance = counted − expected, value at unit cost', () => {
    expect(evaluateCount({ expected: '10', counted: '8', unitCost: '12.5', tolerance: B, isRecount: false })).toEqual({
      variance: '-2',
      valueImpact: '-25',
      withinTolerance: true,
      action: 'post',
    });
  });
  test('above tolerance by quantity or by value: recount first, then the manager', () => {
    expect(evaluateCount({ expected: '10', counted: '13', unitCost: '1', tolerance: B, isRecount: false }).action).toBe('recount');
    expect(evaluateCount({ expected: '10', counted: '11', unitCost: '80', tolerance: B, isRecount: false })).toMatchObject({
      valueImpact: '80',
      withinTolerance: false,
      action: 'recount',
    });
    expect(evaluateCount({ expected: '10', counted: '13', unitCost: '1', tolerance: B, isRecount: true }).action).toBe('approval');
  });
  test('a limit left null is not checked', () => {
    const quantityOnly = { quantity: '1', value: null };
    expect(evaluateCount({ expected: '0', counted: '1', unitCost: '9999', tolerance: quantityOnly, isRecount: false }).action).toBe('post');
  });
});

describe('parseCountedQuantity', () => {
  test('accepts plain non-negative numbers within the unit decimals', () => {
    expect(parseCountedQuantity(' 12 ', 0)).toEqual({ ok: true, quantity: '12' });
    expect(parseCountedQuantity('0', 0)).toEqual({ ok: true, quantity: '0' });
    expect(parseCountedQuantity('-0', 0)).toEqual({ ok: true, quantity: '0' });
    expect(parseCountedQuantity('2.50', 2)).toEqual({ ok: true, quantity: '2.5' });
    expect(parseCountedQuantity('2.50', 1)).toEqual({ ok: true, quantity: '2.5' });
  });
  test('refuses negative, non-numeric, too many decimals, absurd and empty input with a message', () => {
    expect(parseCountedQuantity('-1', 0)).toEqual({ ok: false, error: 'A count cannot be negative.' });
    expect(parseCountedQuantity('twelve', 0)).toMatchObject({ ok: false, error: expect.stringMatching(/not a number/) });
    expect(parseCountedQuantity('1e3', 0)).toMatchObject({ ok: false });
    expect(parseCountedQuantity('1,000', 0)).toMatchObject({ ok: false });
    expect(parseCountedQuantity('1.5', 0, 'ea')).toEqual({ ok: false, error: 'ea are counted in whole numbers.' });
    expect(parseCountedQuantity('1.255', 2, 'kg')).toEqual({ ok: false, error: 'kg allow at most 2 decimals.' });
    expect(parseCountedQuantity('20000000000', 0)).toMatchObject({ ok: false });
    expect(parseCountedQuantity('  ', 0)).toMatchObject({ ok: false });
  });
});

test('countAccuracy: share within tolerance per month and class', () => {
  expect(
    countAccuracy([
      { abcClass: 'A', countedOn: '2026-10-02', withinTolerance: true },
      { abcClass: 'A', countedOn: '2026-10-20', withinTolerance: false },
      { abcClass: 'C', countedOn: '2026-10-20', withinTolerance: true },
      { abcClass: 'A', countedOn: '2026-11-03', withinTolerance: true },
      { abcClass: 'A', countedOn: '2026-11-04', withinTolerance: true },
      { abcClass: 'A', countedOn: '2026-11-05', withinTolerance: false },
    ]),
  ).toEqual([
    { month: '2026-10', abcClass: 'A', counts: 2, accurate: 1, accuracy: '0.5000' },
    { month: '2026-10', abcClass: 'C', counts: 1, accurate: 1, accuracy: '1.0000' },
    { month: '2026-11', abcClass: 'A', counts: 3, accurate: 2, accuracy: '0.6667' },
  ]);
});

describe('time zones', () => {
  test('today and the start of a day in the stockroom time zone', async () => {
    const { dateInTimeZone, startOfDayIn, isValidTimeZone } = await import('../../inventory/cycle-count.js');
    expect(dateInTimeZone(new Date('2026-11-25T23:30:00Z'), 'Europe/Berlin')).toBe('2026-11-26');
    expect(dateInTimeZone(new Date('2026-11-25T03:00:00Z'), 'America/Los_Angeles')).toBe('2026-11-24');
    expect(startOfDayIn('2026-11-26', 'Europe/Berlin').toISOString()).toBe('2026-11-25T23:00:00.000Z');
    expect(startOfDayIn('2026-07-01', 'Europe/Berlin').toISOString()).toBe('2026-06-30T22:00:00.000Z');
    expect(startOfDayIn('2026-03-29', 'Europe/Berlin').toISOString()).toBe('2026-03-28T23:00:00.000Z'); // DST starts that day
    expect(startOfDayIn('2026-11-26', 'UTC').toISOString()).toBe('2026-11-26T00:00:00.000Z');
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    const { isoWeekKey } = await import('../../inventory/cycle-count.js');
    expect(isoWeekKey('2026-11-25')).toBe('2026-W48');
    expect(isoWeekKey('2027-01-01')).toBe('2026-W53'); // a Friday: its Thursday is in 2026
    expect(isoWeekKey('2026-01-01')).toBe('2026-W01');
    expect(isoWeekKey('2024-12-30')).toBe('2025-W01');
  });
});
