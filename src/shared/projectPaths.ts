import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Where the project's data lives on disk: the flows and sentences the service reads at start. In a
 * module of its own so a channel or a command can find the sentences without importing services.ts
 * (which imports every channel).
 */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const FLOWS_DIR = path.join(PROJECT_ROOT, "flows");
export const LOCALES_DIR = path.join(PROJECT_ROOT, "locales");
