import type { App } from '@slack/bolt';
import type { BotDeps } from '../app.js';
import { registerActions } from './actions/index.js';
import { registerCommands } from './commands/index.js';
import { registerEvents } from './events/index.js';
import { registerOptions } from './options/index.js';
import { registerShortcuts } from './shortcuts/index.js';
import { registerViews } from './views/index.js';

/** Registers every listener, grouped by Slack surface (commands, shortcuts, actions, views, events). */
export function registerListeners(app: App, deps: BotDeps): void {
  registerCommands(app, deps);
  registerShortcuts(app, deps);
  registerActions(app, deps);
  registerViews(app, deps);
  registerOptions(app, deps);
  registerEvents(app, deps);
}
