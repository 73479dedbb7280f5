/**
 * The README's "Try it without Slack" walkthrough, driven in Debian's Chromium against a running `npm start`
 * (sandbox mode, demo loaded at start-up): Ada requests toner and paper, Ben approves from his DM, Dmitri
 * confirms the pick in #warehouse, Ada sees it ready and asks /stock. Used by bench/newcomer.sh to time a newcomer's path;
 * waits only on what the page shows. Prints one JSON line with each step's seconds.
 *
 *   node --import tsx bench/newcomer-flow.ts http://127.0.0.1:3000 [screenshot-folder]
 *
 * With DOCS_SHOT=docs/sandbox.png it also takes the README's picture: Ben's approval DM, 960 × 370.
 */
import { performance } from 'node:perf_hooks';
import { launchChromium, sandboxPage } from '../test/helpers/sandbox-page.js';

const ADA = 'U0REQ00001';
const BEN = 'U0APR00500';
const DMITRI = 'U0WHS00001';

async function main(): Promise<void> {
  const base = (process.argv[2] ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
  const shots = process.argv[3];
  const browser = await launchChromium();
  const steps: Record<string, number> = {};
  let last = performance.now();
  const done = (step: string) => {
    const now = performance.now();
    steps[step] = Number(((now - last) / 1000).toFixed(2));
    last = now;
  };
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(60_000);
    const ui = sandboxPage(page, shots ? { shots } : {});
    await ui.open(base, ADA);
    done('open');

    // 3 × 89 + 10 × 4.20, about 310: above the default auto-approval (250), within Ben's limit (500).
    const modal = await ui.fillRequest({
      lines: [
        { search: 'HP 26A', option: 'TON-HP26A · Toner HP 26A black', quantity: '3' },
        { search: 'copy paper', option: 'PAP-A4-80 · Copy paper A4 80 g/m², ream of 500', quantity: '10' },
      ],
      reason: 'Printer room restock',
      costCenter: 'OFFICE',
    });
    await ui.shot('request');
    const number = await ui.submitRequest(modal);
    done('request');

    await ui.switchTo(BEN);
    await ui.message(number, 'Approve').waitFor();
    await ui.shot('approver-dm');
    if (process.env.DOCS_SHOT) await page.screenshot({ path: process.env.DOCS_SHOT, clip: { x: 0, y: 0, width: 960, height: 370 } });
    await ui.approve(number);
    done('approve');

    await ui.switchTo(DMITRI);
    await ui.openChannel('C0WAREHOUS');
    const pick = await ui.openPick(number);
    await ui.shot('pick');
    await ui.confirmPick(pick);
    done('pick');

    await ui.switchTo(ADA);
    await ui.openDm();
    await ui.card(number).locator('.block-header', { hasText: `${number} · Issued: ready for collection` }).waitFor();
    const thread = await ui.openThread(number);
    await thread.locator('.message', { hasText: `${number} is ready for collection` }).waitFor();
    await ui.shot('ready');
    done('ready');

    // What is left, only to Ada (an ephemeral reply).
    await ui.command('/stock TON-HP26A');
    await page.locator('#conversation .message.ephemeral', { hasText: 'TON-HP26A' }).waitFor();
    await ui.shot('stock');
    done('stock');
    const total = Object.values(steps).reduce((a, b) => a + b, 0);
    console.log(JSON.stringify({ number, steps, total: Number(total.toFixed(2)) }));
  } finally {
    await browser.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
