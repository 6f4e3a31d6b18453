import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // Logs of the whole run go to one file, checked for personal numbers at the end.
    globalSetup: ["tests/logScan.globalSetup.ts"],
    env: { NODE_ENV: "test", ANSINH_SECRET: "test-secret-not-for-production" },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
