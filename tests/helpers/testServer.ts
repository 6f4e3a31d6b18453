import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { createHttpServer } from "../../src/http/createHttpServer.ts";
import type { HttpAppOptions } from "../../src/http/createHttpApp.ts";
import { createServices, type ServiceOptions, type Services } from "../../src/services.ts";
import { loadDemoDataIfEmpty } from "../../src/demo/loadDemoData.ts";
import { tempDatabase } from "./tempDatabase.ts";
import { isConsentNotice } from "./consentNotice.ts";

export interface TestServer {
  baseUrl: string;
  services: Services;
  close(): Promise<void>;
}

/**
 * The real HTTP server (USSD endpoint and express app) on a real SQLite file with the demo data
 * (and the DEMO console accounts), listening on a free loopback port. `http` reaches
 * createHttpApp (e.g. `{ console: { loginDelay } }`).
 */
export async function startTestServer(options: ServiceOptions & { demo?: boolean; http?: HttpAppOptions } = {}): Promise<TestServer> {
  const temp = await tempDatabase();
  await temp.db.close();
  const services = await createServices({ ...options, config: { databaseUrl: temp.url, ...options.config } });
  if (options.demo !== false) await loadDemoDataIfEmpty(services);
  const server: Server = await new Promise((resolve) => {
    const s = createHttpServer(services, options.http).listen(0, "127.0.0.1", () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    services,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await services.close();
      await temp.cleanup();
    },
  };
}

/** A caller on a feature phone, speaking Africa's Talking's protocol to POST /ussd. */
export class UssdCaller {
  private history = "";
  private dialCount = 0;
  sessionId = "";

  private readonly baseUrls: string[];
  private requests = 0;
  /** Answer the first-contact personal-data notice with "1. Dong y" (off to test the notice itself). */
  acceptsNotice = true;

  /** Several base URLs: the requests take them in turn, as a load balancer in front of several instances would. */
  constructor(
    baseUrl: string | string[],
    readonly phone: string,
  ) {
    this.baseUrls = Array.isArray(baseUrl) ? baseUrl : [baseUrl];
  }

  /** Starts a new dial (text ""), as when the person dials the service code. */
  async dial(): Promise<UssdAnswer> {
    return this.dialWith("");
  }

  /**
   * Starts a new dial whose first request already carries keys: the person dialled the service
   * code with digits after it (`*384*123*1*2#`), so the gateway's first `text` is "1*2".
   */
  async dialWith(keys: string): Promise<UssdAnswer> {
    this.dialCount += 1;
    this.sessionId = `ATUid_${this.phone.replace(/\D/g, "")}_${this.dialCount}_${Math.random().toString(36).slice(2, 8)}`;
    this.history = keys;
    const first = await this.post(keys);
    // The notice stops a dial's keys (it takes only an explicit answer); once it is agreed to, the
    // service presses the keys it held back.
    return this.pastNotice(first);
  }

  private async pastNotice(answer: UssdAnswer): Promise<UssdAnswer> {
    return this.acceptsNotice && isConsentNotice(answer.screen) ? this.press("1") : answer;
  }

  /** Dials and, if offered to continue an earlier unfinished session, starts over. */
  async freshDial(): Promise<UssdAnswer> {
    const first = await this.dial();
    return first.screen.includes("Tiep tuc?") || first.screen.includes("Continue?") ? this.pastNotice(await this.press("2")) : first;
  }

  async press(input: string): Promise<UssdAnswer> {
    this.history = this.history === "" ? input : `${this.history}*${input}`;
    return this.post(this.history);
  }

  /** Presses `input` and then "99" while the screen offers more: the whole screen's text, every page checked by the caller. */
  async pressAndReadAll(input: string): Promise<{ pages: UssdAnswer[]; text: string }> {
    const pages = [await this.press(input)];
    while (pages.at(-1)!.screen.includes("99. Xem them") || pages.at(-1)!.screen.includes("99. More")) {
      if (pages.length > 10) throw new Error("more than 10 pages");
      pages.push(await this.press("99"));
    }
    return { pages, text: pages.map((p) => p.screen).join("\n") };
  }

  /** Sends the previous request again, as gateways sometimes do. */
  async repeat(): Promise<UssdAnswer> {
    return this.post(this.history);
  }

  /** Several inputs in a row; returns the last screen. */
  async pressAll(...inputs: string[]): Promise<UssdAnswer> {
    let answer: UssdAnswer | undefined;
    for (const input of inputs) answer = await this.press(input);
    return answer!;
  }

  private async post(text: string): Promise<UssdAnswer> {
    const baseUrl = this.baseUrls[this.requests++ % this.baseUrls.length];
    const response = await fetch(`${baseUrl}/ussd`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ sessionId: this.sessionId, serviceCode: "*384*123#", phoneNumber: this.phone, networkCode: "45204", text }),
    });
    const body = await response.text();
    return { status: response.status, body, end: body.startsWith("END "), screen: body.replace(/^(CON|END) /, "") };
  }
}

export interface UssdAnswer {
  status: number;
  body: string;
  end: boolean;
  screen: string;
}
