import { describe, expect, test } from 'vitest';
import { stockAlertMessage } from '../../bot/blocks/stock-alert.js';
import { demandLine, stockMessage } from '../../bot/blocks/stock.js';
import type { RestockFigures } from '../../workflows/restock-messages.js';

const figures: RestockFigures = {
  sku: 'PEN',
  name: 'Pen',
  uom: 'ea',
  status: 'low',
  onHand: '35',
  reserved: '5',
  available: '30',
  reorderPoint: '40',
  safetyStock: '12',
  onOrder: '0',
  openPurchaseOrders: [],
  averageDaily: '5',
  daysOfCover: '6',
  leadTimeDays: '7',
  leadTimeSource: 'manual',
  suggestedQuantity: '120',
};
const body = (blocks: unknown[]) => JSON.stringify(blocks);

describe('expected demand over the lead time in Slack', () => {
  test('stock alert from a forecast: the demand over the lead time with its model, days of cover at the forecast rate', () => {
    const message = stockAlertMessage({ ...figures, leadTimeDemand: '28.0417', demandSource: 'forecast', forecastModel: 'hw_additive', daysOfCover: '7.4' }, 'open');
    const text = body(message.blocks);
    expect(text).toContain('*Demand over lead time*\\n28 ea expected (forecast: Holt–Winters, additive season, damped trend)');
    expect(text).toContain('*Days of cover*\\n7.4 days at the forecast rate');
    const fields = (message.blocks[1] as { fields: unknown[] }).fields;
    expect(fields.length).toBeLessThanOrEqual(10); // Slack's limit for a section's fields
  });

  test('stock alert from the average method, and one from before forecasts (no such field)', () => {
    expect(body(stockAlertMessage({ ...figures, leadTimeDemand: '35', demandSource: 'average' }, 'open').blocks)).toContain(
      '*Demand over lead time*\\n35 ea expected (average of recent days)',
    );
    const old = body(stockAlertMessage(figures, 'open').blocks);
    expect(old).not.toContain('Demand over lead time');
    expect(old).toContain('6 days at 5/day');
  });

  test('/stock shows the expected demand and days of cover under the totals', () => {
    const stock = { sku: 'PEN', onHand: '35', reserved: '5', available: '30', locations: [{ location: 'Main/A/1', onHand: '35', reserved: '5', available: '30' }] };
    const message = stockMessage({ sku: 'PEN', name: 'Pen', uom: 'ea' }, stock as never, {
      leadTimeDays: '14',
      leadTimeDemand: '56.6257',
      daysOfCover: '7.4',
      source: 'forecast',
      model: 'tsb',
    });
    expect(message.blocks[1]).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: 'Over the 14-day lead time: 56.6 ea expected (forecast: Teunter–Syntetos–Babai (TSB)) · 7.4 days of cover' }],
    });
    expect(demandLine({ leadTimeDays: '7', leadTimeDemand: '0', source: 'average' }, 'kg')).toBe(
      'Over the 7-day lead time: 0 kg expected (average of recent days) · no recent demand',
    );
    // Without a policy: no such line.
    expect(stockMessage({ sku: 'PEN', name: 'Pen', uom: 'ea' }, stock as never).blocks.map((b) => b.type)).toEqual(['section', 'section']);
  });
});

describe('digest forecast line', () => {
  test('MASE and bias per ABC class with forecasts, and how many set reorder points; a plain sentence without forecasts', async () => {
    const { forecastAccuracyLine } = await import('../../bot/blocks/digest.js');
    expect(
      forecastAccuracyLine({
        byClass: [
          { abcClass: 'A', items: 3, mase: '0.72', bias: '0.031', used: 2 },
          { abcClass: 'B', items: 0, mase: null, bias: null, used: 0 },
          { abcClass: 'C', items: 1, mase: '1.1', bias: '-0.2', used: 0 },
        ],
        topA: [],
      }),
    ).toBe(':crystal_ball: *Forecast accuracy* (backtest): A MASE 0.72, bias +3.1 % (3 items) · C MASE 1.10, bias -20.0 % (1 item). 2 of 4 forecasts set their reorder point.');
    expect(forecastAccuracyLine(undefined)).toBe(':crystal_ball: *Forecast accuracy*: no demand forecasts yet (refitted every Sunday).');
  });
});
