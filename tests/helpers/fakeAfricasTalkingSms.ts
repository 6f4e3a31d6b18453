import type http from "node:http";
import { FakeSmsServer, type SmsCall } from "./fakeSmsServer.ts";

/**
 * Africa's Talking's SMS API on 127.0.0.1: POST /version1/messaging (form username, to, message,
 * from; header apiKey), answered 201 with SMSMessageData.Recipients[0] { status "Success",
 * statusCode 101, messageId "ATXid_…" }. `refuse(statusCode, status)` makes the next send fail at
 * the recipient level (e.g. 406 UserInBlacklist, 500 InternalServerError).
 */
export class FakeAfricasTalkingSms extends FakeSmsServer {
  protected readonly sendPath = "/version1/messaging";
  protected readonly okStatus = 201;
  private nextId = 1;

  private constructor(
    readonly username: string,
    readonly apiKey: string,
  ) {
    super();
  }

  static start(username = "sandbox", apiKey = "at-test-key"): Promise<FakeAfricasTalkingSms> {
    return new FakeAfricasTalkingSms(username, apiKey).listen();
  }

  refuse(statusCode: number, status: string, times = 1): void {
    this.fail({ kind: "refused", body: { SMSMessageData: { Message: "Sent to 0/1 Total Cost: 0", Recipients: [{ statusCode, number: "", status, cost: "0", messageId: "None" }] } } }, times);
  }

  /** The messageId the fake gave the n-th accepted send. */
  messageIdOf(call: SmsCall): string {
    return (call as SmsCall & { answer: any }).answer.SMSMessageData.Recipients[0].messageId;
  }

  protected checkCredentials(headers: http.IncomingHttpHeaders, body: Record<string, any>): boolean {
    return headers.apikey === this.apiKey && body.username === this.username;
  }

  protected accept(body: Record<string, any>): Record<string, any> {
    const messageId = `ATXid_${this.nextId++}`;
    return { SMSMessageData: { Message: "Sent to 1/1 Total Cost: KES 0.8000", Recipients: [{ statusCode: 101, number: body.to, status: "Success", cost: "KES 0.8000", messageId }] } };
  }

  protected wasAccepted(call: SmsCall): boolean {
    return (call as SmsCall & { answer: any }).answer?.SMSMessageData?.Recipients?.[0]?.status === "Success";
  }
}
