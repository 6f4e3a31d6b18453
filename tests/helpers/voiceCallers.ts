import { createHmac } from "node:crypto";
import { isConsentNotice } from "./consentNotice.ts";

/** What a caller heard on one turn of a call, whichever provider carried it. */
export interface VoiceTurn {
  status: number;
  /** Everything said (the <Say>/talk texts), joined. */
  spoken: string;
  /** Recordings played (paths under /voice/audio/). */
  played: string[];
  listening: boolean;
  hungUp: boolean;
  dialed?: string;
  recording: boolean;
  raw: string;
}

/**
 * A phone calling the service; press() and silence() follow the provider's instructions. call()
 * answers the first-contact personal-data notice with 1 ("Đồng ý") while `acceptsNotice` is on, as
 * the USSD and chat kits do; a test of the notice itself, or one that counts keys, turns it off.
 */
export interface VoiceCaller {
  acceptsNotice: boolean;
  call(): Promise<VoiceTurn>;
  press(keys: string): Promise<VoiceTurn>;
  silence(): Promise<VoiceTurn>;
  /** Ends a recording (Twilio posts RecordingUrl to Record's action, Stringee an event with recording_url). */
  leaveMessage(url: string): Promise<VoiceTurn>;
}

/** Twilio's signature, written here independently of the service's: sorted params appended to the URL, HMAC-SHA1, base64. */
export function signTwilio(authToken: string, url: string, params: Record<string, string>): string {
  let data = url;
  for (const name of Object.keys(params).sort()) data += name + params[name];
  return createHmac("sha1", authToken).update(Buffer.from(data, "utf8")).digest("base64");
}

/** The notice is the first thing a first-time caller hears; pressing 1 agrees, as someone who agreed before would have. */
async function pastNotice(caller: VoiceCaller, first: VoiceTurn): Promise<VoiceTurn> {
  return caller.acceptsNotice && first.listening && isConsentNotice(first.spoken) ? caller.press("1") : first;
}

const unxml = (s: string) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");

/** Twilio calling POST /voice/twilio as it would: form fields CallSid, From, To, Digits, signed with X-Twilio-Signature. */
export class TwilioCaller implements VoiceCaller {
  acceptsNotice = true;
  private readonly callSid = `CA${Math.random().toString(16).slice(2).padEnd(32, "0").slice(0, 32)}`;
  private action = "/voice/twilio";
  private redirect = "/voice/twilio";

  constructor(
    private readonly baseUrl: string,
    readonly from: string,
    private readonly authToken: string,
    /** The address Twilio was given (PUBLIC_URL), which its signature covers; the base URL by default. */
    private readonly publicUrl = baseUrl,
    private readonly to = "+842873001234",
  ) {}

  async call(): Promise<VoiceTurn> {
    return pastNotice(this, await this.post("/voice/twilio", {}));
  }

  press(keys: string): Promise<VoiceTurn> {
    return this.post(this.action, { Digits: keys });
  }

  silence(): Promise<VoiceTurn> {
    return this.post(this.redirect, {});
  }

  leaveMessage(url: string): Promise<VoiceTurn> {
    return this.post(this.action, { RecordingUrl: url, RecordingDuration: "7" });
  }

  /** Posts with a signature made under `token` (a forger's wrong token, when given). */
  async post(path: string, extra: Record<string, string>, token = this.authToken, callSid = this.callSid): Promise<VoiceTurn> {
    const url = `${this.baseUrl}${path}`;
    const signedUrl = `${this.publicUrl}${path}`;
    const params = { CallSid: callSid, AccountSid: "ACtest", From: this.from, To: this.to, CallStatus: "in-progress", Direction: "inbound", ...extra };
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signTwilio(token, signedUrl, params) },
      body: new URLSearchParams(params),
    });
    const raw = await response.text();
    const gather = /<Gather [^>]*action="([^"]*)"/.exec(raw);
    const record = /<Record [^>]*action="([^"]*)"/.exec(raw);
    if (gather) this.action = unxml(gather[1]);
    if (record) this.action = unxml(record[1]);
    const redirect = /<Redirect[^>]*>([^<]*)<\/Redirect>/.exec(raw);
    if (redirect) this.redirect = unxml(redirect[1]);
    return {
      status: response.status,
      spoken: [...raw.matchAll(/<Say[^>]*>([^<]*)<\/Say>/g)].map((m) => unxml(m[1])).join(" "),
      played: [...raw.matchAll(/<Play>([^<]*)<\/Play>/g)].map((m) => unxml(m[1]).replace(/^.*\/voice\/audio\//, "")),
      listening: gather !== null,
      hungUp: raw.includes("<Hangup/>"),
      dialed: /<Dial>([^<]*)<\/Dial>/.exec(raw)?.[1],
      recording: record !== null,
      raw,
    };
  }
}

/** Stringee calling the answer_url (GET ?from=&to=&uuid=) then posting events (call_id, dtmf, timeout) to each input's eventUrl. */
export class StringeeCaller implements VoiceCaller {
  acceptsNotice = true;
  private readonly callId = `call-vn-1-${Math.random().toString(36).slice(2, 12)}`;
  private eventUrl = "";

  constructor(
    private readonly baseUrl: string,
    readonly from: string,
    private readonly secret: string,
    private readonly to = "842873001234",
  ) {}

  async call(secret = this.secret): Promise<VoiceTurn> {
    const query = new URLSearchParams({ secret, from: this.from, to: this.to, uuid: this.callId });
    return pastNotice(this, await this.read(await fetch(`${this.baseUrl}/voice/stringee?${query}`)));
  }

  press(keys: string): Promise<VoiceTurn> {
    return this.event({ dtmf: keys, timeout: false });
  }

  silence(): Promise<VoiceTurn> {
    return this.event({ dtmf: "", timeout: true });
  }

  leaveMessage(url: string): Promise<VoiceTurn> {
    return this.event({ recording_url: url });
  }

  async event(fields: Record<string, unknown>, url = this.eventUrl): Promise<VoiceTurn> {
    const body = { call_id: this.callId, from: { type: "external", number: this.from, alias: this.from }, to: { type: "external", number: this.to }, ...fields };
    // The eventUrl names the service's public address; the request goes to where it listens here.
    const target = new URL(url);
    return this.read(await fetch(`${this.baseUrl}${target.pathname}${target.search}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }));
  }

  private async read(response: Response): Promise<VoiceTurn> {
    const raw = await response.text();
    let actions: Record<string, unknown>[] = [];
    try {
      actions = JSON.parse(raw);
    } catch {
      // a refusal: plain text
    }
    const input = actions.find((a) => a.action === "input" || a.action === "record");
    if (input) this.eventUrl = String(input.eventUrl);
    return {
      status: response.status,
      spoken: actions.filter((a) => a.action === "talk").map((a) => String(a.text)).join(" "),
      played: actions.filter((a) => a.action === "play").map((a) => String(a.fileURL).replace(/^.*\/voice\/audio\//, "")),
      listening: actions.some((a) => a.action === "input"),
      hungUp: response.status === 200 && actions.length > 0 && !actions.some((a) => ["input", "record", "connect"].includes(String(a.action))),
      dialed: (actions.find((a) => a.action === "connect")?.to as { number?: string } | undefined)?.number,
      recording: actions.some((a) => a.action === "record"),
      raw,
    };
  }
}
