import fs from "node:fs";
import path from "node:path";

/**
 * What must never be in a log line: a citizen ID number (12 digits), a full phone number (+84, 84
 * or 0 followed by 9 digits, spelled with spaces, dots, dashes or brackets), or an account number
 * of the demo data or of the test fixtures (the numbers are gathered from demo/*.csv and tests/).
 * Returns what kind of number a line holds, never the number itself.
 */
export function personalNumberKinds(line: string, knownAccounts: ReadonlySet<string>): string[] {
  const kinds = new Set<string>();
  // Digit runs, with the separators people type between digit groups (not "T" or ":" of a timestamp).
  for (const match of line.matchAll(/[(+]*\d(?:[\s.\-()]{0,2}\d)*/g)) {
    const spelled = match[0];
    const digits = spelled.replace(/\D/g, "");
    if (/^\d{12}$/.test(digits) && !/[\s.\-()]/.test(spelled)) kinds.add("citizen ID number (12 digits)");
    if (/^(?:84|0)\d{9}$/.test(digits)) kinds.add("phone number");
    if (knownAccounts.has(digits)) kinds.add("account number");
  }
  return [...kinds];
}

/** The account numbers (8 to 19 digits) of demo/*.csv's account_number column and the numbers the tests' fixtures write. */
export function knownAccountNumbers(projectRoot: string): Set<string> {
  const numbers = new Set<string>();
  const demo = path.join(projectRoot, "demo");
  for (const name of fs.readdirSync(demo).filter((n) => n.endsWith(".csv"))) {
    const [header, ...rows] = fs.readFileSync(path.join(demo, name), "utf8").split(/\r?\n/);
    const column = header.split(",").indexOf("account_number");
    if (column < 0) continue;
    for (const row of rows) {
      const value = row.split(",")[column]?.replace(/\D/g, "");
      if (value && value.length >= 8) numbers.add(value);
    }
  }
  // Test fixtures: account numbers are written next to the word "account" (accountNumber, account_number, "TK").
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ts|csv)$/.test(entry.name)) {
        for (const match of fs.readFileSync(full, "utf8").matchAll(/(?:account\w*|TK)["'\s:=,]+["']?(\d{8,19})\b/gi)) numbers.add(match[1]);
      }
    }
  };
  walk(path.join(projectRoot, "tests"));
  return numbers;
}

/** Every line of a log file holding a personal number, as "file:line (kind; message)". */
export function findPersonalNumbersInLog(file: string, knownAccounts: ReadonlySet<string>): string[] {
  if (!fs.existsSync(file)) return [];
  const found: string[] = [];
  fs.readFileSync(file, "utf8")
    .split("\n")
    .forEach((line, index) => {
      const kinds = personalNumberKinds(line, knownAccounts);
      if (kinds.length === 0) return;
      let message = "?";
      try {
        message = String(JSON.parse(line).msg);
      } catch {
        // not a JSON line
      }
      found.push(`${file}:${index + 1} (${kinds.join(", ")}; log message "${message.replace(/\d/g, "#")}")`);
    });
  return found;
}
