import type { Request, Response } from "express";
import type { Audience } from "../../../../domain/broadcasts/audience.ts";
import { cleanBroadcastText, MAX_BROADCAST_LENGTH } from "../../../../domain/broadcasts/createBroadcast.ts";
import { PAYMENT_METHODS } from "../../../../domain/paymentMethods.ts";
import type { Services } from "../../../../services.ts";
import { consoleOf } from "../../area.ts";
import { communesInScope, positiveId } from "../../params.ts";

/** What a person typed and chose in the compose form, as they typed it (kept on a refusal). */
export interface BroadcastDraft {
  textVi: string;
  textEn: string;
  communeIds: string[];
  categories: string[];
  paymentMethods: string[];
}

export type DraftField = "textVi" | "textEn" | "categories" | "paymentMethods";

export type DraftCheck =
  | { ok: true; textVi: string; textEn: string; audience: Audience }
  /** A commune id outside the person's scope (or none at all): answered as not found. */
  | { ok: false; notFound: true }
  | { ok: false; notFound?: false; error: string; field: DraftField };

const list = (value: unknown): string[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v): v is string => typeof v === "string").slice(0, 200);
const text = (value: unknown): string => (typeof value === "string" ? value : "");

export function draftFrom(req: Request): BroadcastDraft {
  const body = (req.body ?? {}) as Record<string, unknown>;
  return {
    textVi: text(body.textVi),
    textEn: text(body.textEn),
    communeIds: list(body.communeIds),
    categories: list(body.categories),
    paymentMethods: list(body.paymentMethods),
  };
}

export const emptyDraft = (): BroadcastDraft => ({ textVi: "", textEn: "", communeIds: [], categories: [], paymentMethods: [] });

/**
 * Checks a draft against the person's scope, in their language, before the domain checks it again:
 * the texts (Vietnamese required, at most MAX_BROADCAST_LENGTH characters each), communes of their
 * scope only, categories found in those communes, known payment methods.
 */
export async function checkDraft(services: Pick<Services, "db" | "broadcasts">, res: Response, draft: BroadcastDraft): Promise<DraftCheck> {
  const { t, scope } = consoleOf(res);
  const communes = await communesInScope(services.db.sql, scope);
  const communeIds: number[] = [];
  for (const raw of draft.communeIds) {
    const id = positiveId(raw);
    if (id === null || !scope.allowsCommune(id) || !communes.some((c) => c.id === id)) return { ok: false, notFound: true };
    if (!communeIds.includes(id)) communeIds.push(id);
  }
  const textVi = cleanBroadcastText(draft.textVi);
  const textEn = cleanBroadcastText(draft.textEn);
  if (!textVi) return { ok: false, error: t("broadcasts.error.text_vi_missing"), field: "textVi" };
  if (textVi.length > MAX_BROADCAST_LENGTH) return { ok: false, error: t("broadcasts.error.text_vi_too_long", { count: textVi.length, max: MAX_BROADCAST_LENGTH }), field: "textVi" };
  if (textEn.length > MAX_BROADCAST_LENGTH) return { ok: false, error: t("broadcasts.error.text_en_too_long", { count: textEn.length, max: MAX_BROADCAST_LENGTH }), field: "textEn" };
  const known = await services.broadcasts.categories(communeIds.length ? { communeIds } : scope.staffScope);
  const categories = [...new Set(draft.categories)];
  if (categories.some((c) => !known.includes(c))) return { ok: false, error: t("broadcasts.error.bad_category"), field: "categories" };
  const paymentMethods = [...new Set(draft.paymentMethods)];
  if (paymentMethods.some((m) => !(PAYMENT_METHODS as readonly string[]).includes(m))) return { ok: false, error: t("broadcasts.error.bad_method"), field: "paymentMethods" };
  return { ok: true, textVi, textEn, audience: { communeIds, categories, paymentMethods } };
}

/** "2026-12-01T08:30" (datetime-local, Vietnam time, UTC+7 all year) as an instant; null when not one. */
export function parseVietnamDateTime(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return null;
  const at = new Date(`${value}:00+07:00`);
  // 30 February and 24:61 either fail to parse or come back as another day: both are refused.
  return Number.isNaN(at.getTime()) || vietnamDateTimeValue(at) !== value ? null : at;
}

/** An instant as a datetime-local value in Vietnam time. */
export function vietnamDateTimeValue(at: Date): string {
  return new Date(at.getTime() + 7 * 3600_000).toISOString().slice(0, 16);
}
