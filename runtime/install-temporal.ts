// `npm run setup:temporal`: installs the Temporal CLI and test server into the per-user cache (used by .ci/run).
import { cliVersion, locateTemporalCli, locateTestServer } from './temporal-cli.js';

const cli = locateTemporalCli({ explicitPath: process.env.TEMPORAL_CLI_PATH || undefined });
console.log(`Temporal CLI: ${cli} (${cliVersion(cli!)})`);
const testServer = locateTestServer();
console.log(`Temporal test server: ${testServer ?? 'not installed (time-skipping tests will use the SDK download)'}`);
