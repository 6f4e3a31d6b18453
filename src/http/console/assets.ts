import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import express, { type RequestHandler } from "express";

const ASSETS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "assets");

// A URL names its file's content (?v=hash), so browsers may keep it a day and still see a change at once.
const versions = new Map<string, string>();
export function assetUrl(name: "console.css" | "console.js"): string {
  let version = versions.get(name);
  if (!version) {
    version = createHash("sha256").update(fs.readFileSync(path.join(ASSETS_DIR, name))).digest("hex").slice(0, 10);
    versions.set(name, version);
  }
  return `/console/assets/${name}?v=${version}`;
}

/** The console's one stylesheet and one script, from this folder: nothing is fetched from elsewhere. */
export function serveAssets(): RequestHandler {
  return express.static(ASSETS_DIR, { maxAge: "1d", etag: true, lastModified: true, index: false, dotfiles: "deny" });
}
