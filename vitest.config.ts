import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The Temporal native bridge misbehaves in worker threads; forks are separate processes.
    pool: 'forks',
    globalSetup: ['test/setup/global-setup.ts'],
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    env: { LOG_LEVEL: 'silent' },
    reporters: ['default', './test/setup/summary-reporter.ts'],
  },
});
