import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

/** A call the service asked Stringee to place (POST /v1/call2/callout). */
export interface FakeStringeeCall {
  sid: string;
  /** The X-STRINGEE-AUTH token was an HS256 JWT under the API key secret, issued by the key sid, with rest_api. */
  authorized: boolean;
  To: string;
  actions: Record<string, unknown>[];
  eventUrl: string;
}

/** Checks a JWT's HS256 signature and claims, written here independently of the service. */
function validToken(token: string | undefined, keySid: string, keySecret: string): boolean {
  const [header, payload, signature] = (token ?? "").split(".");
  if (!header || !payload || !signature) return false;
  if (createHmac("sha256", keySecret).update(`${header}.${payload}`).digest("base64url") !== signature) return false;
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { iss?: string; rest_api?: boolean; exp?: number };
  return claims.iss === keySid && claims.rest_api === true && (claims.exp ?? 0) > Date.now() / 1000;
}

/**
 * Stringee's REST API for placing calls, on 127.0.0.1: records each callout and answers
 * { r: 0, call_id } as Stringee does. `end` and `press` then play Stringee's side of the call:
 * events posted to the eventUrls the service gave (which carry its secret).
 */
export async function startFakeStringeeServer(keySid: string, keySecret: string) {
  const calls: FakeStringeeCall[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      if (req.method !== "POST" || req.url !== "/v1/call2/callout") {
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ r: 404, message: "Not found" }));
        return;
      }
      const request = JSON.parse(body) as { to: { number: string }[]; actions: Record<string, unknown>[]; event_url: string };
      const call: FakeStringeeCall = {
        sid: `call-vn-1-${(calls.length + 1).toString().padStart(10, "0")}`,
        authorized: validToken(req.headers["x-stringee-auth"] as string | undefined, keySid, keySecret),
        To: `+${request.to[0].number}`,
        actions: request.actions,
        eventUrl: request.event_url,
      };
      calls.push(call);
      if (!call.authorized) {
        res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ r: 1, message: "Unauthorized" }));
        return;
      }
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ r: 0, call_id: call.sid, message: "Create call success" }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const postTo = async (url: string, serviceUrl: string, body: unknown) => {
    const target = new URL(url);
    return fetch(`${serviceUrl}${target.pathname}${target.search}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  };
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    /** Everything the call says (talk actions). */
    said: (call: FakeStringeeCall) => call.actions.filter((a) => a.action === "talk").map((a) => String(a.text)).join(" "),
    /**
     * The call's end to its event_url, as Stringee reports it: call_status "ended" with how long it
     * was answered (answerDuration, seconds) and the SIP cause; the HTTP status of our answer.
     */
    async end(call: FakeStringeeCall, outcome: "answered" | "no-answer" | "busy", serviceUrl: string): Promise<number> {
      const endCallCause = { answered: "200 OK", "no-answer": "480 Temporarily Unavailable", busy: "486 Busy Here" }[outcome];
      const event = { call_status: "ended", call_id: call.sid, type: "stringee_call", endCallCause, endedBy: "EXTERNAL", duration: 25, answerDuration: outcome === "answered" ? 20 : 0 };
      return (await postTo(call.eventUrl, serviceUrl, event)).status;
    },
    /** A call event that is not the end (created, started, ringing): changes nothing. */
    async progress(call: FakeStringeeCall, callStatus: "created" | "started" | "ringing", serviceUrl: string): Promise<number> {
      return (await postTo(call.eventUrl, serviceUrl, { call_status: callStatus, call_id: call.sid, type: "stringee_call" })).status;
    },
    /** Keys pressed during the call, posted to its input's eventUrl; what the answer says. */
    async press(call: FakeStringeeCall, keys: string, serviceUrl: string): Promise<string> {
      const input = call.actions.find((a) => a.action === "input")!;
      const response = await postTo(String(input.eventUrl), serviceUrl, { call_id: call.sid, dtmf: keys, timeout: false });
      const actions = (await response.json()) as Record<string, unknown>[];
      return actions.filter((a) => a.action === "talk").map((a) => String(a.text)).join(" ");
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
