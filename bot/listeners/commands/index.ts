import type { App } from '@slack/bolt';
import type { BotDeps } from '../../app.js';
import { COMMANDS } from '../../ids.js';
import { adminCommand } from './admin.js';
import { countCommand } from './count.js';
import { receiveCommand } from './receive.js';
import { requestCommand } from './request.js';
import { stockCommand } from './stock.js';

export function registerCommands(app: App, deps: BotDeps): void {
  app.command(COMMANDS.request, requestCommand(deps));
  app.command(COMMANDS.stock, stockCommand(deps));
  app.command(COMMANDS.admin, adminCommand(deps));
  app.command(COMMANDS.count, countCommand(deps));
  app.command(COMMANDS.receive, receiveCommand(deps));
}
