import { randomInt } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";

/**
 * Console passwords: argon2id with the library's defaults (19 MiB, 2 passes: OWASP's minimum),
 * hashed off the main thread. A hash is a PHC string that carries its own parameters, so the
 * defaults can be raised later without breaking stored hashes.
 */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false; // a malformed stored hash lets nobody in
  }
}

/**
 * A login for a username that does not exist still pays for one verification against this hash,
 * so the answer's timing does not tell which usernames exist.
 */
let dummyHash: Promise<string> | null = null;
export async function verifyAgainstNothing(password: string): Promise<false> {
  dummyHash ??= hash("no account has this password");
  await verifyPassword(await dummyHash, password);
  return false;
}

// No 0/O, 1/l/I: the password is read off a screen and typed in once.
const ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** A random one-time password (16 characters ≈ 92 bits), shown once and changed at first login. */
export function generateOneTimePassword(length = 16): string {
  let password = "";
  for (let i = 0; i < length; i++) password += ALPHABET[randomInt(ALPHABET.length)];
  return password;
}

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 200;

export type PasswordProblem = "too_short" | "too_long" | "same_as_username";

/** Why a new password is not acceptable, or null. Length is what counts (NIST 800-63B), not character classes. */
export function passwordProblem(password: string, username: string): PasswordProblem | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return "too_short";
  if (password.length > MAX_PASSWORD_LENGTH) return "too_long";
  if (password.trim().toLowerCase() === username.toLowerCase()) return "same_as_username";
  return null;
}
