import type { Database } from '../db/client.js';
import { getCountingSettings, saveCountingSettings, type CountingSettings } from '../db/queries/counting.js';
import { formatShare } from '../inventory/abc.js';
import { dec, parseDecimal } from '../inventory/decimal.js';
import { CommandError, withCommandDatabase } from './database.js';
import { renderTable } from './text-table.js';

/**
 * `stockroom counting` shows the cycle-counting settings; `stockroom counting set key=value …` changes
 * them, all or nothing: every bad pair is named and nothing is written unless all are good.
 */

const CLASSES = ['a', 'b', 'c'] as const;
const WEEKDAYS = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

type Parsed<T> = { value: T } | { problem: string };

const wholeNumber = (min: number, max: number) => (text: string): Parsed<number> =>
  /^\d+$/.test(text) && Number(text) >= min && Number(text) <= max ? { value: Number(text) } : { problem: `a whole number from ${min} to ${max}` };
const amount = (text: string): Parsed<string> => {
  const d = parseDecimal(text);
  return d && !d.isNegative() && d.decimalPlaces() <= 4 ? { value: d.toFixed() } : { problem: 'a number of 0 or more, at most 4 decimals' };
};
const share = (text: string): Parsed<string> => {
  const d = text.endsWith('%') ? parseDecimal(text.slice(0, -1).trim())?.dividedBy(100) : parseDecimal(text);
  return d && d.gt(0) && d.lte(1) ? { value: d.toFixed() } : { problem: 'a share above 0 and at most 1 (0.8 or 80%)' };
};
const weekdays = (text: string): Parsed<number[]> =>
  /^[1-7]{1,7}$/.test(text) && new Set(text).size === text.length
    ? { value: [...text].map(Number).sort() }
    : { problem: 'weekday digits 1-7, each once, e.g. 12345' };
const timeZone = (text: string): Parsed<string> => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: text });
    return { value: text };
  } catch {
    return { problem: 'an IANA time zone such as Europe/Berlin or America/New_York' };
  }
};

interface Key {
  takes: string;
  /** Sets the value on the settings, or says what was expected. */
  apply: (s: CountingSettings, text: string) => string | undefined;
}
const key = <T>(takes: string, parse: (text: string) => Parsed<T>, set: (s: CountingSettings, value: T) => void): Key => ({
  takes,
  apply: (s, text) => {
    const parsed = parse(text);
    if ('problem' in parsed) return parsed.problem;
    set(s, parsed.value);
    return undefined;
  },
});

const KEYS: Record<string, Key> = {
  ...Object.fromEntries(
    CLASSES.flatMap((c) => {
      const k = c.toUpperCase() as 'A' | 'B' | 'C';
      return [
        [`frequency-${c}`, key(`months between counts of class ${k} items (1-12)`, wholeNumber(1, 12), (s, n) => void (s.frequency[k] = n))],
        [`tolerance-quantity-${c}`, key(`class ${k}: a variance up to this quantity posts by itself`, amount, (s, q) => void (s.tolerances[k] = { ...s.tolerances[k], quantity: q }))],
        [`tolerance-value-${c}`, key(`class ${k}: ... and up to this value`, amount, (s, v) => void (s.tolerances[k] = { ...s.tolerances[k], value: v }))],
      ];
    }),
  ),
  'cutoff-a': key('ABC: the share of consumption value class A holds (0.8 or 80%)', share, (s, a) => void (s.cutoffs = { ...s.cutoffs, a })),
  'cutoff-b': key('ABC: the share A and B hold together (0.95 or 95%)', share, (s, b) => void (s.cutoffs = { ...s.cutoffs, b })),
  'max-lines': key('the most lines on one count document (1-90)', wholeNumber(1, 90), (s, n) => void (s.maxLinesPerCount = n)),
  'dead-stock-days': key('days without an issue before stock on hand counts as dead (1-3650)', wholeNumber(1, 3650), (s, n) => void (s.deadStockDays = n)),
  'working-days': key('ISO weekdays counted on, 1 = Monday (12345 = Monday to Friday)', weekdays, (s, days) => void (s.calendar = { ...s.calendar, workingWeekdays: days })),
  'time-zone': key('the stockroom time zone (IANA); schedules follow at the next start', timeZone, (s, zone) => void (s.timeZone = zone)),
};

/** Applies `key=value` pairs to a copy of the settings: the new settings, or every problem. */
export function applyCountingSettings(current: CountingSettings, pairs: string[]): { settings: CountingSettings; problems: string[] } {
  const settings: CountingSettings = structuredClone(current);
  const problems: string[] = [];
  if (pairs.length === 0) problems.push('Nothing to set: give key=value pairs, e.g. frequency-a=2.');
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    const key = (at < 0 ? pair : pair.slice(0, at)).trim().toLowerCase();
    const value = at < 0 ? '' : pair.slice(at + 1).trim();
    const spec = KEYS[key];
    if (!spec) {
      problems.push(`${key || pair}: no such setting (see \`stockroom counting\` for the keys).`);
      continue;
    }
    const problem = at < 0 || value === '' ? 'a value after =' : spec.apply(settings, value);
    if (problem) problems.push(`${key}=${value}: expected ${problem}.`);
  }
  if (dec(settings.cutoffs.a).gte(settings.cutoffs.b)) problems.push(`cutoff-a (${settings.cutoffs.a}) must be below cutoff-b (${settings.cutoffs.b}).`);
  return { settings, problems };
}

/** The settings as a table of key, value and meaning: the keys are what `set` takes. */
export function countingSettingsText(s: CountingSettings): string {
  const value: Record<string, string> = {
    'cutoff-a': `${s.cutoffs.a} (${formatShare(s.cutoffs.a)})`,
    'cutoff-b': `${s.cutoffs.b} (${formatShare(s.cutoffs.b)})`,
    'max-lines': String(s.maxLinesPerCount),
    'dead-stock-days': String(s.deadStockDays),
    'working-days': `${s.calendar.workingWeekdays.join('')} (${s.calendar.workingWeekdays.map((d) => WEEKDAYS[d]).join(' ')})`,
    'time-zone': s.timeZone,
  };
  for (const c of CLASSES) {
    const k = c.toUpperCase() as 'A' | 'B' | 'C';
    value[`frequency-${c}`] = `${s.frequency[k]} month${s.frequency[k] === 1 ? '' : 's'}`;
    value[`tolerance-quantity-${c}`] = s.tolerances[k].quantity ?? 'none';
    value[`tolerance-value-${c}`] = s.tolerances[k].value ?? 'none';
  }
  return [
    'Cycle-counting settings (change with `stockroom counting set key=value …`):',
    '',
    renderTable([{ header: 'Key' }, { header: 'Value' }, { header: 'Meaning', max: 70 }], Object.entries(KEYS).map(([key, spec]) => [key, value[key]!, spec.takes])),
  ].join('\n');
}

export async function renderCounting(db: Database, args: string[]): Promise<string> {
  const [verb, ...pairs] = args;
  const current = await getCountingSettings(db);
  if (verb === undefined || verb === 'show') return countingSettingsText(current);
  if (verb !== 'set') throw new CommandError(`"${verb}": use \`stockroom counting\` to show the settings or \`stockroom counting set key=value …\`.`);
  const { settings, problems } = applyCountingSettings(current, pairs);
  if (problems.length) throw new CommandError(`Nothing was changed:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  await saveCountingSettings(db, settings);
  return `Saved.\n\n${countingSettingsText(await getCountingSettings(db))}`;
}

/** `stockroom counting [show | set key=value …]` */
export async function countingCommand(args: string[], opts: { databaseUrl?: string } = {}): Promise<string> {
  const text = await withCommandDatabase(opts.databaseUrl, (db) => renderCounting(db, args));
  console.log(text);
  return text;
}
