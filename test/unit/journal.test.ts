import { describe, expect, test } from 'vitest';
import { csvText, entryFromGroups, fromUnits, monthBounds, toUnits, UnbalancedEntryError, assertBalanced, type AccountMap } from '../../inventory/journal.js';
import { DEFAULT_SETTINGS } from '../../runtime/settings.js';

const map: AccountMap = { ...DEFAULT_SETTINGS.accounting, inventoryByWarehouse: { Main: '1300' }, inventoryByCategory: { Tools: '1320' } };

describe('journal arithmetic and text', () => {
  test('amounts as exact ten-thousandths, back to plain text', () => {
    for (const [text, plain] of [['15.0000', '15'], ['-17.5000', '-17.5'], ['0.0001', '0.0001'], ['-0.25', '-0.25'], ['123456789012345.6789', '123456789012345.6789'], ['0', '0']]) {
      expect(fromUnits(toUnits(text!))).toBe(plain);
    }
    expect(() => toUnits('1.23456')).toThrow(RangeError);
    expect(() => toUnits('abc')).toThrow(RangeError);
  });

  test('a warehouse account comes before a category account, which comes before the default', () => {
    const group = { day: '2026-10-02', kind: 'receipt' as const, documentType: 'import', documentId: 'X', costCenter: null, moves: 1, firstMoveId: '7', lastMoveId: '7' };
    const lines = (warehouse: string, category: string | null) =>
      entryFromGroups(map, [{ ...group, warehouse, category, value: '10.0000' }])!.lines.map((l) => l.account);
    expect(lines('Main', 'Tools')).toEqual(['1300', '3900']);
    expect(lines('Annex', 'Tools')).toEqual(['1320', '3900']);
    expect(lines('Annex', null)).toEqual(['1300', '3900']);
  });

  test('CSV quotes what needs quoting; an unbalanced entry is refused', () => {
    const entry = entryFromGroups(map, [
      { day: '2026-10-02', kind: 'issue', documentType: 'requisition', documentId: 'REQ-1, "rush"', warehouse: 'Main', category: null, costCenter: null, value: '-2.5000', moves: 2, firstMoveId: '3', lastMoveId: '9' },
    ])!;
    expect(csvText(entry)).toBe(
      'SR-M3,2026-10-02,requisition,"REQ-1, ""rush""","Stock issued: requisition REQ-1, ""rush""",1,5000,2.5,0,2,3,9\n' +
        'SR-M3,2026-10-02,requisition,"REQ-1, ""rush""","Stock issued: requisition REQ-1, ""rush""",2,1300,0,2.5,2,3,9\n',
    );
    expect(() => assertBalanced({ ...entry, lines: [entry.lines[0]!] })).toThrow(UnbalancedEntryError);
  });

  test('months in a time zone', () => {
    expect(monthBounds('2026-12', 'UTC')).toEqual({ starts: new Date('2026-12-01T00:00:00Z'), ends: new Date('2027-01-01T00:00:00Z') });
    expect(monthBounds('2026-10', 'Europe/Berlin').starts.toISOString()).toBe('2026-09-30T22:00:00.000Z');
    expect(() => monthBounds('2026-13', 'UTC')).toThrow('is not a month');
  });
});
