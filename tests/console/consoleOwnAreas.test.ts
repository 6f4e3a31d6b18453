import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import express, { Router } from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { createDemoConsoleAccountsIfNone } from "../../src/demo/demoConsoleAccounts.ts";
import type { ConsoleArea } from "../../src/http/console/area.ts";
import { adminAuditArea } from "../../src/http/console/areas/adminAudit.ts";
import { adminUsersArea } from "../../src/http/console/areas/adminUsers.ts";
import { dashboardArea } from "../../src/http/console/areas/dashboard.ts";
import { peopleArea } from "../../src/http/console/areas/people.ts";
import { createConsoleRouter } from "../../src/http/console/createConsoleRouter.ts";
import type { Services } from "../../src/services.ts";
import { ConsoleClient, DEMO, sqlValue } from "../helpers/consoleClient.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";
import { addBeneficiary, addCommune } from "../broadcasts/broadcastFixture.ts";

// The console's own areas (login, people, dashboard, accounts, audit log) served on the suite's
// database alone, without the rest of the services: on PostgreSQL too (TEST_DATABASE=postgres).
let temp: TempDatabase;
let server: Server;
let baseUrl: string;

// An area whose handler fails after waiting: its rejection must reach the console's error page.
const failingArea: ConsoleArea<never> = {
  path: "/failing",
  navKey: "nav.home",
  roles: ["admin"],
  inNav: false,
  router() {
    const router = Router();
    router.get("/", async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw new Error("the database went away");
    });
    return router;
  },
};

beforeAll(async () => {
  temp = await tempDatabase();
  const sql = temp.db.sql;
  const bacSon = await addCommune(sql, "Bắc Sơn");
  const trangDinh = await addCommune(sql, "Tràng Định");
  await addBeneficiary(sql, { communeId: bacSon, fullName: "Nguyễn Văn Đức" });
  await addBeneficiary(sql, { communeId: trangDinh, fullName: "Nguyễn Thị Hoà" });
  await createDemoConsoleAccountsIfNone(sql);
  const services = { db: temp.db, config: loadConfig(), clock: () => new Date() } as unknown as Services;
  const app = express();
  app.use("/console", createConsoleRouter(services, { areas: [dashboardArea, peopleArea, adminUsersArea, adminAuditArea, failingArea], loginDelay: async () => {} }));
  server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await temp.cleanup();
});

describe("the console's own areas on the suite's database", () => {
  it("log in, search people without diacritics within the staff member's communes, open one, see the dashboard, log out", async () => {
    const staff = new ConsoleClient(baseUrl);
    await staff.login(DEMO.staffBacSon.username, DEMO.staffBacSon.password);
    const found = await staff.get("/console/people?q=nguyen+van+duc");
    expect(found.status).toBe(200);
    expect(found.text).toContain("Nguyễn Văn Đức");
    const all = await staff.get("/console/people?q=NGUYEN");
    expect(all.text).toContain("Nguyễn Văn Đức");
    expect(all.text).not.toContain("Nguyễn Thị Hoà");
    const id = await sqlValue(temp.db.sql, `SELECT id FROM Beneficiary WHERE fullName = ?`, ["Nguyễn Thị Hoà"]);
    expect((await staff.get(`/console/people/${id}`)).status).toBe(404);
    const dashboard = await staff.get("/console/dashboard?period=2026-12");
    expect(dashboard.status).toBe(200);
    expect(await sqlValue(temp.db.sql, `SELECT COUNT(*) FROM AuditLog WHERE action = 'dashboard.viewed' AND actorId = 'demo-staff'`)).toBe(1);
    const out = await staff.post("/console/logout");
    expect(out.status).toBe(303);
    expect((await staff.get("/console/people")).location).toMatch(/^\/console\/login/);
  });

  it("lets an admin create an account and find it in the audit log", async () => {
    const admin = new ConsoleClient(baseUrl);
    await admin.login(DEMO.admin.username, DEMO.admin.password);
    const created = await admin.post("/console/admin/users", { username: "lan", displayName: "Nguyễn Thị Lan", role: "staff", commune: "bac son" });
    expect(created.status).toBe(200);
    expect((await admin.get("/console/admin/users")).text).toContain("Nguyễn Thị Lan");
    const log = await admin.get("/console/admin/audit?action=CONSOLE_USER.");
    expect(log.text).toContain("console_user.created");
  });

  it("counts a failed login on the account, and a good one clears it", async () => {
    const client = new ConsoleClient(baseUrl);
    expect((await client.submitLogin(DEMO.operator.username, "not the password")).status).toBe(401);
    expect(await sqlValue(temp.db.sql, `SELECT failedLogins FROM ConsoleUser WHERE username = ?`, [DEMO.operator.username])).toBe(1);
    expect((await client.submitLogin(DEMO.operator.username, DEMO.operator.password)).status).toBe(303);
    expect(await sqlValue(temp.db.sql, `SELECT failedLogins FROM ConsoleUser WHERE username = ?`, [DEMO.operator.username])).toBe(0);
  });

  it("answers a handler's rejected promise with the error page, and keeps serving", async () => {
    const admin = new ConsoleClient(baseUrl);
    await admin.login(DEMO.admin.username, DEMO.admin.password);
    const failed = await admin.get("/console/failing");
    expect(failed.status).toBe(503);
    expect((await admin.get("/console/")).status).toBe(200);
  });
});
