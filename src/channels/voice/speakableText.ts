/**
 * Text as a speech engine should read it. The flows write amounts and dates for the eye
 * ("750.000 đ", "10/12/2025", "Kỳ 12/2025"); a Vietnamese voice reads "đ" as a letter and
 * "10/12" as a fraction, so they become words it reads naturally: "750.000 đồng",
 * "ngày 10 tháng 12 năm 2025", "tháng 12 năm 2025". Other languages get the same numbers in
 * their own words where known, else the text unchanged.
 */
export function toSpeakableText(text: string, locale: string): string {
  const words = WORDS[locale] ?? WORDS.vi;
  return text
    .replace(/(\d[\d.]*) ?đ(?![\p{L}])/gu, `$1 ${words.currency}`)
    .replace(/(ngày |on |)(\d{1,2})\/(\d{1,2})\/(\d{4})/g, (_m, _lead: string, d: string, m: string, y: string) => words.date(Number(d), Number(m), y))
    .replace(/(?<![\d/])(\d{1,2})\/(\d{4})(?![\d/])/g, (_m, m: string, y: string) => words.month(Number(m), y))
    .replace(/\n+/g, ". ")
    .replace(/\s+/g, " ")
    .trim();
}

const WORDS: Record<string, { currency: string; date: (d: number, m: number, y: string) => string; month: (m: number, y: string) => string }> = {
  vi: {
    currency: "đồng",
    date: (d, m, y) => `ngày ${d} tháng ${m} năm ${y}`,
    month: (m, y) => `tháng ${m} năm ${y}`,
  },
  en: {
    currency: "dong",
    date: (d, m, y) => `on ${MONTHS[m - 1] ?? m} ${d}, ${y}`,
    month: (m, y) => `${MONTHS[m - 1] ?? m} ${y}`,
  },
};

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
