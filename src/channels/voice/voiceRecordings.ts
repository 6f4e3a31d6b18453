import fs from "node:fs";
import path from "node:path";
import type { VoiceConfig } from "../../config.ts";
import { PROJECT_ROOT } from "../../shared/projectPaths.ts";

/** How long a look at the audio folder is trusted: a province adds a recording without a restart. */
const RESCAN_MS = 60_000;

/**
 * The recorded prompts a province provides: `<audioDir>/<lang>/<sentence key>.mp3`, served by the
 * app under /voice/audio/. A sentence with a recording is played instead of spoken, so Tày or Nùng
 * prompts (or a whole language) are added by dropping files in, without code.
 */
export class VoiceRecordings {
  private known = new Set<string>();
  private scannedAt = -Infinity;

  constructor(
    readonly audioDir: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** The path under /voice/audio/ of the recording of `key` in `locale`, or null. */
  find(locale: string, key: string | null | undefined): string | null {
    if (!key) return null;
    this.rescanIfStale();
    const file = `${locale}/${key}.mp3`;
    return this.known.has(file) ? file : null;
  }

  /** The keys that have a recording in `locale` (for `flows check`). */
  keysIn(locale: string): Set<string> {
    this.rescanIfStale();
    const prefix = `${locale}/`;
    return new Set([...this.known].filter((f) => f.startsWith(prefix)).map((f) => f.slice(prefix.length, -".mp3".length)));
  }

  private rescanIfStale(): void {
    if (this.now() - this.scannedAt < RESCAN_MS) return;
    this.scannedAt = this.now();
    const known = new Set<string>();
    let locales: string[] = [];
    try {
      locales = fs.readdirSync(this.audioDir);
    } catch {
      // No audio folder: everything is spoken.
    }
    for (const locale of locales) {
      let files: string[] = [];
      try {
        files = fs.readdirSync(path.join(this.audioDir, locale));
      } catch {
        continue;
      }
      for (const file of files) if (file.endsWith(".mp3")) known.add(`${locale}/${file}`);
    }
    this.known = known;
  }
}

/** The folder of recorded prompts (VOICE_AUDIO_DIR, relative to the project). */
export function audioDirOf(config: Pick<VoiceConfig, "audioDir">): string {
  return path.resolve(PROJECT_ROOT, config.audioDir);
}
