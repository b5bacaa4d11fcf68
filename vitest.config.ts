import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // @actions/workflow-parser imports JSON in a way plain Node ESM rejects; vitest inlines it.
    server: { deps: { inline: ['@actions/workflow-parser'] } },
  },
});
