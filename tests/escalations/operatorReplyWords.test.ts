import { describe, expect, it } from "vitest";
import { EscalationEvents, type EscalationEvent } from "../../src/domain/escalations/escalationEvents.ts";
import { OutboxText } from "../../src/domain/outbox/outboxText.ts";
import { createTranslator } from "../../src/i18n/translator.ts";
import { LOCALES_DIR } from "../../src/shared/projectPaths.ts";
import { tempDatabase } from "../helpers/tempDatabase.ts";

describe("the words of an operator's reply", () => {
  it("says it is from a staff member, in the person's language, with the operator's text as written", async () => {
    const temp = await tempDatabase();
    try {
      const words = new OutboxText(temp.db.sql, createTranslator(LOCALES_DIR).translate);
      const row = (locale: string, text: string | null) => ({ id: 1, channel: "zalo", externalId: "z1", identityId: null, paymentId: null, methodChangeId: null, kind: "operator_reply", locale, text, attempts: 1, deliveryRetries: 0 });
      const now = new Date();
      expect(await words.wordsFor(row("vi", "Chào bác"), now)).toBe("Cán bộ trả lời: Chào bác");
      expect(await words.wordsFor(row("en", "Hello"), now)).toBe("Staff reply: Hello");
      // Nothing in the operator's text is read as a placeholder or a nested sentence.
      expect(await words.wordsFor(row("vi", "{{text}} $t(notice.paid) <b>"), now)).toBe("Cán bộ trả lời: {{text}} $t(notice.paid) <b>");
      expect(await words.wordsFor(row("vi", null), now)).toBeNull();
    } finally {
      await temp.cleanup();
    }
  });
});

describe("the escalation event hub", () => {
  it("tells every listener after the current work, even when one of them fails, and stops when asked", async () => {
    const hub = new EscalationEvents();
    const heard: string[] = [];
    hub.on("escalation.created", () => {
      throw new Error("a broken page");
    });
    const stop = hub.subscribe((event: EscalationEvent) => heard.push(`${event.type}:${event.id}`));
    hub.publish({ type: "escalation.created", id: 1, communeId: null });
    hub.publish({ type: "escalation.message", id: 1, communeId: 3, messageId: 9, kind: "person" });
    // Published inside a transaction, heard after it.
    expect(heard).toEqual([]);
    await Promise.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(heard).toEqual(["escalation.created:1", "escalation.message:1"]);
    stop();
    hub.publish({ type: "escalation.updated", id: 1, communeId: null, status: "resolved" });
    await new Promise((resolve) => setImmediate(resolve));
    expect(heard).toHaveLength(2);
  });
});
