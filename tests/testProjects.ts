/**
 * The test suite in two vitest projects. `unit` (npm run test:unit, seconds): code on its own, in
 * this process, with no server, child process, browser or network, at most a SQLite file. Everything
 * else is `integration`: real HTTP into the app, `ansinh` commands as child processes, fake
 * platforms, the browser, PostgreSQL and Redis. tests/architecture/unitTests.test.ts keeps the
 * unit files to that promise.
 */
export const UNIT_TESTS = [
  "tests/engine/**/*.test.ts",
  "tests/shared/**/*.test.ts",
  "tests/i18n/**/*.test.ts",
  "tests/architecture/**/*.test.ts",
  "tests/config/configInOnePlace.test.ts",
  "tests/channels/renderUssd.test.ts",
  "tests/channels/telegram/normalizeTelegramUpdate.test.ts",
  "tests/channels/telegram/renderTelegramReply.test.ts",
  "tests/channels/zalo/parseZaloUpdate.test.ts",
  "tests/channels/zalo/renderZaloReply.test.ts",
  "tests/console/charts.test.ts",
  "tests/imports/listValues.test.ts",
  "tests/sms/smsText.test.ts",
  "tests/voice/stringeeOutcome.test.ts",
  "tests/db/sql.test.ts",
  "tests/db/groupCommit.test.ts",
  "tests/db/typedQuery.test.ts",
  "tests/privacy/workingDays.test.ts",
];

/** What a unit test file may not import: each starts a server, a process or a browser. */
export const INTEGRATION_ONLY_IMPORTS = [
  "testServer",
  "runAnsinh",
  "serveProcess",
  "consoleBrowser",
  "telegramTestKit",
  "tempPostgres",
  "node:child_process",
  "fakeTelegramServer",
  "fakeZaloServer",
  "fakeSmsServer",
  "fakeAfricasTalkingSms",
  "fakeEsmsServer",
];
