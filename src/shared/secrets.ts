import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { setting } from "../config/readSettings.ts";

/**
 * The deployment's secret: keys the citizen-ID hash and seals account numbers.
 * ANSINH_SECRET sets it; otherwise one is generated once into `data/secret.key`, so a laptop
 * works with no configuration. Changing it makes stored ID hashes unmatchable: keep it backed up.
 */
export function loadSecret(dataDir = path.resolve("data"), configured: string | null = setting("ANSINH_SECRET")): Buffer {
  if (configured) return createHash("sha256").update(configured).digest();
  const file = path.join(dataDir, "secret.key");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    try {
      fs.writeFileSync(file, randomBytes(32).toString("base64"), { flag: "wx", mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  return createHash("sha256").update(fs.readFileSync(file, "utf8").trim()).digest();
}

/** AES-256-GCM: what is sealed can be opened only with the secret, and tampering is detected. */
export function seal(plain: string, secret: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", secret, iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((b) => b.toString("base64url")).join(".");
}

export function unseal(sealed: string, secret: Buffer): string {
  const [iv, tag, body] = sealed.split(".").map((p) => Buffer.from(p, "base64url"));
  const decipher = createDecipheriv("aes-256-gcm", secret, iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
}
