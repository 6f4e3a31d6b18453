import type { ChildProcess } from "node:child_process";
import http from "node:http";
import net from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/database.ts";
import { sqlTimestamp } from "../../src/db/sql/sqlTimestamp.ts";
import { FakeTelegramServer } from "../helpers/fakeTelegramServer.ts";
import { startServeProcess, until, type ServeProcess } from "../helpers/serveProcess.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";

// A real `ansinh serve` process, stopped with SIGTERM while a slow USSD request is in flight and
// while the outbox holds claims on messages whose sending Telegram (a fake) never answers.
const NOTICES = 20;
let temp: TempDatabase;
let telegram: FakeTelegramServer;
let child: ChildProcess | null = null;

beforeEach(async () => {
  telegram = await FakeTelegramServer.start();
  telegram.hold("sendMessage");
  temp = await tempDatabase();
  const at = sqlTimestamp(new Date(Date.now() - 60_000));
  const sql = temp.db.sql;
  for (let i = 0; i < NOTICES; i++) {
    const chat = String(700_000 + i);
    const identity = (await sql.get<{ id: number }>(`INSERT INTO ChannelIdentity (channel, externalId, createdAt, updatedAt) VALUES ('telegram', ?, ?, ?) RETURNING id`, [chat, at, at]))!.id;
    await sql.run(
      `INSERT INTO OutboxMessage (dedupeKey, channel, externalId, identityId, kind, text, dueAt, status, createdAt, updatedAt) VALUES (?, 'telegram', ?, ?, 'notice', ?, ?, 'pending', ?, ?)`,
      [`notice:shutdown:${i}`, chat, identity, `Thông báo ${i}`, at, at, at],
    );
  }
  await temp.db.close();
});
afterEach(async () => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  await telegram.close();
  await temp.cleanup();
});

/** `ansinh serve` on a free port, sending through the fake Telegram; resolves once it serves. */
async function serve(env: Record<string, string>): Promise<ServeProcess> {
  const service = await startServeProcess({
    cwd: temp.dir,
    env: {
      DATABASE_URL: temp.url,
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      QUIET_HOURS: "00:00-00:00",
      OUTBOX_WORKERS: "2",
      OUTBOX_POLL_MS: "50",
      ...env,
    },
  });
  child = service.child;
  return service;
}

/** A USSD request whose body arrives in two parts, like a slow gateway's: `finish()` sends the rest. */
function slowUssdRequest(port: number) {
  const body = new URLSearchParams({ sessionId: "slow-1", serviceCode: "*384#", phoneNumber: "+84912000999", text: "" }).toString();
  const agent = new http.Agent({ keepAlive: true });
  let socketClosedAt = 0;
  const request = http.request({ port, host: "127.0.0.1", method: "POST", path: "/ussd", agent, headers: { "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(body) } });
  request.on("socket", (socket) => socket.once("close", () => (socketClosedAt = Date.now())));
  const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
    request.on("response", (response) => {
      let text = "";
      response.on("data", (d) => (text += d));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, text }));
    });
    request.on("error", reject);
  });
  request.write(body.slice(0, 10));
  return {
    answered,
    socketClosedAt: () => socketClosedAt,
    finish: () => request.end(body.slice(10)),
  };
}

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(false)));
    socket.once("error", () => resolve(true));
  });

async function outboxRows() {
  const db = await openDatabase(temp.url);
  try {
    return await db.sql.all<{ status: string; ambiguous: number; attempts: number }>(`SELECT status, ambiguous, attempts FROM OutboxMessage`);
  } finally {
    await db.close();
  }
}

describe("ansinh serve on SIGTERM", () => {
  it("finishes the request in flight, refuses new connections, hands back the outbox's claims and exits 0", async () => {
    const service = await serve({ SHUTDOWN_TIMEOUT_SECONDS: "6" });
    // Both sending workers hold a claim: Telegram has their messages and has not answered.
    await until(() => telegram.held === 2 || null, "two held sends", 30_000, service.output);
    const slow = slowUssdRequest(service.port);
    await new Promise((resolve) => setTimeout(resolve, 200));

    child!.kill("SIGTERM");
    await until(() => service.output().includes('"msg":"stopping"') || null, "the stop to begin", 30_000, service.output);
    expect(await refused(service.port)).toBe(true);

    slow.finish();
    const answer = await slow.answered;
    expect(answer.status).toBe(200);
    expect(answer.text).toMatch(/^CON /);

    const { code, at: exitedAt } = await service.exited;
    expect(code, service.output()).toBe(0);
    // The kept-alive connection was closed by the service once answered, not by its exit.
    expect(slow.socketClosedAt()).toBeGreaterThan(0);
    expect(slow.socketClosedAt()).toBeLessThan(exitedAt - 500);

    // The two claimed messages are pending again, flagged as possibly sent (Telegram had them), their attempt not counted.
    const rows = (await outboxRows());
    expect(rows.filter((r) => r.status === "pending")).toHaveLength(NOTICES);
    expect(rows.filter((r) => r.ambiguous === 1)).toEqual([
      { status: "pending", ambiguous: 1, attempts: 0 },
      { status: "pending", ambiguous: 1, attempts: 0 },
    ]);
    expect(service.output()).toMatch(/"msg":"outbox claims handed back for another sender","released":2/);
    expect(service.output()).toContain('"msg":"stopped"');
    expect(service.output()).not.toMatch(/912000999|700000/);
  }, 60_000);

  it("exits 1 at SHUTDOWN_TIMEOUT_SECONDS when a request never finishes, claims handed back all the same", async () => {
    const service = await serve({ SHUTDOWN_TIMEOUT_SECONDS: "2" });
    await until(() => telegram.held === 2 || null, "two held sends", 30_000, service.output);
    const slow = slowUssdRequest(service.port);
    slow.answered.catch(() => undefined); // cut off with the process
    await new Promise((resolve) => setTimeout(resolve, 200));
    const signalledAt = Date.now();
    child!.kill("SIGTERM");
    const { code, at } = await service.exited;
    expect(code).toBe(1);
    expect(at - signalledAt).toBeGreaterThanOrEqual(1_900);
    expect(at - signalledAt).toBeLessThan(10_000);
    expect(service.output()).toContain("shutdown took longer than SHUTDOWN_TIMEOUT_SECONDS");
    expect((await outboxRows()).filter((r) => r.status === "sending")).toEqual([]);
  }, 60_000);
});
