import type http from "node:http";
import { FakeSmsServer, type SmsCall } from "./fakeSmsServer.ts";

/**
 * eSMS.vn on 127.0.0.1: POST /MainService.svc/json/SendMultipleMessage_V4_post_json/ (JSON
 * ApiKey, SecretKey, Phone, Content, Brandname, SmsType, IsUnicode, RequestId, CallbackUrl),
 * answered { CodeResult "100", SMSID } or, like eSMS, { CodeResult "124" } for a RequestId it has
 * seen (nothing sent again). Only contents matching a registered template are accepted when
 * `templates` is set (CodeResult "146").
 */
export class FakeEsmsServer extends FakeSmsServer {
  protected readonly sendPath = "/MainService.svc/json/SendMultipleMessage_V4_post_json/";
  private readonly requestIds = new Set<string>();
  private nextId = 1;

  private constructor(
    readonly apiKey: string,
    readonly secretKey: string,
  ) {
    super();
  }

  static start(apiKey = "esms-key", secretKey = "esms-secret"): Promise<FakeEsmsServer> {
    return new FakeEsmsServer(apiKey, secretKey).listen();
  }

  smsIdOf(call: SmsCall): string {
    return (call as SmsCall & { answer: any }).answer.SMSID;
  }

  protected checkCredentials(_headers: http.IncomingHttpHeaders, body: Record<string, any>): boolean {
    return body.ApiKey === this.apiKey && body.SecretKey === this.secretKey;
  }

  protected accept(body: Record<string, any>): Record<string, any> {
    const requestId = String(body.RequestId ?? "");
    if (requestId && this.requestIds.has(requestId)) return { CodeResult: "124", ErrorMessage: "RequestId da ton tai" };
    if (requestId) this.requestIds.add(requestId);
    return { CodeResult: "100", CountRegenerate: 0, SMSID: `esms-${this.nextId++}` };
  }

  protected wasAccepted(call: SmsCall): boolean {
    return (call as SmsCall & { answer: any }).answer?.CodeResult === "100";
  }
}
