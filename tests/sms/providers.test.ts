import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { africasTalkingSms } from "../../src/channels/sms/africasTalkingSms.ts";
import { esmsSms } from "../../src/channels/sms/esmsSms.ts";
import { parseAfricasTalkingDelivery } from "../../src/channels/sms/parseAfricasTalkingDelivery.ts";
import { parseEsmsDelivery } from "../../src/channels/sms/parseEsmsDelivery.ts";
import { PlatformError } from "../../src/domain/outbox/platformError.ts";
import { FakeAfricasTalkingSms } from "../helpers/fakeAfricasTalkingSms.ts";
import { FakeEsmsServer } from "../helpers/fakeEsmsServer.ts";

let at: FakeAfricasTalkingSms;
let esms: FakeEsmsServer;
beforeAll(async () => {
  at = await FakeAfricasTalkingSms.start();
  esms = await FakeEsmsServer.start();
});
afterAll(async () => {
  await at.close();
  await esms.close();
});

const failureOf = (promise: Promise<unknown>) => promise.then(() => null, (error: PlatformError) => error.failure);

describe("Africa's Talking adapter", () => {
  const provider = () => africasTalkingSms({ apiRoot: at.apiRoot, username: "sandbox", apiKey: "at-test-key", senderId: "ANSINH" });

  it("posts the form Africa's Talking expects and keeps the messageId", async () => {
    const accepted = await provider().send({ requestId: "17", to: "+84912345678", text: "AnSinh: hom nay nhan tien" });
    const call = at.calls.at(-1)!;
    expect(call.path).toBe("/version1/messaging");
    expect(call.headers.apikey).toBe("at-test-key");
    expect(call.body).toEqual({ username: "sandbox", to: "+84912345678", message: "AnSinh: hom nay nhan tien", from: "ANSINH" });
    expect(accepted).toEqual({ providerId: at.messageIdOf(call), alreadySent: false });
  });

  it("classifies refusals: recipient 5xx and HTTP 5xx retryable, blacklisted blocked, others permanent", async () => {
    at.refuse(500, "InternalServerError");
    expect(await failureOf(provider().send({ requestId: "1", to: "+84912345678", text: "x" }))).toBe("transient");
    at.refuse(406, "UserInBlacklist");
    expect(await failureOf(provider().send({ requestId: "1", to: "+84912345678", text: "x" }))).toBe("blocked");
    at.refuse(403, "InvalidPhoneNumber");
    expect(await failureOf(provider().send({ requestId: "1", to: "+84912345678", text: "x" }))).toBe("permanent");
    at.fail({ kind: "http", status: 503 });
    expect(await failureOf(provider().send({ requestId: "1", to: "+84912345678", text: "x" }))).toBe("transient");
    at.fail({ kind: "connection_closed" });
    expect(await failureOf(provider().send({ requestId: "1", to: "+84912345678", text: "x" }))).toBe("transient");
    const wrongKey = africasTalkingSms({ apiRoot: at.apiRoot, username: "sandbox", apiKey: "nope", senderId: null });
    expect(await failureOf(wrongKey.send({ requestId: "1", to: "+84912345678", text: "x" }))).toBe("permanent");
  });
});

describe("eSMS adapter", () => {
  const provider = () => esmsSms({ apiRoot: esms.apiRoot, apiKey: "esms-key", secretKey: "esms-secret", brandname: "ANSINH", callbackUrl: "https://bot.example/sms/esms/delivery" });

  it("posts eSMS's JSON (national phone, customer-care type, our id as RequestId) and keeps the SMSID", async () => {
    const accepted = await provider().send({ requestId: "42", to: "+84912345678", text: "AnSinh: hom nay nhan tien" });
    const call = esms.calls.at(-1)!;
    expect(call.path).toBe("/MainService.svc/json/SendMultipleMessage_V4_post_json/");
    expect(call.body).toEqual({
      ApiKey: "esms-key",
      SecretKey: "esms-secret",
      Phone: "0912345678",
      Content: "AnSinh: hom nay nhan tien",
      Brandname: "ANSINH",
      SmsType: "2",
      IsUnicode: 0,
      RequestId: "42",
      CallbackUrl: "https://bot.example/sms/esms/delivery",
    });
    expect(accepted).toEqual({ providerId: esms.smsIdOf(call), alreadySent: false });
  });

  it("counts a repeated RequestId (124) as already sent, and asks for Unicode only when the text needs it", async () => {
    expect(await provider().send({ requestId: "42", to: "+84912345678", text: "again" })).toEqual({ providerId: null, alreadySent: true });
    await provider().send({ requestId: "43", to: "+84912345678", text: "Nhận tiền" });
    expect(esms.calls.at(-1)!.body.IsUnicode).toBe(1);
  });

  it("classifies refusals: 99 retryable, other codes permanent", async () => {
    esms.fail({ kind: "refused", body: { CodeResult: "99", ErrorMessage: "Unknown" } });
    expect(await failureOf(provider().send({ requestId: "44", to: "+84912345678", text: "x" }))).toBe("transient");
    esms.fail({ kind: "refused", body: { CodeResult: "146", ErrorMessage: "Template not registered" } });
    expect(await failureOf(provider().send({ requestId: "45", to: "+84912345678", text: "x" }))).toBe("permanent");
    esms.fail({ kind: "http", status: 502 });
    expect(await failureOf(provider().send({ requestId: "46", to: "+84912345678", text: "x" }))).toBe("transient");
  });
});

describe("delivery reports", () => {
  it("maps Africa's Talking statuses to sent / delivered / failed with the reason", () => {
    expect(parseAfricasTalkingDelivery({ id: "ATXid_1", status: "Success", phoneNumber: "+84912345678" })).toEqual({ providerId: "ATXid_1", requestId: null, outcome: "delivered", reason: null });
    expect(parseAfricasTalkingDelivery({ id: "ATXid_1", status: "Buffered" })?.outcome).toBe("sent");
    expect(parseAfricasTalkingDelivery({ id: "ATXid_1", status: "Sent" })?.outcome).toBe("sent");
    expect(parseAfricasTalkingDelivery({ id: "ATXid_1", status: "Failed", failureReason: "AbsentSubscriber" })).toMatchObject({ outcome: "failed", reason: "Failed: AbsentSubscriber" });
    expect(parseAfricasTalkingDelivery({ id: "ATXid_1", status: "Rejected" })).toMatchObject({ outcome: "failed", reason: "Rejected: no reason given" });
    expect(parseAfricasTalkingDelivery({ id: "ATXid_1", status: "Whatever" })).toBeNull();
    expect(parseAfricasTalkingDelivery({ status: "Success" })).toBeNull();
  });

  it("maps eSMS SendStatus: 5 delivered, 4 refused, waiting ones sent", () => {
    expect(parseEsmsDelivery({ SMSID: "esms-1", SendStatus: "5", RequestId: "42", phonenumber: "0912345678" })).toEqual({ providerId: "esms-1", requestId: "42", outcome: "delivered", reason: null });
    expect(parseEsmsDelivery({ SMSID: "esms-1", SendStatus: "4" })).toMatchObject({ outcome: "failed", reason: "SendStatus 4: refused" });
    expect(parseEsmsDelivery({ SMSID: "esms-1", SendStatus: "2" })?.outcome).toBe("sent");
    expect(parseEsmsDelivery({ SMSID: "esms-1", SendStatus: "x" })).toBeNull();
    expect(parseEsmsDelivery({ SendStatus: "5" })).toBeNull();
  });
});
