import type { BroadcastProgress } from "../../../../domain/broadcasts/broadcastProgress.ts";
import { BROADCAST_CHANNELS } from "../../../../domain/broadcasts/countReach.ts";
import type { ConsoleTranslate } from "../../../../i18n/consoleTranslator.ts";

/** The columns of the progress table, in order. */
export const PROGRESS_COLUMNS = ["sent", "delivered", "failed", "pending", "awaiting", "cancelled"] as const;
export const PROGRESS_ROWS = [...BROADCAST_CHANNELS, "total"] as const;

/**
 * A broadcast's progress as the detail page and its JSON show it: one figure per cell
 * ("telegram.sent", "ussd.awaiting", "total.pending"…), where "pending" is what is still to be
 * pushed and "awaiting" what waits for a USSD dial, and whether there is anything left to watch.
 */
export interface ProgressView {
  status: string;
  statusLabel: string;
  /** Nothing will change without a person: stop polling. */
  done: boolean;
  /** Messages out of the way (sent, shown, failed, cancelled, or handed to USSD), and all of them. */
  settled: number;
  total: number;
  summary: string;
  cells: Record<string, number>;
}

export function progressView(progress: BroadcastProgress, t: ConsoleTranslate): ProgressView {
  const cells: Record<string, number> = {};
  for (const channel of BROADCAST_CHANNELS) {
    const counts = progress.byChannel[channel] ?? { sent: 0, delivered: 0, failed: 0, pending: 0, cancelled: 0 };
    const awaiting = channel === "ussd" ? counts.pending : 0;
    Object.assign(cells, {
      [`${channel}.sent`]: counts.sent,
      [`${channel}.delivered`]: counts.delivered,
      [`${channel}.failed`]: counts.failed,
      [`${channel}.pending`]: counts.pending - awaiting,
      [`${channel}.awaiting`]: awaiting,
      [`${channel}.cancelled`]: counts.cancelled,
    });
  }
  const toPush = progress.pending - progress.awaitingDial;
  Object.assign(cells, {
    "total.sent": progress.sent,
    "total.delivered": progress.delivered,
    "total.failed": progress.failed,
    "total.pending": toPush,
    "total.awaiting": progress.awaitingDial,
    "total.cancelled": progress.cancelled,
  });
  return {
    status: progress.status,
    statusLabel: t(`broadcast_status.${progress.status}`),
    done: progress.status !== "scheduled" && progress.status !== "sending",
    settled: progress.total - toPush,
    total: progress.total,
    summary: t("broadcasts.progress_summary", { done: progress.sent + progress.delivered, total: progress.total, failed: progress.failed, awaiting: progress.awaitingDial }),
    cells,
  };
}
