import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    env: { NODE_ENV: "test", ANSINH_SECRET: "test-secret-not-for-production" },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
  },
});
