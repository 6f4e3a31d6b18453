import { defineConfig } from "vitest/config";
import { UNIT_TESTS } from "./tests/testProjects.ts";

export default defineConfig({
  test: {
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
    // `npm test` runs both; `npm run test:unit` only the first (tests/testProjects.ts says which is which).
    projects: [
      { extends: true, test: { name: "unit", include: UNIT_TESTS } },
      { extends: true, test: { name: "integration", include: ["tests/**/*.test.ts"], exclude: UNIT_TESTS } },
    ],
  },
});
