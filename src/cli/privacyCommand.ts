import fs from "node:fs";
import type { Command } from "commander";
import { loadConfig } from "../config.ts";
import { secretFor } from "../db/secretFor.ts";
import { applyRetention } from "../domain/privacy/applyRetention.ts";
import { erasePersonalData } from "../domain/privacy/erasePersonalData.ts";
import { exportPersonalData } from "../domain/privacy/exportPersonalData.ts";
import { hashCitizenId, normalizeCitizenId } from "../shared/citizenId.ts";
import type { AppDatabase } from "../db/database.ts";
import { withDatabase } from "./withDatabase.ts";

/** Whoever runs the command, as the audit row names them. */
function actor() {
  return { kind: "staff" as const, id: `cli:${loadConfig().cliUser ?? "unknown"}` };
}

/** The beneficiary with this citizen ID (matched by its keyed hash: the number itself is stored nowhere). */
async function beneficiaryIdOf(db: AppDatabase, citizenId: string): Promise<number | null> {
  const hash = hashCitizenId(normalizeCitizenId(citizenId), secretFor(db));
  const row = await db.sql.get<{ id: number }>(`SELECT id FROM Beneficiary WHERE citizenIdHash = ?`, [hash]);
  if (!row) {
    process.stdout.write("No beneficiary has that citizen ID.\n");
    process.exitCode = 1;
    return null;
  }
  return row.id;
}

/** Personal data rights (Law 91/2025/QH15) from the command line: access, erasure, retention. */
export function registerPrivacy(program: Command): void {
  const command = program.command("privacy").description("personal data rights: export (access), erase, and the retention job");
  command
    .command("export <file>")
    .description("write everything held about one person to FILE (JSON) and FILE with .html (readable); audited. An existing file is never overwritten.")
    .requiredOption("--citizen-id <id>", "the beneficiary's citizen ID (12 digits)")
    .action((file: string, options: { citizenId: string }) =>
      withDatabase(async (db) => {
        const htmlFile = file.replace(/\.json$/i, "") + ".html";
        for (const f of [file, htmlFile]) if (fs.existsSync(f)) throw new Error(`${f} exists: choose another name (an export is never overwritten)`);
        const id = await beneficiaryIdOf(db, options.citizenId);
        if (id === null) return;
        const data = (await exportPersonalData(db.sql, { beneficiaryId: id }, { actor: actor(), now: new Date() }))!;
        fs.writeFileSync(file, JSON.stringify(data.json, null, 2), { flag: "wx", mode: 0o600 });
        fs.writeFileSync(htmlFile, data.html, { flag: "wx", mode: 0o600 });
        const counts = Object.entries(data.json.sections).map(([k, v]) => `${k} ${v.length}`).join(", ");
        process.stdout.write(`Wrote ${file} and ${htmlFile} (${counts}). It holds personal data: hand it only to the person.\n`);
      }),
    );
  command
    .command("erase")
    .description("remove what the law does not require to be kept about one person (transcripts, chat links, phone if not on the list); audited")
    .requiredOption("--citizen-id <id>", "the beneficiary's citizen ID (12 digits)")
    .action((options: { citizenId: string }) =>
      withDatabase(async (db) => {
        const id = await beneficiaryIdOf(db, options.citizenId);
        if (id === null) return;
        const r = (await erasePersonalData(db.sql, id, { actor: actor(), now: new Date() }))!;
        process.stdout.write(
          `Erased: ${r.transcriptLines} transcript lines, ${r.chatLinks} chat links, ${r.escalationTranscripts} escalation transcripts, ` +
            `the words of ${r.messagesStripped} messages sent${r.phoneRemoved ? ", the phone number (not on the current list)" : ""}.\n${r.kept}\n`,
        );
      }),
    );
  command
    .command("retention")
    .description("apply the retention period now (RETENTION_DAYS, default 365), as the service does daily")
    .action(() =>
      withDatabase(async (db) => {
        const r = await applyRetention(db.sql, { now: new Date(), days: loadConfig().retentionDays });
        process.stdout.write(`Deleted ${r.transcriptLines} transcript lines and ${r.inboundUpdates} inbound updates; stripped the words of ${r.messagesStripped} messages.\n`);
      }),
    );
}
