import { Command } from 'commander';
import { ConfigError } from '../runtime/config.js';
import { doctorCommand } from './doctor.js';
import { migrateCommand } from './migrate.js';
import { startCommand } from './start.js';

/** The `stockroom` operator CLI. Each command lives in its own file; later features add theirs here. */
export const program = new Command('stockroom').description('Slack-first inventory and procurement on Temporal');

program.command('start').description('start Postgres, Temporal, the worker and the Slack bot (what `npm start` runs)').action(startCommand);
program.command('migrate').description('apply database migrations').action(migrateCommand);
program.command('doctor').description('check each part and say what is wrong').action(doctorCommand);

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
