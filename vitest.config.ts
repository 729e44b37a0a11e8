import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
    // The credentials key in its file, whatever keyring the machine has: the
    // keyring's own test (credential-key.test.ts) turns it back on.
    env: { PORCHLIGHT_KEYRING: 'off' },
    // A new PGlite data directory runs initdb (3-10 s on a 2-core machine).
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Forks, not threads: PGlite holds ~500 MB per instance and the lock tests
    // spawn processes; two at a time is what a 2-core machine can carry.
    pool: 'forks',
    poolOptions: { forks: { minForks: 1, maxForks: 2 } },
    watch: false,
  },
});
