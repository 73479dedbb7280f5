import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { createItem } from '../../db/queries/items.js';
import { availability, receive } from '../../db/queries/ledger.js';
import { ensureLocation } from '../../db/queries/locations.js';
import { getRequisition, listApprovalDecisions } from '../../db/queries/requisitions.js';
import { loadConfig } from '../../runtime/config.js';
import { freePort } from '../../runtime/embedded-postgres.js';
import { createLogger } from '../../runtime/logger.js';
import { startStockroom, type Stockroom } from '../../runtime/start.js';
import { issueMoves, requisitionCount } from '../helpers/bot.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { launchChromium, sandboxPage, type SandboxPage } from '../helpers/sandbox-page.js';
import { eventually } from '../helpers/eventually.js';
import { removeDataDir } from '../../runtime/postgres-home.js';

/**
 * The everyday flow in a real browser (Debian's Chromium) on the sandbox page of the whole app, started as
 * `npm start` starts it without Slack credentials: the run's Temporal in a namespace of its own, a test
 * database, the sandbox mounted at /sandbox and its people seeded by start-up (sandbox/seed.ts), not by this
 * file. Screenshots of each step go to test-artefacts/sandbox-flow/ (ignored by git).
 */

const SHOTS = path.resolve('test-artefacts/sandbox-flow');
const ADA = 'U0REQ00001'; // requester
const BEN = 'U0APR00500'; // approver up to 500, designated for every cost center
const DMITRI = 'U0WHS00001'; // warehouse
/** What a newcomer gets without a settings file: auto-approved below 250, a manager up to 5,000. */
const SETTINGS = { approvals: { autoApproveBelow: '250', levels: [{ name: 'Manager', upTo: '5000' }, { name: 'Director' }] } };

let database: TestDatabase;
let stockroom: Stockroom;
let dataDir: string;
let browser: Browser;
let page: Page;
let ui: SandboxPage;
let base: string;

const inTwoWeeks = () => new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);

/** Only the catalogue: roles and cost centers are the sandbox's own seeding. */
async function seedCatalogue(t: TestDatabase): Promise<void> {
  for (const p of ['Main/A/1', 'Main/A/2']) await ensureLocation(t.db, { path: p });
  await createItem(t.db, { sku: 'PAPER', name: 'Copy paper A4, ream', uom: 'ea', standardCost: '10' });
  await createItem(t.db, { sku: 'PEN', name: 'Ballpoint pen, blue', uom: 'ea', standardCost: '2' });
  const stock: [string, string, string, string][] = [
    ['PAPER', 'Main/A/1', '30', '10'],
    ['PAPER', 'Main/A/2', '50', '10'],
    ['PEN', 'Main/A/1', '100', '2'],
  ];
  for (const [sku, location, quantity, unitCost] of stock) {
    await receive(t.db, { key: `seed-${sku}-${location}`, sku, location, quantity, unitCost, document: { type: 'demo', id: 'seed' }, actor: 'test' });
  }
}

async function workflowCount(): Promise<number> {
  return (await stockroom.temporal.client.workflow.count()).count;
}

/** Visibility is written shortly after a start: polls until it has counted at least `n` workflows. */
function workflowsVisible(n: number): Promise<number> {
  return eventually(workflowCount, (seen) => seen >= n, `${n} workflow(s) in visibility`, 10_000);
}

beforeAll(async () => {
  database = await createTestDatabase();
  await seedCatalogue(database);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stockroom-sandbox-flow-'));
  // The run's prebuilt workflow bundle, where startStockroom looks for it, so this file does not rebuild it.
  const bundle = inject('workflowBundle');
  fs.mkdirSync(path.join(dataDir, 'cache'), { recursive: true });
  fs.copyFileSync(bundle, path.join(dataDir, 'cache', path.basename(bundle)));
  const settingsFile = path.join(dataDir, 'stockroom.config.json');
  fs.writeFileSync(settingsFile, JSON.stringify(SETTINGS));
  const previous = process.env.STOCKROOM_CONFIG;
  process.env.STOCKROOM_CONFIG = settingsFile;
  try {
    const config = loadConfig({
      STOCKROOM_DATA_DIR: dataDir,
      DATABASE_URL: database.url,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: `sandbox-flow-${crypto.randomBytes(4).toString('hex')}`,
      PORT: String(await freePort()),
      LOG_LEVEL: 'silent',
    });
    stockroom = await startStockroom(config, createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'));
  } finally {
    if (previous === undefined) delete process.env.STOCKROOM_CONFIG;
    else process.env.STOCKROOM_CONFIG = previous;
  }
  expect(stockroom.sandbox).toBeDefined();
  base = `http://127.0.0.1:${stockroom.port}`;
  fs.rmSync(SHOTS, { recursive: true, force: true }); // only this run's steps
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  ui = sandboxPage(page, { shots: SHOTS });
});
afterAll(async () => {
  await browser?.close();
  await stockroom?.stop();
  await database?.drop();
  if (dataDir) removeDataDir(dataDir);
});

describe('in the browser: request → approve from the DM → confirm the pick → ready, and the ledger', () => {
  test(
    'a two-line requisition from the modal is approved, picked and issued',
    async () => {
      await ui.open(base, ADA);
      await ui.shot('requester-first-visit');

      const modal = await ui.fillRequest({
        lines: [
          { search: 'paper', option: 'PAPER · Copy paper A4, ream', quantity: '20', neededBy: inTwoWeeks() },
          { search: 'pen', option: 'PEN · Ballpoint pen, blue', quantity: '30' },
        ],
        reason: 'Quarterly printing',
        costCenter: 'OPS',
      });
      // The type-ahead put the picked item in the field; the second line has its own fields.
      expect(await modal.locator('.block-input[data-block-id="request_line_1_item"] input').inputValue()).toBe('PEN · Ballpoint pen, blue');
      await ui.shot('request-modal-two-lines');
      const number = await ui.submitRequest(modal);
      // 20 × 10 + 30 × 2 = 260: above auto-approval, so Ben (limit 500, designated for OPS) is asked.
      const card = ui.card(number);
      await card.getByText(`Waiting for @Ben Okafor to approve level 1 (Manager).`).waitFor();
      expect(await card.textContent()).toContain('260.00');
      await ui.shot('requester-card-awaiting-approval');

      await ui.switchTo(BEN);
      const dm = ui.message(number, 'Approve');
      await dm.waitFor();
      expect(await dm.textContent()).toMatch(/PAPER[\s\S]*PEN/);
      await ui.shot('approver-dm');
      await ui.approve(number);
      // The DM is updated in place: the decision instead of the buttons.
      await ui.message(number).filter({ hasText: 'approved by @Ben Okafor' }).locator('.edited').waitFor();
      expect(await ui.message(number).getByRole('button', { name: 'Approve' }).count()).toBe(0);
      await ui.shot('approver-approved');

      await ui.switchTo(DMITRI);
      await ui.openChannel('C0WAREHOUS');
      await ui.message(`Pick ${number}`, 'Confirm pick').waitFor();
      await ui.shot('warehouse-pick-task');
      const pick = await ui.openPick(number);
      // Quantities default to what was reserved.
      expect(await pick.locator('.block-input[data-block-id^="pick_line_"] input').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value))).toEqual(['20', '30']);
      await ui.shot('warehouse-pick-modal');
      await ui.confirmPick(pick);
      // The pick task is closed in place (no button left).
      await page.locator('#conversation .message', { hasText: `Pick ${number}` }).filter({ hasNot: page.getByRole('button', { name: 'Confirm pick' }) }).waitFor();
      await ui.shot('warehouse-picked');

      await ui.switchTo(ADA);
      await ui.openDm();
      await ui.card(number).locator('.block-header', { hasText: `${number} · Issued: ready for collection` }).waitFor();
      const thread = await ui.openThread(number);
      const ready = thread.locator('.message', { hasText: `${number} is ready for collection` });
      await ready.waitFor();
      expect(await ready.locator('.text').last().innerHTML()).toContain('20 ea <b>PAPER</b>, 30 ea <b>PEN</b>');
      await ui.shot('requester-ready');

      // Ben's DM follows the requisition: it reads Issued now, not the status it had when he clicked.
      await ui.switchTo(BEN);
      await ui.openDm();
      const decided = ui.message(number).filter({ hasText: 'Status:' });
      await decided.filter({ hasText: 'Status: Issued: ready for collection' }).waitFor();
      expect(await decided.textContent()).not.toContain('Awaiting approval');
      await ui.shot('approver-dm-follows-the-requisition');

      // The ledger: one issue per line, for what was picked, from the bins that held the stock.
      expect(await issueMoves(database.db, number)).toEqual([
        { sku: 'PAPER', moves: expect.any(Number), quantity: '20' },
        { sku: 'PEN', moves: 1, quantity: '30' },
      ]);
      expect((await getRequisition(database.db, number))!.status).toBe('issued');
      expect(await availability(database.db, { sku: 'PAPER' })).toMatchObject({ onHand: '60', reserved: '0' });
      expect(await availability(database.db, { sku: 'PEN' })).toMatchObject({ onHand: '70', reserved: '0' });
    },
    180_000,
  );
});

describe('in the browser: reject with a reason', () => {
  test(
    "the approver's reason reaches the requester; the DM and the card show the decision",
    async () => {
      await ui.switchTo(ADA);
      await ui.openDm();
      const modal = await ui.fillRequest({
        lines: [{ search: 'PAPER', option: 'PAPER · Copy paper A4, ream', quantity: '30' }],
        reason: 'Printing the annual report',
        costCenter: 'OPS',
      });
      const number = await ui.submitRequest(modal);

      await ui.switchTo(BEN);
      await ui.message(number, 'Reject').waitFor();
      await ui.reject(number, 'Over budget this quarter');
      await ui.message(number).filter({ hasText: 'Rejected by @Ben Okafor' }).filter({ hasText: 'Over budget this quarter' }).waitFor();
      await ui.shot('approver-rejected');

      await ui.switchTo(ADA);
      await ui.card(number).locator('.block-header', { hasText: `${number} · Rejected` }).waitFor();
      // The card itself says who rejected it and why (before, only the thread did).
      await ui.card(number).filter({ hasText: /Rejected at level 1 by @Ben Okafor · Today at \d/ }).filter({ hasText: 'Over budget this quarter' }).waitFor();
      const thread = await ui.openThread(number);
      await thread.locator('.message', { hasText: `${number} was rejected by @Ben Okafor: Over budget this quarter` }).waitFor();
      await ui.shot('requester-sees-rejection');

      expect(await listApprovalDecisions(database.db, number)).toMatchObject([
        { level: 1, approver: BEN, decision: 'rejected', reason: 'Over budget this quarter' },
      ]);
      expect((await getRequisition(database.db, number))!.status).toBe('rejected');
      expect(await issueMoves(database.db, number)).toEqual([]);
    },
    120_000,
  );
});

describe('in the browser: a field error starts nothing', () => {
  test('quantity -3 is shown under the quantity field; no requisition is recorded and no workflow started', async () => {
    await ui.switchTo(ADA);
    await ui.openDm();
    const requisitionsBefore = await requisitionCount(database.db);
    const workflowsBefore = await workflowsVisible(requisitionsBefore);
    expect(workflowsBefore).toBe(requisitionsBefore); // one workflow per requisition so far

    const modal = await ui.fillRequest({
      lines: [{ search: 'pen', option: 'PEN · Ballpoint pen, blue', quantity: '-3' }],
      reason: 'Pens for the new starters',
      costCenter: 'OPS',
    });
    await modal.getByRole('button', { name: 'Submit' }).click();
    const error = modal.locator('.block-input[data-block-id="request_line_0_quantity"] .field-error');
    await error.waitFor();
    expect(await error.textContent()).toBe('Enter a quantity above zero.');
    expect(await modal.locator('.field-error').count()).toBe(1);
    await ui.shot('request-modal-field-error');

    // The error came back inside the ack: nothing was recorded, so nothing could be started.
    expect(await requisitionCount(database.db)).toBe(requisitionsBefore);
    expect(await workflowCount()).toBe(workflowsBefore);
    await modal.getByRole('button', { name: 'Cancel' }).click();
    await modal.waitFor({ state: 'detached' });
    expect(await requisitionCount(database.db)).toBe(requisitionsBefore);
  });
});
