import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/testServer.ts";
import { ConsoleClient } from "../helpers/consoleClient.ts";

// Found by the fuzz test on PostgreSQL: a NUL character typed into the login form reached the
// database, which refuses it in text ("invalid byte sequence for encoding UTF8: 0x00"): a 503.
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ http: { console: { loginDelay: async () => {} } } });
});
afterAll(async () => {
  await server?.close();
});

describe("a NUL character in typed text", () => {
  it("is stored and compared as U+FFFD on both databases", async () => {
    const row = await server.services.db.sql.get<{ v: string }>(`SELECT ? AS v`, ["a\u0000b"]);
    expect(row!.v).toBe("a\ufffdb");
  });

  it("in a login form is a failed login, not a server error", async () => {
    const client = new ConsoleClient(server.baseUrl);
    const answer = await client.submitLogin("demo-admin\u0000", "x\u0000");
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
  });
});
