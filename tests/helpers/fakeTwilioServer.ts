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
export async function startFakeTwilioServer(accountSid: string, authToken: string): Promise<{
  url: string;
  calls: FakeTwilioCall[];
  /** Posts the call's StatusCallback with CallStatus (completed, no-answer, busy, failed), as Twilio would, to `serviceUrl` (the service's real address; the signature covers the public URL). */
  end(call: FakeTwilioCall, callStatus: string, serviceUrl: string): Promise<number>;
  close(): Promise<void>;
}> {
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
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    async end(call, callStatus, serviceUrl) {
      const params = { CallSid: call.sid, AccountSid: accountSid, From: call.From, To: call.To, CallStatus: callStatus, Direction: "outbound-api" };
      const path = new URL(call.StatusCallback).pathname;
      const response = await fetch(`${serviceUrl}${path}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signTwilio(authToken, call.StatusCallback, params) },
        body: new URLSearchParams(params),
      });
      return response.status;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
