import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/testServer.ts";
import { DEMO, signedIn } from "../helpers/consoleClient.ts";

// 2026-12-09 10:00 in Vietnam; the breach was found at 08:00 the day before: 46 hours left.
const NOW = new Date("2026-12-09T03:00:00Z");
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ clock: () => NOW });
});
afterAll(async () => {
  await server.close();
});

describe("the breach register", () => {
  it("admins record a breach, see the 72 hours counted and the people the tables held; staff cannot", async () => {
    const staff = await signedIn(server.baseUrl, DEMO.staffBacSon);
    expect((await staff.get("/console/admin/breaches")).status).toBe(403);
    const admin = await signedIn(server.baseUrl, DEMO.admin);
    const recorded = await admin.post("/console/admin/breaches", { detectedAt: "2026-12-08T08:00", description: "Laptop with a payment list stolen", tables: ["Payment"] });
    expect(recorded.status).toBeLessThan(400);
    const list = await admin.get("/console/admin/breaches");
    expect(list.text).toContain("Laptop with a payment list stolen");
    expect(list.text).toContain("Còn 46 giờ để báo cáo");
    const { id } = (await server.services.db.sql.get<{ id: number }>(`SELECT id FROM DataBreach`))!;
    const detail = await admin.get(`/console/admin/breaches/${id}`);
    const payees = Number((await server.services.db.sql.get<{ n: number }>(`SELECT COUNT(DISTINCT beneficiaryId) AS n FROM Payment`))!.n);
    expect(detail.text).toContain(`(${payees})`);
    expect(detail.text).toContain("Nguyễn Văn An (DEMO)");
    await admin.post(`/console/admin/breaches/${id}/reported`);
    expect((await admin.get("/console/admin/breaches")).text).toContain("Đã báo cáo lúc");
    expect(await server.services.db.sql.all(`SELECT action FROM AuditLog WHERE entity = 'DataBreach' ORDER BY id`)).toEqual([{ action: "breach.recorded" }, { action: "breach.reported" }]);
  });
});
