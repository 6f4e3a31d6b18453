import { columnMatcher, isLayoutRow as isLayoutRowOf, type ColumnLayout, type ColumnSpec } from "./columnLayout.ts";
import type { TableRow } from "./table.ts";
import { BENEFICIARY_CODE_COLUMN, PERIOD_COLUMN } from "./sharedColumns.ts";

/**
 * The columns of a payment results file: what the bank, the mobile-money provider or the post
 * office reports for each payment of a period. The key itself (with _ or spaces) is always
 * accepted too. In a results file "Ngày chi trả" is the day the money actually went out.
 */
const RESULT_LIST_COLUMNS = [
  BENEFICIARY_CODE_COLUMN,
  PERIOD_COLUMN,
  {
    key: "status",
    required: true,
    label: "Kết quả chi trả",
    aliases: ["trạng thái", "trạng thái chi trả", "kết quả", "kết quả chi trả", "tình trạng", "tình trạng chi trả", "result"],
  },
  {
    key: "paid_at",
    required: false,
    label: "Ngày chi trả",
    aliases: [
      "ngày chi trả",
      "ngày chi",
      "ngày trả",
      "ngày giờ chi trả",
      "thời gian chi trả",
      "thời điểm chi trả",
      "ngày thanh toán",
      "ngày chi trả thực tế",
      "paid date",
    ],
  },
  {
    key: "reference",
    required: false,
    label: "Mã giao dịch",
    aliases: ["mã giao dịch", "số giao dịch", "mã tham chiếu", "số tham chiếu", "số chứng từ", "mã chứng từ", "ref", "transaction id"],
  },
  {
    key: "failure_reason",
    required: false,
    label: "Lý do",
    aliases: ["lý do", "lý do không thành công", "lý do lỗi", "lý do trả lại", "lý do hoàn trả", "nguyên nhân", "reason"],
  },
] as const satisfies readonly ColumnSpec[];

export type ResultColumnKey = (typeof RESULT_LIST_COLUMNS)[number]["key"];

const matcher = columnMatcher<ResultColumnKey>(RESULT_LIST_COLUMNS);

/** Finds the header row and where each column is. Throws ImportFileError when required columns are missing. */
export const locateResultColumns: (rows: TableRow[]) => ColumnLayout<ResultColumnKey> = matcher.locateColumns;

/** The column-number row under the header and the total row at the bottom: no payment on them. */
export function isResultLayoutRow(row: TableRow, layout: ColumnLayout<ResultColumnKey>): boolean {
  return isLayoutRowOf(row, layout, "beneficiary_code");
}
