import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';

// workflows/ runs in Temporal's deterministic sandbox: only the workflow API, shared types and pure
// inventory math may be imported at runtime. Activities and the database are imported as types only.
const root = path.resolve(import.meta.dirname, '../..');
const allowedPackages = ['@temporalio/workflow', '@temporalio/common', 'decimal.js'];
const allowedFolders = ['workflows', 'inventory'];

function runtimeImports(file: string): string[] {
  const source = fs.readFileSync(file, 'utf8');
  const specifiers: string[] = [];
  for (const match of source.matchAll(/^\s*(import|export)\s+(?!type\b)([^'";]*?from\s+)?['"]([^'"]+)['"]/gm)) {
    specifiers.push(match[3]!);
  }
  return specifiers;
}

function filesUnder(folder: string): string[] {
  return fs
    .readdirSync(path.join(root, folder), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(root, folder, f));
}

test('workflow code imports nothing with I/O or Node built-ins', () => {
  const offenders: string[] = [];
  const seen = new Set<string>();
  const queue = filesUnder('workflows');
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const spec of runtimeImports(file)) {
      if (spec.startsWith('.')) {
        const target = path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts'));
        const folder = path.relative(root, target).split(path.sep)[0]!;
        if (!allowedFolders.includes(folder)) offenders.push(`${path.relative(root, file)} imports ${spec}`);
        else if (fs.existsSync(target)) queue.push(target);
      } else if (!allowedPackages.some((p) => spec === p || spec.startsWith(`${p}/`))) {
        offenders.push(`${path.relative(root, file)} imports ${spec}`);
      }
    }
  }
  expect(offenders).toEqual([]);
  expect(seen.size).toBeGreaterThan(1);
});
