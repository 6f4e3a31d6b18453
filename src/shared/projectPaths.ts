import path from "node:path";
import { fileURLToPath } from "node:url";

/** The checkout (or installed package) the service runs from: flows/, locales/ and demo/ are beside src/. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** Every sentence the bot says, one folder per language. */
export const LOCALES_DIR = path.join(PROJECT_ROOT, "locales");
