import { columnMatcher, type ColumnLayout, type ColumnSpec } from "./columnLayout.ts";
import type { TableRow } from "./table.ts";

/** The columns of the commune information list: what the bot tells people about their commune office. */
const COMMUNE_LIST_COLUMNS = [
  { key: "commune", required: true, label: "Xã/phường", aliases: ["xã", "xã/phường", "phường/xã", "tên xã", "xã phường"] },
  { key: "district", required: false, label: "Huyện cũ", aliases: ["huyện", "huyện cũ"] },
  { key: "old_commune", required: false, label: "Xã cũ", aliases: ["xã cũ"] },
  { key: "office_address", required: false, label: "Địa chỉ trụ sở", aliases: ["địa chỉ", "địa chỉ trụ sở", "trụ sở", "address"] },
  { key: "office_hours", required: false, label: "Giờ làm việc", aliases: ["giờ làm việc", "thời gian làm việc", "hours"] },
  { key: "office_phone", required: false, label: "Điện thoại", aliases: ["điện thoại", "số điện thoại", "sđt", "phone"] },
  {
    key: "pay_point_schedule",
    required: false,
    label: "Lịch chi trả",
    aliases: ["lịch chi trả", "giờ chi trả", "lịch chi trả tại điểm", "schedule"],
  },
] as const satisfies readonly ColumnSpec[];

export type CommuneColumnKey = (typeof COMMUNE_LIST_COLUMNS)[number]["key"];

const matcher = columnMatcher<CommuneColumnKey>(COMMUNE_LIST_COLUMNS);
export const locateCommuneColumns: (rows: TableRow[]) => ColumnLayout<CommuneColumnKey> = matcher.locateColumns;

/** The commune fields a list sets, by column. */
export const COMMUNE_FIELD_BY_COLUMN = {
  district: "district",
  old_commune: "oldName",
  office_address: "officeAddress",
  office_hours: "officeHours",
  office_phone: "officePhone",
  pay_point_schedule: "payPointSchedule",
} as const satisfies Partial<Record<CommuneColumnKey, string>>;

/** Longest text each field may hold: what fits on a few USSD pages. */
export const COMMUNE_FIELD_MAX_LENGTH: Record<keyof typeof COMMUNE_FIELD_BY_COLUMN, number> = {
  district: 80,
  old_commune: 80,
  office_address: 200,
  office_hours: 120,
  office_phone: 40,
  pay_point_schedule: 200,
};
