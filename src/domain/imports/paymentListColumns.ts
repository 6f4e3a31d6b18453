import { columnMatcher, isLayoutRow as isLayoutRowOf, type ColumnLayout, type ColumnSpec } from "./columnLayout.ts";
import type { TableRow } from "./table.ts";
import { BENEFICIARY_CODE_COLUMN, PERIOD_COLUMN } from "./sharedColumns.ts";

export { columnLetter,  type ColumnLayout } from "./columnLayout.ts";

/** The columns of a monthly payment list. The key itself (with _ or spaces) is always accepted too. */
const PAYMENT_LIST_COLUMNS = [
  BENEFICIARY_CODE_COLUMN,
  { key: "full_name", required: true, label: "Họ và tên", aliases: ["họ và tên", "họ tên", "tên đối tượng", "full name", "name"] },
  { key: "date_of_birth", required: true, label: "Ngày sinh", aliases: ["ngày sinh", "ngày tháng năm sinh", "dob", "birth date"] },
  {
    key: "citizen_id",
    required: true,
    label: "Số CCCD",
    aliases: ["số cccd", "cccd", "số định danh", "số định danh cá nhân", "số cccd/cmnd", "cccd/cmnd", "citizen id"],
  },
  { key: "commune", required: true, label: "Xã/phường", aliases: ["xã", "xã/phường", "phường/xã", "xã phường"] },
  { key: "category", required: true, label: "Loại đối tượng", aliases: ["đối tượng", "loại đối tượng", "nhóm đối tượng", "diện đối tượng"] },
  PERIOD_COLUMN,
  { key: "amount", required: true, label: "Số tiền", aliases: ["số tiền", "số tiền chi trả", "thành tiền", "tổng số tiền"] },
  { key: "pay_date", required: true, label: "Ngày chi trả", aliases: ["ngày chi trả", "ngày chi"] },
  {
    key: "payment_method",
    required: true,
    label: "Hình thức chi trả",
    aliases: ["hình thức", "hình thức chi trả", "phương thức", "phương thức chi trả", "method"],
  },
  { key: "sex", required: false, label: "Giới tính", aliases: ["giới tính", "gender"] },
  { key: "phone", required: false, label: "Số điện thoại", aliases: ["số điện thoại", "sđt", "điện thoại", "số đt"] },
  { key: "village", required: false, label: "Thôn/bản", aliases: ["thôn", "thôn/bản", "thôn bản", "bản"] },
  { key: "district", required: false, label: "Huyện cũ", aliases: ["huyện", "huyện cũ"] },
  { key: "old_commune", required: false, label: "Xã cũ", aliases: ["xã cũ"] },
  {
    key: "monthly_amount",
    required: false,
    label: "Mức hưởng",
    aliases: ["mức hưởng", "trợ cấp hàng tháng", "mức trợ cấp", "mức trợ cấp hàng tháng"],
  },
  { key: "coefficient", required: false, label: "Hệ số", aliases: ["hệ số"] },
  { key: "back_pay", required: false, label: "Truy lĩnh", aliases: ["truy lĩnh", "số tiền truy lĩnh"] },
  { key: "account_provider", required: false, label: "Ngân hàng", aliases: ["ngân hàng", "đơn vị cung cấp", "tên ngân hàng", "provider"] },
  { key: "account_number", required: false, label: "Số tài khoản", aliases: ["số tài khoản", "stk", "tài khoản"] },
  { key: "pay_point", required: false, label: "Điểm chi trả", aliases: ["điểm chi trả"] },
  {
    key: "guardian_name",
    required: false,
    label: "Người nhận thay",
    aliases: ["người giám hộ", "người nhận thay", "họ tên người nhận thay", "guardian"],
  },
  {
    key: "guardian_phone",
    required: false,
    label: "SĐT người nhận thay",
    aliases: ["sđt người nhận thay", "số điện thoại người nhận thay", "sđt người giám hộ"],
  },
  {
    key: "guardian_citizen_id",
    required: false,
    label: "CCCD người nhận thay",
    aliases: ["cccd người nhận thay", "số cccd người nhận thay", "cccd người giám hộ"],
  },
  { key: "guardian_relation", required: false, label: "Quan hệ", aliases: ["quan hệ", "quan hệ với đối tượng", "relation"] },
] as const satisfies readonly ColumnSpec[];

export type ColumnKey = (typeof PAYMENT_LIST_COLUMNS)[number]["key"];


const matcher = columnMatcher<ColumnKey>(PAYMENT_LIST_COLUMNS);

/** The payment-list column a header names, if any. */
export const columnKeyForHeader = matcher.columnKeyForHeader;

/** Finds the header row and where each column is. Throws ImportFileError when required columns are missing. */
export const locateColumns: (rows: TableRow[]) => ColumnLayout<ColumnKey> = matcher.locateColumns;

/** The column-number row under the header and the total row at the bottom: no beneficiary on them. */
export function isLayoutRow(row: TableRow, layout: ColumnLayout<ColumnKey>): boolean {
  return isLayoutRowOf(row, layout, "beneficiary_code");
}
