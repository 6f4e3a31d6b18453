import fs from "node:fs";
import path from "node:path";
import type { AppDatabase } from "../../db/database.ts";
import { sqlTimestamp } from "../../db/sql/sqlTimestamp.ts";
import type { Row } from "../../db/query/tables.ts";
import { formatPeriod, formatVietnamDateTime, parsePeriod } from "../../shared/dates.ts";
import { log } from "../../shared/log.ts";
import { nationalPhone } from "../../shared/phone.ts";
import { unseal } from "../../shared/secrets.ts";
import { csvBytes, exportKind, writeNewFile, xlsxBytes } from "./writeTableFile.ts";

/** The columns of the file, in order. `period` is the payment list the changes are to be applied in. */
export const METHOD_CHANGE_EXPORT_COLUMNS = [
  "period",
  "beneficiary_code",
  "full_name",
  "commune",
  "requested_method",
  "account_provider",
  "account_number",
  "wallet_phone",
  "home_reason",
  "request_reference",
  "approved_at",
  "approved_by",
] as const;

export interface MethodChangeExportOptions {
  /** yyyy-mm (mm/yyyy accepted): the payment list the labour office is to apply the changes in. */
  period: string;
  /** Where to write: .csv or .xlsx. Must not exist yet. */
  file: string;
  /** The deployment secret: opens the sealed account numbers. */
  secret: Buffer;
  /** Count what would be exported; write no file and mark nothing. */
  dryRun?: boolean;
  now?: Date;
}

export interface MethodChangeExportResult {
  period: string;
  /** Requests written (or, in a dry run, that would be). */
  count: number;
  byMethod: Record<string, number>;
  /** The file written; null in a dry run or when there was nothing to export. */
  file: string | null;
  dryRun: boolean;
}

/** A problem the person running the export can fix (bad period, file type, existing file); nothing was written or marked. */
export class ExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ExportError";
  }
}

const MARK_EXPORTED = `UPDATE MethodChangeRequest SET status = 'exported', updatedAt = ? WHERE id = ? AND status = 'approved'`;
const AUDIT_EXPORTED = `INSERT INTO AuditLog (actorKind, actorId, action, entity, entityId, before, after, createdAt)
  VALUES ('system', 'export:method-changes', 'method_change.exported', 'MethodChangeRequest', ?, ?, ?, ?)`;

type ApprovedRow = Pick<
  Row<"MethodChangeRequest">,
  "id" | "reference" | "requestedMethod" | "accountProvider" | "accountNumberSealed" | "walletPhone" | "homeReason" | "decidedAt" | "decidedBy"
> &
  Pick<Row<"Beneficiary">, "code" | "fullName"> & { commune: string };

/**
 * Writes the method-change requests staff approved to a CSV or XLSX file for the labour office,
 * which applies them in the payment list of the period, then marks them exported (each audited)
 * in one transaction, only once the file is complete. The file holds the full account numbers,
 * opened with the secret: the labour office needs them to pay. They are never printed or logged.
 * A second run finds nothing new to export; an existing file is never overwritten.
 */
export async function exportMethodChanges(db: AppDatabase, options: MethodChangeExportOptions): Promise<MethodChangeExportResult> {
  const period = /^\d{4}-\d{1,2}$|^\d{1,2}\/\d{4}$/.test(options.period.trim()) ? parsePeriod(options.period) : null;
  if (!period) throw new ExportError(`--period "${options.period}" is not a period: write yyyy-mm, e.g. 2026-12`);
  const kind = exportKind(options.file);
  if (!kind) throw new ExportError(`Cannot write "${path.basename(options.file)}": the file name must end in .csv or .xlsx`);
  const dryRun = options.dryRun ?? false;
  if (!dryRun && fs.existsSync(options.file)) {
    throw new ExportError(`${options.file} already exists: give a new file name (an earlier export is never overwritten)`);
  }

  const sql = db.sql;
  const approved = await sql.all<ApprovedRow>(
      `SELECT r.id, r.reference, b.code, b.fullName, c.name AS commune, r.requestedMethod, r.accountProvider, r.accountNumberSealed,
              r.walletPhone, r.homeReason, r.decidedAt, r.decidedBy
       FROM MethodChangeRequest r JOIN Beneficiary b ON b.id = r.beneficiaryId JOIN Commune c ON c.id = b.communeId
       WHERE r.status = 'approved' ORDER BY c.name, b.code, r.id`,
  );
  const byMethod: Record<string, number> = {};
  for (const row of approved) byMethod[row.requestedMethod] = (byMethod[row.requestedMethod] ?? 0) + 1;
  const result: MethodChangeExportResult = { period, count: approved.length, byMethod, file: null, dryRun };
  if (dryRun || approved.length === 0) return result;

  const rows = approved.map((row) => [
    period,
    row.code,
    row.fullName,
    row.commune,
    row.requestedMethod,
    row.accountProvider ?? "",
    row.accountNumberSealed ? openAccount(row, options.secret) : "",
    row.walletPhone ? nationalPhone(row.walletPhone) : "",
    row.homeReason ?? "",
    row.reference,
    row.decidedAt ? formatVietnamDateTime(new Date(row.decidedAt)) : "",
    row.decidedBy ?? "",
  ]);
  const bytes =
    kind === "csv"
      ? csvBytes(METHOD_CHANGE_EXPORT_COLUMNS, rows)
      : await xlsxBytes(`Đổi hình thức chi trả ${formatPeriod(period).replace("/", "-")}`, METHOD_CHANGE_EXPORT_COLUMNS, rows);
  writeNewFile(options.file, bytes);

  const at = sqlTimestamp(options.now ?? new Date());
  try {
    await sql.transaction(async () => {
      for (const row of approved) {
        if ((await sql.run(MARK_EXPORTED, [at, row.id])).changes !== 1) {
          throw new ExportError(`Request ${row.reference} changed while the file was written: nothing was marked; run the export again.`);
        }
        await sql.run(AUDIT_EXPORTED, [String(row.id), JSON.stringify({ status: "approved" }), JSON.stringify({ status: "exported", period, file: path.basename(options.file) }), at]);
      }
    });
  } catch (error) {
    fs.rmSync(options.file, { force: true }); // a file whose requests are not marked would be applied twice
    throw error;
  }
  result.file = options.file;
  log.info("method changes exported", { period, count: approved.length, file: path.basename(options.file) });
  return result;
}

function openAccount(row: ApprovedRow, secret: Buffer): string {
  try {
    return unseal(row.accountNumberSealed!, secret);
  } catch {
    throw new ExportError(
      `The account number of request ${row.reference} cannot be opened with this secret: is ANSINH_SECRET (or data/secret.key) ` +
        `the one in use when it was recorded? Nothing was written.`,
    );
  }
}
