/** An account number as every message shows it: only its last 4 digits. */
export function maskAccount(last4: string | null | undefined): string {
  return last4 ? `***${last4}` : "***";
}

export function lastFour(value: string): string {
  return value.slice(-4);
}

/** A citizen ID number as the console shows it: only its last 4 digits (the rest is never stored). */
export function maskCitizenId(last4: string | null | undefined): string {
  return last4 ? `****${last4}` : "";
}
