import type { ConsoleTranslate } from "../../i18n/consoleTranslator.ts";

const MINUTE = 60_000;

/** How long something has waited, in the two largest units that matter: "2 ngày 3 giờ", "45 phút". */
export function formatDuration(ms: number, t: ConsoleTranslate): string {
  const minutes = Math.floor(Math.max(0, ms) / MINUTE);
  if (minutes < 1) return t("duration.under_a_minute");
  if (minutes < 60) return t("duration.minutes", { count: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return [t("duration.hours", { count: hours }), minutes % 60 ? t("duration.minutes", { count: minutes % 60 }) : ""].filter(Boolean).join(" ");
  const days = Math.floor(hours / 24);
  return [t("duration.days", { count: days }), hours % 24 ? t("duration.hours", { count: hours % 24 }) : ""].filter(Boolean).join(" ");
}
