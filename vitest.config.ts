import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    globalSetup: [
      // Logs of the whole run go to one file, checked for personal numbers at the end.
      "tests/logScan.globalSetup.ts",
      // Which of PostgreSQL and Redis answer (tests that need them are skipped elsewhere), and the browser.
      "tests/testEnvironment.globalSetup.ts",
    ],
    env: { NODE_ENV: "test", ANSINH_SECRET: "test-secret-not-for-production" },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
