import { Command } from 'commander';
import { ConfigError } from '../runtime/config.js';
import { formatsHelp } from './csv/formats.js';

/**
 * The `stockroom` operator CLI. Each command lives in its own file, loaded only when run, so a quick
 * command does not load the Postgres binaries, Temporal or Slack.
 */
export const program = new Command('stockroom').description('Slack-first inventory and procurement on Temporal');

program.command('start').description('start Postgres, Temporal, the worker and the Slack bot (what `npm start` runs)').action(async () => (await import('./start.js')).startCommand());
program
  .command('web')
  .description('the Slack side only (receiver, /healthz, /metrics, the sandbox when on) against DATABASE_URL and TEMPORAL_ADDRESS; run as many as you like')
  .action(async () => (await import('./start.js')).startCommand('web'));
program
  .command('worker')
  .description('the Temporal worker only (workflows, activities, schedules; /healthz and /metrics on PORT) against DATABASE_URL and TEMPORAL_ADDRESS; run as many as you like')
  .action(async () => (await import('./start.js')).startCommand('worker'));
program.command('migrate').description('apply database migrations').action(async () => (await import('./migrate.js')).migrateCommand());
program.command('doctor').description('check each part and say what is wrong').action(async () => (await import('./doctor.js')).doctorCommand());
program
  .command('import')
  .argument('<kind>', 'items, locations or stock')
  .argument('<file>', 'a CSV file; the first line names the columns')
  .option('--batch <name>', 'stock: a separate delivery whose rows may repeat an earlier import')
  .description('load items, locations or opening stock from CSV: every bad row reported, nothing written unless all are good')
  .addHelpText('after', formatsHelp)
  .action(async (kind: string, file: string, opts: { batch?: string }) => {
    await (await import('./import.js')).importCommand(kind, file, opts);
  });
program
  .command('export')
  .argument('<kind>', 'items, locations or stock')
  .argument('[file]', 'where to write; stdout when omitted or -')
  .description('write items, locations or stock on hand as CSV in the format `import` reads')
  .action(async (kind: string, file?: string) => {
    await (await import('./export.js')).exportCommand(kind, file);
  });
program
  .command('demo')
  .description('load a demo catalogue (office supplies, spare parts), two warehouses and six months of history; safe to run twice')
  .option('--no-people', "skip the sandbox's demo people, their roles and cost centers")
  .action(async (opts: { people: boolean }) => {
    await (await import('./demo.js')).demoCommand({ people: opts.people });
  });
program
  .command('report')
  .argument('<kind>', 'stock, value, cogs or history')
  .argument('[sku]', 'history: the item (required); stock and value: only this item')
  .option('--under <path>', 'stock: only this location and below, e.g. Workshop')
  .option('--locations', 'stock: one row per location, rolled up the tree')
  .option('--as-of <date>', 'value: as the stock stood then (YYYY-MM-DD or ISO time)')
  .option('--from <date>', 'cogs: period start (default 30 days ago)')
  .option('--to <date>', 'cogs: period end, exclusive (default now)')
  .option('--limit <n>', 'history: how many moves, newest first (default 50)')
  .option('--json', 'the report as JSON')
  .option('--period <YYYY-MM>', 'reconcile: the month')
  .description('stock on hand, inventory value (FIFO, LIFO, weighted average side by side), cost of goods issued, item history, a month reconciled (reconcile --period YYYY-MM)')
  .action(async (kind: string, sku: string | undefined, opts: { under?: string; locations?: boolean; asOf?: string; from?: string; to?: string; limit?: string; json?: boolean; period?: string }) => {
    if (kind === 'reconcile') return void (await (await import('./journal.js')).reconcileCommand(opts));
    await (await import('./report.js')).reportCommand(kind, sku, opts);
  });

program
  .command('journal')
  .argument('<verb>', 'export')
  .option('--period <YYYY-MM>', 'one month, in the stockroom time zone')
  .option('--from <YYYY-MM-DD>', 'the first day')
  .option('--to <YYYY-MM-DD>', 'the day after the last (exclusive)')
  .option('--format <csv|json>', 'csv (one row per line) or json (one entry per line)', 'csv')
  .option('--out <file>', 'where to write; stdout when omitted or -')
  .description('journal entries for the accounting system from the stock ledger: balanced, each line traceable to its moves (README, "Journal and period close")')
  .action(async (verb: string, opts: { period?: string; from?: string; to?: string; format?: string; out?: string }) => {
    if (verb !== 'export') throw new (await import('./database.js')).CommandError(`Unknown journal verb "${verb}": use export.`);
    await (await import('./journal.js')).journalExportCommand(opts);
  });
program
  .command('period')
  .argument('<verb>', 'close')
  .argument('<month>', 'YYYY-MM')
  .description('close a month: no stock move or supplier invoice may be dated in it any more; its journal and valuation never change')
  .action(async (verb: string, month: string) => {
    if (verb !== 'close') throw new (await import('./database.js')).CommandError(`Unknown period verb "${verb}": use close.`);
    await (await import('./journal.js')).periodCloseCommand(month);
  });
program
  .command('abc')
  .option('--run', 'classify now over the last 12 months of issues (otherwise: the latest run)')
  .option('--json', 'the run as JSON')
  .description('ABC analysis: the Pareto table (class, items, share of items, share of value) and class changes')
  .action(async (opts: { run?: boolean; json?: boolean }) => {
    await (await import('./abc.js')).abcCommand(opts);
  });

program
  .command('forecast')
  .argument('[sku]', 'one item (otherwise every item with a forecast)')
  .option('--refit', 'refit now (the weekly schedule does this on Sundays at 05:00)')
  .option('--json', 'the stored forecasts as JSON')
  .option('--limit <n>', 'items listed without a SKU (default 100)', (v: string) => Number.parseInt(v, 10))
  .description('demand forecasts: the model chosen by backtest, its scores against seasonal naive and the current method, the next periods with intervals')
  .action(async (sku: string | undefined, opts: { refit?: boolean; json?: boolean; limit?: number }) => {
    await (await import('./forecast.js')).forecastCommand(sku, opts);
  });

program
  .command('counting')
  .argument('[verb]', 'show (the default) or set')
  .argument('[pairs...]', 'set: key=value pairs, e.g. frequency-a=2 tolerance-value-b=25 time-zone=Europe/Berlin')
  .description('cycle-counting settings: count frequency per ABC class, tolerances, ABC cut-offs, lines per count, working days, time zone')
  .action(async (verb: string | undefined, pairs: string[]) => {
    await (await import('./counting.js')).countingCommand(verb === undefined ? [] : [verb, ...pairs]);
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
