import { afterAll, beforeAll, expect, test } from 'vitest';
import { renderCounting } from '../../cli/counting.js';
import { CommandError } from '../../cli/database.js';
import { DEFAULT_COUNTING_SETTINGS, getCountingSettings } from '../../db/queries/counting.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

// `stockroom counting [set key=value …]`: the settings an admin used to change in SQL.
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

test('shows every setting with its key; sets several at once and they are what planning reads', async () => {
  const shown = await renderCounting(database.db, []);
  expect(shown).toMatch(/frequency-a\s+1 month\s/);
  expect(shown).toMatch(/cutoff-b\s+0\.95 \(95\.0 %\)/);
  expect(shown).toMatch(/working-days\s+12345 \(Mon Tue Wed Thu Fri\)/);

  const saved = await renderCounting(database.db, ['set', 'frequency-a=2', 'tolerance-value-b=25.5', 'cutoff-a=75%', 'working-days=123456', 'time-zone=Europe/Berlin']);
  expect(saved).toMatch(/^Saved\./);
  expect(await getCountingSettings(database.db)).toMatchObject({
    frequency: { ...DEFAULT_COUNTING_SETTINGS.frequency, A: 2 },
    tolerances: { B: { quantity: '2', value: '25.5' } },
    cutoffs: { a: '0.75', b: '0.95' },
    calendar: { workingWeekdays: [1, 2, 3, 4, 5, 6] },
    timeZone: 'Europe/Berlin',
  });
});

test('bad pairs are each named and nothing is written', async () => {
  const before = await getCountingSettings(database.db);
  const refused = await renderCounting(database.db, ['set', 'frequency-b=13', 'max-lines=ten', 'colour=blue', 'time-zone=Mars/Olympus', 'cutoff-a=0.99', 'tolerance-quantity-c=-1', 'dead-stock-days=']).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(refused).toBeInstanceOf(CommandError);
  const message = (refused as CommandError).message;
  expect(message.split('\n')).toEqual([
    'Nothing was changed:',
    '  frequency-b=13: expected a whole number from 1 to 12.',
    '  max-lines=ten: expected a whole number from 1 to 90.',
    '  colour: no such setting (see `stockroom counting` for the keys).',
    '  time-zone=Mars/Olympus: expected an IANA time zone such as Europe/Berlin or America/New_York.',
    '  tolerance-quantity-c=-1: expected a number of 0 or more, at most 4 decimals.',
    '  dead-stock-days=: expected a value after =.',
    '  cutoff-a (0.99) must be below cutoff-b (0.95).',
  ]);
  expect(await getCountingSettings(database.db)).toEqual(before);
  await expect(renderCounting(database.db, ['change', 'x=1'])).rejects.toThrow(CommandError);
});
