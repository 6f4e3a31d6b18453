import http from "node:http";

/**
 * A minimal Bot API stand-in for the webhook bench, in the bench's own process so the moment an
 * answer arrives is known without a round trip: Telegram and Zalo both call
 * `<apiRoot>/bot<token>/<method>`, so one server answers both, told apart by the token. Every call
 * is answered at once with what the platform would say; sendMessage is reported to `onSend`
 * with the arrival time (performance.now()) before the answer goes out. No rate limit: the bench
 * measures the service, not the platform's refusals (bench/outbox.ts does those).
 */
export interface FakeBotApi {
  url: string;
  close(): Promise<void>;
}

export type SendListener = (channel: "telegram" | "zalo", chatId: string, text: string, arrivedAt: number) => void;

export async function startFakeBotApi(options: { port: number; telegramToken: string; zaloToken: string; onSend: SendListener }): Promise<FakeBotApi> {
  let messageId = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const arrivedAt = performance.now();
      const match = /^\/bot([^/]+)\/([A-Za-z]+)/.exec(req.url ?? "");
      const channel = match?.[1] === options.telegramToken ? "telegram" : match?.[1] === options.zaloToken ? "zalo" : null;
      res.setHeader("content-type", "application/json");
      if (!match || !channel) {
        res.statusCode = 404;
        res.end(JSON.stringify({ ok: false, error_code: 404, description: "Not Found" }));
        return;
      }
      const method = match[2];
      let payload: Record<string, unknown> = {};
      try {
        if (chunks.length) payload = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
      } catch {
        // grammY sends JSON unless a file is attached; nothing here sends files
      }
      let result: unknown = true;
      if (method === "sendMessage") {
        messageId++;
        options.onSend(channel, String(payload.chat_id), String(payload.text ?? ""), arrivedAt);
        result =
          channel === "telegram"
            ? { message_id: messageId, date: Math.floor(Date.now() / 1000), chat: { id: Number(payload.chat_id), type: "private" }, text: payload.text }
            : { message_id: `sent-${messageId}`, date: Date.now() };
      } else if (method === "getMe") {
        result = channel === "telegram" ? { id: 1, is_bot: true, first_name: "AnSinh bench", username: "ansinh_bench_bot" } : { id: "1", account_name: "bench" };
      } else if (method === "setWebhook" && channel === "zalo") {
        result = { url: payload.url, updated_at: Date.now() };
      } else if (method === "getWebhookInfo") {
        result = channel === "telegram" ? { url: "", has_custom_certificate: false, pending_update_count: 0 } : { url: "", updated_at: Date.now() };
      }
      res.end(JSON.stringify({ ok: true, result }));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(options.port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${options.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
