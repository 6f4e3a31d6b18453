/** Columns that every list naming payments has, headed the same way in each. */
export const BENEFICIARY_CODE_COLUMN = {
  key: "beneficiary_code",
  required: true,
  label: "Mã đối tượng",
  aliases: ["mã đối tượng", "mã", "mã số", "mã ĐT", "code"],
} as const;

export const PERIOD_COLUMN = { key: "period", required: true, label: "Kỳ chi trả", aliases: ["kỳ", "kỳ chi trả", "tháng", "tháng chi trả"] } as const;
