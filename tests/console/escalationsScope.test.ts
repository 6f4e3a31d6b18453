import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { escalationsArea } from "../../src/http/console/areas/escalations.ts";
import { waitFor } from "../channels/telegram/telegramTestKit.ts";
import { ConsoleClient, DEMO, sqlValue } from "../helpers/consoleClient.ts";
import { startTestServer, UssdCaller, type TestServer } from "../helpers/testServer.ts";

// Operators see every commune today. Should an account with communes ever open the inbox, the area
// keeps to them: here commune staff of Bắc Sơn are let in, on a server built for the purpose.
let server: TestServer;
let staff: ConsoleClient;
beforeAll(async () => {
  server = await startTestServer({ http: { console: { areas: [{ ...escalationsArea, roles: ["staff"] }] } } });
  staff = new ConsoleClient(server.baseUrl);
  await staff.login(DEMO.staffBacSon.username, DEMO.staffBacSon.password);
});
afterAll(async () => {
  await server.close();
});

async function askOnUssd(phone: string): Promise<number> {
  const caller = new UssdCaller(server.baseUrl, phone);
  await caller.freshDial();
  await caller.press("6");
  await caller.press("1");
  return (await sqlValue(server.services.db.sql, `SELECT id FROM Escalation WHERE channel = 'ussd' AND externalId = ? ORDER BY id DESC`, [phone])) as number;
}

describe("an inbox limited to some communes", () => {
  it("lists, streams and opens only their escalations; another commune's answers 404", async () => {
    const abort = new AbortController();
    const stream = await fetch(`${server.baseUrl}/console/escalations/events`, {
      headers: { cookie: [...staff.cookies].map(([k, v]) => `${k}=${v}`).join("; ") },
      signal: abort.signal,
    });
    let received = "";
    const reading = (async () => {
      const reader = stream.body!.getReader();
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          received += new TextDecoder().decode(value);
        }
      } catch {
        // aborted
      }
    })();
    const { cursor } = JSON.parse((await staff.get("/console/escalations/changes")).text) as { cursor: string };

    // Tràng Định first, Bắc Sơn second: once Bắc Sơn's event arrives, Tràng Định's would have too.
    const trangDinh = await askOnUssd("+84388999000");
    const bacSon = await askOnUssd("+84912345678");
    await waitFor(() => received.includes(`"id":${bacSon}`), "Bắc Sơn's event", 5_000);
    abort.abort();
    await reading;
    expect(received).not.toContain(`"id":${trangDinh}`);

    const queue = await staff.get("/console/escalations");
    expect(queue.text).toContain(`<tr data-escalation="${bacSon}">`);
    expect(queue.text).not.toContain(`<tr data-escalation="${trangDinh}">`);
    expect(queue.text).toContain('Chưa ai nhận <span class="count">1</span>');
    const changes = JSON.parse((await staff.get(`/console/escalations/changes?cursor=${cursor}`)).text) as { ids: number[] };
    expect(changes.ids).toEqual([bacSon]);

    expect((await staff.get(`/console/escalations/${bacSon}`)).status).toBe(200);
    for (const path of [`/console/escalations/${trangDinh}`, `/console/escalations/${trangDinh}/live`]) {
      const answer = await staff.get(path);
      expect(answer.status, path).toBe(404);
      expect(answer.text).not.toContain("Nông Văn Sơn");
    }
    expect((await staff.post(`/console/escalations/${trangDinh}/claim`)).status).toBe(404);
    expect((await server.services.escalations.get(trangDinh))!.status).toBe("open");
  });
});
