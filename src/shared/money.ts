/** Money as Vietnamese readers expect it: dot thousands separator and "đ" ("500.000 đ"). */
export function formatVnd(amount: number): string {
  const sign = amount < 0 ? "-" : "";
  const digits = Math.abs(Math.round(amount)).toString();
  return `${sign}${digits.replace(/\B(?=(\d{3})+(?!\d))/g, ".")} đ`;
}
