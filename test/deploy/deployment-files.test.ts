import fs from 'node:fs';
import { expect, test } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';

/**
 * The deployment files cannot run here (no Docker engine, no cluster): they are parsed and held to what
 * production needs. `docker-compose config` and the strict Kubernetes decode in deploy/kubernetes/check
 * check their schemas (README, "Deploy").
 */

const read = (file: string) => fs.readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
type Service = { image?: string; command?: string[]; deploy?: { replicas?: number }; build?: unknown; environment?: Record<string, string> };

test('the production compose file pins every image and runs 2 web and 2 worker replicas of the Stockroom image', () => {
  const compose = parse(read('deploy/docker-compose.production.yml'), { merge: true }) as { services: Record<string, Service> };
  const { services } = compose;
  for (const [name, service] of Object.entries(services)) {
    // Pulled images carry a version tag; Stockroom's own is built from the Dockerfile and tagged by STOCKROOM_TAG.
    if (service.build) expect(service.image, name).toBe('stockroom:${STOCKROOM_TAG:-local}');
    else expect(service.image, name).toMatch(/^[\w./-]+:\d[\w.-]*$/);
  }
  expect(services.temporal!.image).toMatch(/^temporalio\/auto-setup:\d+\.\d+\.\d+$/); // a real server, not start-dev
  expect(services.temporal!.command).toBeUndefined();
  expect(services['temporal-ui']!.image).toMatch(/^temporalio\/ui:\d/);
  expect(services.web).toMatchObject({ command: ['web'], deploy: { replicas: 2 }, build: { context: '..', dockerfile: 'Dockerfile' } });
  expect(services.worker).toMatchObject({ command: ['worker'], deploy: { replicas: 2 } });
  for (const role of ['web', 'worker']) {
    expect(services[role]!.environment).toMatchObject({ TEMPORAL_ADDRESS: 'temporal:7233', DATABASE_URL: expect.stringMatching(/^postgres:\/\/stockroom_app:/) });
  }
  // The development setup is still there, unchanged in shape.
  const dev = parse(read('docker-compose.yml')) as { services: Record<string, Service> };
  expect(Object.keys(dev.services)).toEqual(expect.arrayContaining(['postgres', 'temporal', 'stockroom']));
});

test('the Dockerfile builds in stages on a pinned Node, installs production dependencies only, bundles workflows at build time and runs as a user', () => {
  const dockerfile = read('Dockerfile');
  expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:20\.\d+\.\d+-[\w-]+$/m);
  expect(dockerfile.match(/^FROM /gm)!.length).toBeGreaterThanOrEqual(3);
  expect(dockerfile).toMatch(/npm ci --omit=dev/);
  expect(dockerfile).toMatch(/workflowBundlePath\('\/app\/\.data\/cache'\)/);
  expect(dockerfile).toMatch(/^USER node$/m);
  expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "--import", "tsx", "cli\/index\.ts"\]$/m);
  // The image's commands exist (cli/index.ts runs its program on import, so its text is read).
  for (const command of ['web', 'worker', 'start']) expect(read('cli/index.ts')).toContain(`.command('${command}')`);
  expect(read('.dockerignore')).toMatch(/^node_modules$/m);
});

test('the Kubernetes manifests: web Deployment and Service, worker Deployment, /healthz probes, configuration from a Secret, not root', () => {
  const docs = ['web.yaml', 'worker.yaml', 'secret.example.yaml'].flatMap((f) => parseAllDocuments(read(`deploy/kubernetes/${f}`)).map((d) => d.toJS()));
  const kinds = docs.map((d) => `${d.kind}/${d.metadata.name}`).sort();
  expect(kinds).toEqual(['Deployment/stockroom-web', 'Deployment/stockroom-worker', 'Secret/stockroom', 'Service/stockroom-web']);
  for (const deployment of docs.filter((d) => d.kind === 'Deployment')) {
    const spec = deployment.spec.template.spec;
    const [container] = spec.containers;
    expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(deployment.spec.selector.matchLabels).toEqual(deployment.spec.template.metadata.labels);
    expect(container.args).toEqual([deployment.metadata.name.replace('stockroom-', '')]);
    expect(container.image).not.toMatch(/:latest$|^[^:]+$/);
    expect(container.envFrom).toEqual([{ secretRef: { name: 'stockroom' } }]);
    expect(container.readinessProbe.httpGet.path).toBe('/healthz');
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(spec.securityContext.runAsNonRoot).toBe(true);
  }
  const service = docs.find((d) => d.kind === 'Service');
  const web = docs.find((d) => d.metadata.name === 'stockroom-web' && d.kind === 'Deployment');
  expect(service.spec.selector).toEqual(web.spec.selector.matchLabels);
  const secret = docs.find((d) => d.kind === 'Secret');
  expect(Object.keys(secret.stringData)).toEqual(expect.arrayContaining(['DATABASE_URL', 'TEMPORAL_ADDRESS', 'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET']));
});
