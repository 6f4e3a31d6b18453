import http from "node:http";
import type { AddressInfo } from "node:net";
import { signTwilio } from "./voiceCallers.ts";

/** A call the service asked Twilio to place (POST /2010-04-01/Accounts/{sid}/Calls.json). */
export interface FakeTwilioCall {
  sid: string;
  accountSid: string;
  /** The Basic credentials were the account's sid and auth token. */
  authorized: boolean;
  To: string;
  From: string;
  Twiml: string;
  StatusCallback: string;
}

/**
 * Twilio's REST API for placing calls, on 127.0.0.1: records each Calls.json request and answers
 * with a CallSid, as Twilio does (201). `end` then plays Twilio's side of the call's end: the
 * StatusCallback, signed like every Twilio request.
 */
export async function startFakeTwilioServer(accountSid: string, authToken: string) {
  const calls: FakeTwilioCall[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Calls\.json$/.exec(req.url ?? "");
      if (req.method !== "POST" || !match) {
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ code: 20404, message: "Not found" }));
        return;
      }
      const form = new URLSearchParams(body);
      const expected = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString("base64")}`;
      const call: FakeTwilioCall = {
        sid: `CA${(calls.length + 1).toString(16).padStart(32, "0")}`,
        accountSid: decodeURIComponent(match[1]),
        authorized: req.headers.authorization === expected,
        To: form.get("To") ?? "",
        From: form.get("From") ?? "",
        Twiml: form.get("Twiml") ?? "",
        StatusCallback: form.get("StatusCallback") ?? "",
      };
      calls.push(call);
      if (!call.authorized) {
        res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ code: 20003, message: "Authenticate" }));
        return;
      }
      res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ sid: call.sid, status: "queued", to: call.To, from: call.From }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  /** Posts Twilio's request for `url` (a public address the service gave) to `serviceUrl`, the service's real address, signed for `url`. */
  const post = async (url: string, serviceUrl: string, call: FakeTwilioCall, extra: Record<string, string>) => {
    const params = { CallSid: call.sid, AccountSid: accountSid, From: call.From, To: call.To, Direction: "outbound-api", ...extra };
    const target = new URL(url);
    return fetch(`${serviceUrl}${target.pathname}${target.search}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signTwilio(authToken, url, params) },
      body: new URLSearchParams(params),
    });
  };
  const sayings = (twiml: string) => [...twiml.matchAll(/<Say[^>]*>([^<]*)<\/Say>/g)].map((m) => m[1]).join(" ");
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    /** Everything the call says (its <Say>s). */
    said: (call: FakeTwilioCall) => sayings(call.Twiml),
    /** The call's StatusCallback with CallStatus (completed, no-answer, busy), as Twilio posts it; the HTTP status. */
    async end(call: FakeTwilioCall, outcome: "answered" | "no-answer" | "busy", serviceUrl: string): Promise<number> {
      return (await post(call.StatusCallback, serviceUrl, call, { CallStatus: outcome === "answered" ? "completed" : outcome })).status;
    },
    /** Keys pressed during the call, posted to its Gather's action; what the answer says. */
    async press(call: FakeTwilioCall, keys: string, serviceUrl: string): Promise<string> {
      const action = /<Gather [^>]*action="([^"]*)"/.exec(call.Twiml)![1].replace(/&amp;/g, "&");
      return sayings(await (await post(action, serviceUrl, call, { Digits: keys, CallStatus: "in-progress" })).text());
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
