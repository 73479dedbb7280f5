import { dateInTimeZone, isoWeekday, isoWeekKey } from './cycle-count.js';

/**
 * When a manager's weekly digest is due: Monday 08:00–08:59 on their own wall clock. The digest
 * Schedule fires hourly, so exactly one run a week falls in that hour for every time zone (whole,
 * half or quarter hour offsets alike); the ISO week in their zone keys the DM, so it goes once.
 */

export const DIGEST_WEEKDAY = 1; // ISO Monday
export const DIGEST_HOUR = 8;

/** A usable IANA zone name, or undefined (Slack may send none, or one this Node does not know). */
export function validTimeZone(timeZone: string | null | undefined): string | undefined {
  if (!timeZone) return undefined;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return timeZone;
  } catch {
    return undefined;
  }
}

/** The manager's zone when known and valid, else the stockroom's. */
export function managerTimeZone(personZone: string | null | undefined, stockroomZone: string): string {
  return validTimeZone(personZone) ?? stockroomZone;
}

function hourIn(at: Date, timeZone: string): number {
  const hour = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', hour: '2-digit' })
    .formatToParts(at)
    .find((p) => p.type === 'hour')!.value;
  return Number(hour);
}

/** The ISO week whose digest is due at `at` in `timeZone`, or undefined when it is not Monday 08:xx there. */
export function digestWeekDue(at: Date, timeZone: string): string | undefined {
  const today = dateInTimeZone(at, timeZone);
  if (isoWeekday(today) !== DIGEST_WEEKDAY || hourIn(at, timeZone) !== DIGEST_HOUR) return undefined;
  return isoWeekKey(today);
}
