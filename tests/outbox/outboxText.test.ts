import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OutboxText } from "../../src/domain/outbox/outboxText.ts";
import { createTranslator } from "../../src/i18n/translator.ts";
import { LOCALES_DIR } from "../../src/shared/projectPaths.ts";
import { startTestServer, type TestServer } from "../helpers/testServer.ts";

let server: TestServer;
let words: OutboxText;
let paymentId: number;
const now = new Date("2026-12-06T03:00:00Z");

beforeAll(async () => {
  server = await startTestServer();
  words = new OutboxText(server.services.db.sql, createTranslator(LOCALES_DIR).translate);
  paymentId = (await server.services.db.sql.get<{ id: number }>(
    `SELECT p.id FROM Payment p JOIN Beneficiary b ON b.id = p.beneficiaryId JOIN PaymentPeriod pp ON pp.id = p.periodId WHERE b.code = 'DEMO-0002' AND pp.period = '2026-12'`,
  ))!.id;
});
afterAll(() => server.close());

const row = (kind: string, locale = "vi") => ({ id: 1, channel: "telegram", externalId: "1", identityId: 1, paymentId, methodChangeId: null, kind, locale, text: null, attempts: 1, deliveryRetries: 0 });
const setPayment = (status: string, paidAt: string | null, failureReason: string | null) =>
  server.services.db.sql.run(`UPDATE Payment SET status = ?, paidAt = ?, failureReason = ? WHERE id = ?`, [status, paidAt, failureReason, paymentId]);

describe("the words of payment-result messages", async () => {
  it("says where the money went, masked, and in English too", async () => {
    await setPayment("paid", "2026-12-05T02:00:00.000+00:00", null);
    expect(await words.wordsFor(row("payment_paid"), now)).toBe(
      "Trợ cấp kỳ 12/2026 của Hoàng Thị Bình (DEMO) (1.250.000 đ) đã chi trả ngày 05/12/2026.\nTiền đã vào Agribank ***6789.",
    );
    expect(await words.wordsFor(row("payment_paid", "en"), now)).toContain("was paid on 05/12/2026");
  });

  it("never leaves an empty slot when the list gave no date or no reason", async () => {
    await setPayment("paid", null, null);
    expect(await words.wordsFor(row("payment_paid"), now)).toContain("đã được chi trả.");
    await setPayment("failed", null, null);
    expect(await words.wordsFor(row("payment_failed"), now)).toContain("chưa chi trả được: chưa rõ lý do.");
    await setPayment("returned", null, "Tài khoản đã đóng");
    expect(await words.wordsFor(row("payment_returned"), now)).toContain("bị trả lại: Tài khoản đã đóng.");
    expect(await words.wordsFor(row("payment_returned"), now)).toContain("gặp cán bộ");
  });

  it("drops a result message whose payment has since changed status", async () => {
    await setPayment("paid", "2026-12-05T02:00:00.000+00:00", null);
    expect(await words.wordsFor(row("payment_failed"), now)).toBeNull();
  });
});
