import { expect, test } from 'vitest';
import { digestWeekDue, managerTimeZone, validTimeZone } from '../../inventory/digest-time.js';

const due = (iso: string, zone: string) => digestWeekDue(new Date(iso), zone);

test('the digest is due in the hour from Monday 08:00 on the manager’s own wall clock', () => {
  // Monday 2026-11-30 08:00 in Tokyo is still Sunday in UTC, yet the week is Tokyo's: W49.
  expect(due('2026-11-29T23:00:00Z', 'Asia/Tokyo')).toBe('2026-W49');
  expect(due('2026-11-29T23:59:59Z', 'Asia/Tokyo')).toBe('2026-W49');
  expect(due('2026-11-29T22:59:59Z', 'Asia/Tokyo')).toBeUndefined();
  expect(due('2026-11-30T00:00:00Z', 'Asia/Tokyo')).toBeUndefined();
  // New York: 08:00 EST is 13:00 UTC in November, 12:00 UTC under daylight saving in June.
  expect(due('2026-11-30T13:00:00Z', 'America/New_York')).toBe('2026-W49');
  expect(due('2026-11-30T08:00:00Z', 'America/New_York')).toBeUndefined();
  expect(due('2026-06-01T12:00:00Z', 'America/New_York')).toBe('2026-W23');
  expect(due('2026-06-01T13:00:00Z', 'America/New_York')).toBeUndefined();
  // A half-hour zone: the hourly run on the UTC hour lands at 08:30 in Kolkata.
  expect(due('2026-11-30T03:00:00Z', 'Asia/Kolkata')).toBe('2026-W49');
  // Another weekday at 08:00 is not digest time.
  expect(due('2026-12-01T08:00:00Z', 'UTC')).toBeUndefined();
});

test('exactly one hourly run a week is digest time, in zones from UTC+14 to UTC-11', () => {
  for (const zone of ['Asia/Tokyo', 'America/New_York', 'Asia/Kolkata', 'Pacific/Kiritimati', 'Pacific/Pago_Pago']) {
    const hits: string[] = [];
    for (let hour = 0; hour < 24 * 14; hour++) {
      const week = digestWeekDue(new Date(Date.UTC(2026, 10, 22, hour)), zone);
      if (week) hits.push(week);
    }
    // Sunday 22 Nov 00:00 UTC to Sunday 6 Dec: the Mondays 23 and 30 Nov, from UTC+14 to UTC-11.
    expect(hits, zone).toEqual(['2026-W48', '2026-W49']);
  }
});

test('an unknown or missing time zone falls back to the stockroom’s', () => {
  expect(validTimeZone('Mars/Olympus_Mons')).toBeUndefined();
  expect(validTimeZone('')).toBeUndefined();
  expect(validTimeZone(null)).toBeUndefined();
  expect(managerTimeZone('Mars/Olympus_Mons', 'Europe/Berlin')).toBe('Europe/Berlin');
  expect(managerTimeZone(null, 'Europe/Berlin')).toBe('Europe/Berlin');
  expect(managerTimeZone('Asia/Tokyo', 'Europe/Berlin')).toBe('Asia/Tokyo');
});
