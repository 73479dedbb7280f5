import type { App } from '@slack/bolt';
import type { BotDeps } from '../app.js';

/** Registers every listener, grouped by Slack surface (commands, shortcuts, actions, views, events). */
export function registerListeners(_app: App, _deps: BotDeps): void {
  // Surfaces register here as they land.
}
