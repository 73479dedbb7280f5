import { expect, test } from 'vitest';
import { mergeAllocations, takeFromAllocations } from '../../inventory/allocations.js';

test('merging reservations adds per bin (paths in any case), keeps the order, drops empty bins', () => {
  const held = [
    { location: 'Main/A/1', quantity: '3' },
    { location: 'Main/A/2', quantity: '0' },
  ];
  expect(mergeAllocations(held, [{ location: 'main/a/1', quantity: '2.5' }, { location: 'Annex/S', quantity: '4' }])).toEqual([
    { location: 'Main/A/1', quantity: '5.5' },
    { location: 'Annex/S', quantity: '4' },
  ]);
  expect(held[0]).toEqual({ location: 'Main/A/1', quantity: '3' }); // the input is left as it was
});

test('a pick takes from the bins in the order listed, never more than they hold', () => {
  const bins = [
    { location: 'Main/A/1', quantity: '3' },
    { location: 'Main/A/2', quantity: '5' },
  ];
  expect(takeFromAllocations(bins, '4')).toEqual([
    { location: 'Main/A/1', quantity: '3' },
    { location: 'Main/A/2', quantity: '1' },
  ]);
  expect(takeFromAllocations(bins, '0')).toEqual([]);
  expect(takeFromAllocations(bins, '20')).toEqual(bins);
});
