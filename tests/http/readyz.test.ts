import { afterEach, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/testServer.ts";
import { DEMO, signedIn } from "../helpers/consoleClient.ts";
import { describeNeeding, TEST_REDIS_URL } from "../helpers/externalServices.ts";

let server: TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

const get = async (path: string) => {
  const response = await fetch(`${server!.baseUrl}${path}`);
  return { status: response.status, body: await response.json(), connection: response.headers.get("connection") };
};

/** Asks until the answer has `status` (a Redis connection takes a moment to open), at most 5 s. */
async function readyzUntil(status: number) {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const answer = await get("/readyz");
    if (answer.status === status || Date.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("GET /readyz", () => {
  it("is ready when the database answers, and says what it checked", async () => {
    server = await startTestServer({ demo: false });
    expect(await get("/readyz")).toMatchObject({ status: 200, body: { status: "ready", checks: { database: "ok" } } });
    expect(await get("/healthz")).toMatchObject({ status: 200, body: { status: "ok" } });
  });

  it("is not ready, naming Redis, when Redis does not answer; the instance is still alive", async () => {
    // Port 1: nothing listens there, so every connection is refused.
    server = await startTestServer({ demo: false, config: { redisUrl: "redis://127.0.0.1:1" } });
    expect(await get("/readyz")).toMatchObject({ status: 503, body: { status: "unavailable", checks: { database: "ok", redis: "unavailable" } } });
    expect((await get("/healthz")).status).toBe(200);
  });

  it("is not ready, naming the database, when the database does not answer", async () => {
    server = await startTestServer({ demo: false });
    server.services.db.ping = async () => {
      throw new Error("SQLITE_IOERR: disk I/O error");
    };
    expect(await get("/readyz")).toMatchObject({ status: 503, body: { status: "unavailable", checks: { database: "unavailable" } } });
  });

  it("answers 503 stopping from SIGTERM on, and closes the connection after", async () => {
    server = await startTestServer({ demo: false });
    server.services.readiness.markStopping();
    expect(await get("/readyz")).toEqual({ status: 503, body: { status: "stopping" }, connection: "close" });
  });
});

describeNeeding(["redis"], "GET /readyz with Redis", () => {
  it("checks Redis too when REDIS_URL is set", async () => {
    server = await startTestServer({ demo: false, config: { redisUrl: TEST_REDIS_URL } });
    expect(await readyzUntil(200)).toMatchObject({ status: 200, body: { status: "ready", checks: { database: "ok", redis: "ok" } } });
  });
});

describe("stopping: long-lived responses are told", () => {
  it("ends a console event stream when the service starts stopping", async () => {
    server = await startTestServer();
    const operator = await signedIn(server.baseUrl, DEMO.operator);
    // The client reads a response to its end: this settles only when the stream is closed.
    const stream = operator.get("/console/escalations/events");
    await new Promise((resolve) => setTimeout(resolve, 300));
    server.services.readiness.markStopping();
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error("the stream is still open")), 5_000));
    const ended = await Promise.race([stream, timeout]);
    expect(ended.status).toBe(200);
    expect(ended.text).toContain("retry:");
  });
});
