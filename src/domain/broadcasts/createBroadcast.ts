import type { Sql } from "../../db/sql/sql.ts";
import { sqlTimestamp } from "../../db/sql/sqlTimestamp.ts";
import { auditWriter } from "../audit.ts";
import type { StaffScope } from "../staffScope.ts";
import { resolveAudience, type Audience } from "./audience.ts";
import { findBroadcast, type Broadcast, type BroadcastRefusal } from "./broadcastRecord.ts";

/** Long enough for a notice, short enough to read on a few USSD screens. */
export const MAX_BROADCAST_LENGTH = 1000;
const MAX_USERNAME_LENGTH = 100;

export interface CreateBroadcastInput {
  textVi: string;
  textEn?: string | null;
  audience: Partial<Audience>;
  /** The staff member's username. */
  createdBy: string;
  scope: StaffScope;
  now?: Date;
}

/** A text as it is stored and counted: line breaks as \n, no space around it. */
export const cleanBroadcastText = (text: string | null | undefined) => (text ?? "").replace(/\r\n?/g, "\n").trim();

/** A problem with who or what, or null: the texts (Vietnamese required) and the username. */
function checkAuthorAndTexts(textVi: string, textEn: string, by: string): string | null {
  if (!by) return "Say who sends the broadcast (username).";
  if (by.length > MAX_USERNAME_LENGTH) return `The username is ${by.length} characters long: keep it under ${MAX_USERNAME_LENGTH}.`;
  if (!textVi) return "Write the notice in Vietnamese (the English text is optional).";
  for (const [name, text] of [["Vietnamese", textVi], ["English", textEn]]) {
    if (text.length > MAX_BROADCAST_LENGTH) return `The ${name} text is ${text.length} characters long: keep it to ${MAX_BROADCAST_LENGTH}.`;
  }
  return null;
}

/** Saves a draft broadcast for an audience within the sender's scope, audited. Nothing is queued yet. */
export async function createBroadcast(sql: Sql, input: CreateBroadcastInput): Promise<{ ok: true; broadcast: Broadcast } | BroadcastRefusal> {
  const textVi = cleanBroadcastText(input.textVi);
  const textEn = cleanBroadcastText(input.textEn);
  const by = input.createdBy.trim();
  const problem = checkAuthorAndTexts(textVi, textEn, by);
  if (problem) return { ok: false, error: "invalid", message: problem };
  const resolved = await resolveAudience(sql, input.audience, input.scope);
  if (!resolved.ok) return { ok: false, error: resolved.error, message: resolved.message };
  const now = input.now ?? new Date();
  const at = sqlTimestamp(now);
  const audit = auditWriter(sql);
  const id = await sql.transaction(async () => {
    const { id } = (await sql.get<{ id: number }>(
      `INSERT INTO Broadcast (textVi, textEn, audience, createdBy, status, createdAt, updatedAt) VALUES (?, ?, ?, ?, 'draft', ?, ?) RETURNING id`,
      [textVi, textEn || null, JSON.stringify(resolved.audience), by, at, at],
    ))!;
    await audit({ actorKind: "staff", actorId: by, action: "broadcast.created", entity: "Broadcast", entityId: id, after: { textVi, textEn: textEn || null, audience: resolved.audience }, at: now });
    return id;
  });
  return { ok: true, broadcast: (await findBroadcast(sql, id, input.scope))! };
}
