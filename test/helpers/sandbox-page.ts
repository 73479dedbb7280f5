import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

/**
 * A person's steps on the sandbox page (sandbox/page/), for the browser tests and the newcomer timing script.
 * Every wait is on what the page shows (Playwright's auto-waiting locators), never on time.
 */

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, headless; flags keep it from reaching the network on its own. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface RequestLine {
  /** What the person types in the item field. */
  search: string;
  /** The option they pick, as the type-ahead shows it ("SKU · name"). */
  option: string;
  quantity: string;
  neededBy?: string;
}

export interface RequestForm {
  lines: RequestLine[];
  reason: string;
  costCenter: string;
}

/** An input block of the request modal (its element carries the same data-block-id, hence the class). */
const block = (id: string) => `.block-input[data-block-id="${id}"]`;
const itemBlock = (i: number) => block(`request_line_${i}_item`);
const quantityBlock = (i: number) => block(`request_line_${i}_quantity`);
const neededByBlock = (i: number) => block(`request_line_${i}_needed_by`);

export function sandboxPage(page: Page, opts: { shots?: string } = {}) {
  let step = 0;
  if (opts.shots) fs.mkdirSync(opts.shots, { recursive: true });
  const conversation = page.locator('#conversation');
  const composer = page.getByPlaceholder('Message, or type / for commands');

  const driver = {
    page,
    /** Saves a numbered screenshot of the whole window (when a folder was given). */
    async shot(name: string): Promise<void> {
      if (!opts.shots) return;
      step += 1;
      await page.screenshot({ path: path.join(opts.shots, `${String(step).padStart(2, '0')}-${name}.png`) });
    },

    /** Opens the page as `user`, in their DM with the app. */
    async open(baseUrl: string, user: string): Promise<void> {
      await page.goto(`${baseUrl}/sandbox/?user=${user}`);
      await page.getByRole('heading', { name: /— Messages$/ }).waitFor();
    },

    /** The switcher at the top left; waits until the page has loaded that person's view. */
    async switchTo(user: string): Promise<void> {
      const loaded = page.waitForResponse((r) => r.url().includes(`ui/state?user=${user}`));
      await page.getByLabel('Switch user').selectOption(user);
      await loaded;
      await page.waitForURL(new RegExp(`user=${user}`));
    },

    async openChannel(id: string): Promise<void> {
      await page.locator(`[data-channel="${id}"]`).click();
      await page.locator(`[data-channel="${id}"].active`).waitFor();
    },

    async openDm(): Promise<void> {
      await page.getByRole('button', { name: /— Messages$/ }).click();
      await page.getByRole('heading', { name: /— Messages$/ }).waitFor();
    },

    async command(text: string): Promise<void> {
      await composer.fill(text);
      await composer.press('Enter');
    },

    /** /request, then every line (Add line first, so the modal is rebuilt before anything is typed). */
    async fillRequest(form: RequestForm): Promise<Locator> {
      await driver.command('/request');
      const modal = page.getByRole('dialog', { name: 'Request supplies' });
      await modal.waitFor();
      for (let i = 1; i < form.lines.length; i++) {
        await modal.getByRole('button', { name: 'Add line' }).click();
        await modal.locator(itemBlock(i)).waitFor();
      }
      for (const [i, line] of form.lines.entries()) {
        await modal.locator(`${itemBlock(i)} input`).fill(line.search);
        await modal.locator(itemBlock(i)).getByRole('option', { name: line.option, exact: true }).click();
        await modal.locator(`${quantityBlock(i)} input`).fill(line.quantity);
        if (line.neededBy) await modal.locator(`${neededByBlock(i)} input[type=date]`).fill(line.neededBy);
      }
      await modal.getByLabel('What are the supplies for?').fill(form.reason);
      await modal.getByLabel('Who pays').selectOption(form.costCenter);
      return modal;
    },

    /** Submits the request modal and returns the number on the card the app posts in the requester's DM. */
    async submitRequest(modal: Locator): Promise<string> {
      await modal.getByRole('button', { name: 'Submit' }).click();
      await modal.waitFor({ state: 'detached' });
      // Earlier requisitions are decided by then, so the one awaiting approval is the new one.
      const header = conversation.locator('.block-header', { hasText: /^REQ-\d+ · Awaiting approval$/ });
      await header.waitFor();
      return (await header.textContent())!.split(' ')[0]!;
    },

    /** A message in the open conversation that mentions `text` and, if given, shows the button `button`. */
    message(text: string, button?: string): Locator {
      const m = conversation.locator('.message', { hasText: text });
      return button ? m.filter({ has: page.getByRole('button', { name: button, exact: true }) }) : m;
    },

    /** The approver's DM: Approve, then the DM shows the decision in place. */
    async approve(number: string): Promise<void> {
      await driver.message(number, 'Approve').getByRole('button', { name: 'Approve', exact: true }).click();
      await conversation.locator('.message.ephemeral', { hasText: `You approved ${number}` }).waitFor();
    },

    /** Reject opens a reason modal; the reason goes to the requester. */
    async reject(number: string, reason: string): Promise<void> {
      await driver.message(number, 'Reject').getByRole('button', { name: 'Reject', exact: true }).click();
      const modal = page.getByRole('dialog', { name: `Reject ${number}` });
      await modal.locator('textarea').fill(reason);
      await driver.shot('reject-reason');
      await modal.getByRole('button', { name: 'Reject', exact: true }).click();
      await modal.waitFor({ state: 'detached' });
    },

    /** #warehouse: Confirm pick opens the pick list (after a loading modal); confirm what it proposes. */
    async openPick(number: string): Promise<Locator> {
      await driver.message(`Pick ${number}`, 'Confirm pick').getByRole('button', { name: 'Confirm pick', exact: true }).click();
      const modal = page.getByRole('dialog', { name: `Pick ${number}` });
      await modal.waitFor();
      return modal;
    },

    async confirmPick(modal: Locator): Promise<void> {
      await modal.getByRole('button', { name: 'Confirm pick', exact: true }).click();
      await modal.waitFor({ state: 'detached' });
    },

    /** The requester's card for `number` (its header carries the status). */
    card(number: string): Locator {
      return conversation.locator('.message', { has: page.locator('.block-header', { hasText: new RegExp(`^${number} · `) }) });
    },

    /** Opens the thread under the requester's card and returns the thread pane. */
    async openThread(number: string): Promise<Locator> {
      await driver.card(number).locator('button.replies').click();
      const pane = page.locator('#thread-pane');
      await pane.waitFor();
      return pane;
    },
  };
  return driver;
}

export type SandboxPage = ReturnType<typeof sandboxPage>;
