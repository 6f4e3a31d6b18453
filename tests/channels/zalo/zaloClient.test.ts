import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PlatformError } from "../../../src/domain/outbox/platformError.ts";
import { registerZaloWebhook } from "../../../src/channels/zalo/registerZaloWebhook.ts";
import { ZaloClient } from "../../../src/channels/zalo/zaloClient.ts";
import { startFakeZaloServer, waitFor, zaloAnswers, type FakeZaloServer } from "../../helpers/fakeZaloServer.ts";

const TOKEN = "3141592653:zalo-SECRET-token-value";

let fake: FakeZaloServer;
let client: ZaloClient;
beforeAll(async () => {
  fake = await startFakeZaloServer({ token: TOKEN, emptyPollMs: 50 });
  client = new ZaloClient({ token: TOKEN, apiRoot: `${fake.url}/`, timeoutMs: 300 });
});
afterAll(async () => {
  await fake.close();
});

/** The PlatformError a call fails with; also checks the token appears nowhere in it. */
async function failure(call: Promise<unknown>): Promise<PlatformError> {
  const error = await call.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PlatformError);
  expect(String((error as Error).message)).not.toContain(TOKEN);
  expect(String((error as Error).stack)).not.toContain(TOKEN);
  expect(JSON.stringify(error)).not.toContain(TOKEN);
  return error as PlatformError;
}

describe("ZaloClient", () => {
  it("POSTs JSON to <apiRoot>/bot<token>/<method> and returns the envelope's result", async () => {
    const me = await client.getMe();
    expect(me).toMatchObject({ id: "9001", account_name: "bot.ansinh", can_join_groups: false });
    const sent = await client.sendMessage({ chat_id: "u1", text: "Xin chào" });
    expect(sent.message_id).toMatch(/^sent-/);
    expect(typeof sent.date).toBe("number");
    const call = fake.callsTo("sendMessage").at(-1)!;
    expect(call.token).toBe(TOKEN);
    expect(call.payload).toEqual({ chat_id: "u1", text: "Xin chào" });
    await client.sendPhoto({ chat_id: "u1", photo: "https://example.org/a.png", caption: "Ảnh" });
    await client.sendChatAction({ chat_id: "u1", action: "typing" });
    await client.setWebhook({ url: "https://ansinh.example.org/webhooks/zalo", secret_token: "a-secret-of-8+" });
    await client.deleteWebhook();
    expect((await client.getWebhookInfo()).updated_at).toBeGreaterThan(0);
    expect(fake.calls.slice(-5).map((c) => c.method)).toEqual(["sendPhoto", "sendChatAction", "setWebhook", "deleteWebhook", "getWebhookInfo"]);
  });

  it("long-polls getUpdates with the timeout as a string: one update, or 408 when nothing came", async () => {
    fake.pushUpdate({ event_name: "message.text.received", message: { message_id: "x" } });
    expect(await client.getUpdates({ timeout: 1 })).toEqual({ event_name: "message.text.received", message: { message_id: "x" } });
    expect(fake.callsTo("getUpdates").at(-1)!.payload).toEqual({ timeout: "1" });
    const empty = await failure(client.getUpdates({ timeout: 1 }));
    expect(empty.status).toBe(408);
  });

  it("turns the platform's refusals into PlatformErrors the sender can classify", async () => {
    fake.answerNext(
      "sendMessage",
      zaloAnswers.rateLimited(3),
      zaloAnswers.serverError(),
      zaloAnswers.forbidden(),
      { status: 200, body: { ok: false, error_code: 408, description: "Request timeout" } },
      { status: 502, body: "<html>Bad gateway</html>" },
      { status: 200, body: "not an envelope" },
      { status: 400, body: { ok: false, error_code: 400, description: `bad request for /bot${TOKEN}/sendMessage` } },
    );
    const send = () => client.sendMessage({ chat_id: "u1", text: "hi" });
    const limited = await failure(send());
    expect([limited.status, limited.failure, limited.retryAfterSeconds]).toEqual([429, "rate_limited", 3]);
    expect((await failure(send())).failure).toBe("transient");
    expect((await failure(send())).status).toBe(403);
    expect((await failure(send())).status).toBe(408);
    const gateway = await failure(send());
    expect([gateway.status, gateway.failure]).toEqual([502, "transient"]);
    expect((await failure(send())).failure).toBe("transient");
    const refused = await failure(send());
    expect([refused.status, refused.failure]).toEqual([400, "permanent"]);
    expect(refused.message).toContain("/bot<token>/sendMessage");
  });

  it("gives up on a call that gets no answer, as a transient failure", async () => {
    fake.answerNext("sendMessage", zaloAnswers.hang());
    const started = Date.now();
    const error = await failure(client.sendMessage({ chat_id: "u1", text: "hi" }));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect([error.status, error.failure]).toEqual([0, "transient"]);
    expect(error.message).toContain("no answer within 300 ms");
  });

  it("never puts the token in an error, also when the address is wrong or unreachable", async () => {
    const unreachable = new ZaloClient({ token: TOKEN, apiRoot: "http://127.0.0.1:9", timeoutMs: 2_000 });
    expect((await failure(unreachable.getMe())).status).toBe(0);
    const malformed = new ZaloClient({ token: TOKEN, apiRoot: "not a url" });
    expect((await failure(malformed.getMe())).status).toBe(0);
    const wrongToken = new ZaloClient({ token: "wrong-token", apiRoot: fake.url });
    expect((await failure(wrongToken.getMe())).status).toBe(401);
  });

  it("refuses text outside 1 to 2000 characters without calling Zalo, as a permanent failure", async () => {
    const before = fake.calls.length;
    const long = await failure(client.sendMessage({ chat_id: "u1", text: "a".repeat(2001) }));
    expect([long.status, long.failure]).toEqual([400, "permanent"]);
    expect(long.message).toContain("split it before sending");
    expect((await failure(client.sendMessage({ chat_id: "u1", text: "" }))).status).toBe(400);
    expect(fake.calls.length).toBe(before);
    await client.sendMessage({ chat_id: "u1", text: "a".repeat(2000) });
  });
});

describe("registerZaloWebhook", () => {
  it("throws a clear error when Zalo refuses the registration, and retries a transient failure in the background", async () => {
    const signal = new AbortController();
    fake.answerNext("setWebhook", { status: 401, body: { ok: false, error_code: 401, description: "Unauthorized" } });
    await expect(registerZaloWebhook(client, { url: "https://ansinh.example.org/webhooks/zalo", secret_token: "a-secret-of-8+" }, { backoffMs: 5, signal: signal.signal })).rejects.toThrow(
      /Zalo refused the webhook https:\/\/ansinh.example.org\/webhooks\/zalo.*ZALO_BOT_TOKEN/,
    );
    const before = fake.callsTo("setWebhook").length;
    fake.answerNext("setWebhook", zaloAnswers.serverError());
    await registerZaloWebhook(client, { url: "https://ansinh.example.org/webhooks/zalo", secret_token: "a-secret-of-8+" }, { backoffMs: 5, signal: signal.signal });
    await waitFor(() => fake.callsTo("setWebhook").slice(before).some((c) => c.status === 200), "the registration retried");
    expect(fake.callsTo("setWebhook").slice(before).map((c) => c.status)).toEqual([500, 200]);
    signal.abort();
  });
});
