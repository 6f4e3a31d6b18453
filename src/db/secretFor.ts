import path from "node:path";
import { loadSecret } from "../shared/secrets.ts";
import type { AppDatabase } from "./database.ts";

/** The secret that goes with a database: ANSINH_SECRET, or the key file beside the SQLite file. */
export function secretFor(db: AppDatabase): Buffer {
  return loadSecret(path.dirname(db.file));
}
