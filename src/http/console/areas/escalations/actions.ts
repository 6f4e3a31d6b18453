import type { Request, Response } from "express";
import type { DeskResult, EscalationDesk } from "../../../../domain/escalations/escalationDesk.ts";
import { MAX_NOTE_LENGTH, MAX_REASON_LENGTH, MAX_REPLY_LENGTH } from "../../../../domain/escalations/escalationDesk.ts";
import { consoleOf } from "../../area.ts";
import { sendNotFound } from "../../layout.ts";
import type { DetailProblem } from "./detail.ts";
import type { OperatorName } from "./words.ts";

type Refusal = Extract<DeskResult, { ok: false }>;

/** What an operator does from the detail page: the form's field (if any), and the desk's method. */
export interface DeskAction {
  /** The notice shown after it: notices.<notice> in console.json. */
  notice: string;
  field?: "reply" | "note" | "reason";
  run(desk: EscalationDesk, id: number, user: string, value: string): DeskResult | Promise<DeskResult>;
}

export const DESK_ACTIONS: Record<string, DeskAction> = {
  claim: { notice: "escalation_claimed", run: (desk, id, user) => desk.claim(id, user) },
  reply: { notice: "escalation_replied", field: "reply", run: (desk, id, user, text) => desk.reply(id, user, text) },
  note: { notice: "escalation_noted", field: "note", run: (desk, id, user, text) => desk.note(id, user, text) },
  resolve: { notice: "escalation_resolved", field: "reason", run: (desk, id, user, reason) => desk.resolve(id, user, reason) },
  "hand-back": { notice: "escalation_handed_back", run: (desk, id, user) => desk.handBack(id, user) },
};

const MAX_LENGTH = { reply: MAX_REPLY_LENGTH, note: MAX_NOTE_LENGTH, reason: MAX_REASON_LENGTH };
/** The form field each action's words come in. */
const FORM_FIELD = { reply: "text", note: "text", reason: "reason" } as const;

/** The desk's refusal in the page's language: who holds it, or what to write. */
function refusalText(refusal: Refusal, action: DeskAction, res: Response, name: OperatorName): string {
  const { t } = consoleOf(res);
  if (refusal.error === "invalid" && action.field) return t(`escalations.refused.invalid_${action.field}`, { max: MAX_LENGTH[action.field] });
  if (refusal.error === "claimed_by_other") return t("escalations.refused.claimed_by_another", { name: name(refusal.assignedTo ?? null) });
  return t(`escalations.refused.${refusal.error}`);
}

/**
 * Runs an action on an escalation the person may see, as them. Done: back to the escalation with a
 * notice (303). Refused: the escalation again, saying why (400 for what they wrote, 409 for its
 * state, 404 when it is gone), with their words kept.
 */
export async function runDeskAction(
  req: Request,
  res: Response,
  desk: EscalationDesk,
  action: DeskAction,
  id: number,
  showAgain: (problem: DetailProblem) => Promise<void>,
  name: OperatorName,
): Promise<void> {
  const { scope } = consoleOf(res);
  const body = (req.body ?? {}) as Record<string, unknown>;
  const given = action.field ? body[FORM_FIELD[action.field]] : "";
  const value = typeof given === "string" ? given : "";
  const result = await action.run(desk, id, scope.user.username, value);
  if (result.ok) return res.redirect(303, `/console/escalations/${id}?notice=${action.notice}`);
  if (result.error === "not_found") return sendNotFound(res);
  await showAgain({
    status: result.error === "invalid" ? 400 : 409,
    error: refusalText(result, action, res, name),
    field: result.error === "invalid" ? action.field : undefined,
    drafts: action.field ? { [action.field]: value } : {},
  });
}
