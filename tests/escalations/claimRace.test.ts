import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/shared/projectPaths.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";
import { insertOpenEscalation } from "./openEscalation.ts";

// Two operators in two processes (as two service instances on one database would be) claim the
// same 60 escalations at the same moment: each escalation goes to exactly one of them.
const COUNT = 60;
let temp: TempDatabase;
let ids: number[];

beforeAll(async () => {
  temp = await tempDatabase();
  const at = new Date();
  ids = await temp.db.sql.transaction(async () => {
    const made: number[] = [];
    for (let i = 0; i < COUNT; i++) made.push(await insertOpenEscalation(temp.db.sql, "telegram", String(8000 + i), at));
    return made;
  });
});
afterAll(async () => {
  await temp.cleanup();
});

interface RaceResult {
  user: string;
  won: number[];
  lost: number[];
}

/** Starts a racer and resolves once it is ready, with a function that says go and gives its result. */
function startRacer(user: string): Promise<() => Promise<RaceResult>> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(PROJECT_ROOT, "tests/escalations/claimRacer.ts"), temp.url, user, ...ids.map(String)], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, LOG_LEVEL: "error" },
  });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const finished = new Promise<RaceResult>((resolve, reject) => {
    child.on("close", (code) => {
      const line = stdout.split("\n").find((l) => l.startsWith("{"));
      if (code !== 0 || !line) reject(new Error(`racer ${user} exited with ${code}: ${stderr}`));
      else resolve(JSON.parse(line) as RaceResult);
    });
  });
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (d) => {
      stdout += d;
      if (stdout.startsWith("ready\n")) resolve(() => (child.stdin.end("go\n"), finished));
    });
    finished.catch(reject);
  });
}

describe("claiming an escalation", () => {
  it("gives each escalation to exactly one of two operators claiming at once", async () => {
    const [goLan, goMinh] = await Promise.all([startRacer("lan"), startRacer("minh")]);
    const [lan, minh] = await Promise.all([goLan(), goMinh()]);

    expect([...lan.won, ...minh.won].sort((a, b) => a - b)).toEqual(ids);
    expect(lan.won.filter((id) => minh.won.includes(id))).toEqual([]);
    expect([...lan.lost].sort((a, b) => a - b)).toEqual(minh.won.sort((a, b) => a - b));
    expect([...minh.lost].sort((a, b) => a - b)).toEqual(lan.won.sort((a, b) => a - b));

    const rows = await temp.db.sql.all<{ id: number; status: string; assignedTo: string }>(`SELECT id, status, assignedTo FROM Escalation ORDER BY id`);
    for (const row of rows) {
      expect(row.status).toBe("claimed");
      expect(row.assignedTo).toBe(lan.won.includes(row.id) ? "lan" : "minh");
    }
    // One claim each: one audit entry and one "claimed" message per escalation, by the winner.
    const audits = await temp.db.sql.all<{ entityId: string; actorId: string }>(`SELECT entityId, actorId FROM AuditLog WHERE action = 'escalation.claimed'`);
    expect(audits).toHaveLength(COUNT);
    for (const audit of audits) expect(audit.actorId).toBe(rows.find((r) => r.id === Number(audit.entityId))!.assignedTo);
    expect(await temp.db.sql.get(`SELECT COUNT(*) AS n FROM EscalationMessage WHERE kind = 'system' AND text = 'claimed'`)).toEqual({ n: COUNT });
  });
});
