/**
 * A Bot API stand-in for the outbox benchmark, in its own process (as the real platform is):
 * answers sendMessage like Telegram, but refuses (429, retry_after 1) any call beyond LIMIT
 * within the last second. GET /healthz when ready; GET /stats for what it accepted and refused.
 */
import http from "node:http";

const limit = Number(process.env.LIMIT ?? 30);
const recent: number[] = [];
let accepted = 0;
let refused = 0;
let firstAt = 0;
let lastAt = 0;

http
  .createServer((req, res) => {
    if (req.method === "GET") {
      res.setHeader("content-type", "application/json");
      res.end(req.url === "/stats" ? JSON.stringify({ accepted, refused, seconds: (lastAt - firstAt) / 1000 }) : "{}");
      return;
    }
    req.resume();
    req.on("end", () => {
      const now = performance.now();
      while (recent.length && now - recent[0] >= 1000) recent.shift();
      res.setHeader("content-type", "application/json");
      if (recent.length >= limit) {
        refused++;
        res.statusCode = 429;
        res.end(JSON.stringify({ ok: false, error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } }));
        return;
      }
      recent.push(now);
      accepted++;
      firstAt ||= now;
      lastAt = now;
      res.end(JSON.stringify({ ok: true, result: { message_id: accepted, date: 0, chat: { id: 1, type: "private" }, text: "" } }));
    });
  })
  .listen(Number(process.env.PORT), "127.0.0.1");
