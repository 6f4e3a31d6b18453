// One operator's console in its own process: claims every escalation it is given, as fast as it
// can, once told to go. Two of these on one database (a SQLite file or PostgreSQL) race for the same rows.
// Usage: node --import tsx claimRacer.ts DATABASE_URL USERNAME ID...
import readline from "node:readline";
import { openDatabase } from "../../src/db/database.ts";
import { EscalationDesk } from "../../src/domain/escalations/escalationDesk.ts";
import { EscalationEvents } from "../../src/domain/escalations/escalationEvents.ts";
import { PaymentStore } from "../../src/domain/store/paymentStore.ts";
import { PeopleStore } from "../../src/domain/store/peopleStore.ts";

const [url, user, ...ids] = process.argv.slice(2);
const db = await openDatabase(url);
const desk = new EscalationDesk({ sql: db.sql, events: new EscalationEvents(), people: new PeopleStore(db.sql), payments: new PaymentStore(db.sql), clock: () => new Date() });
process.stdout.write("ready\n");
const input = readline.createInterface({ input: process.stdin });
input.once("line", async () => {
  const won: number[] = [];
  const lost: number[] = [];
  for (const id of ids.map(Number)) {
    const result = await desk.claim(id, user);
    if (result.ok) won.push(id);
    else if (result.error === "claimed_by_other") lost.push(id);
    else throw new Error(`unexpected refusal: ${result.message}`);
  }
  process.stdout.write(`${JSON.stringify({ user, won, lost })}\n`);
  input.close();
  await db.close();
});
