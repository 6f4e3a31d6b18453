import { VoiceRecordings } from "../channels/voice/voiceRecordings.ts";
import type { LoadedFlows } from "../engine/loadFlows.ts";

/**
 * For each language, the sentence keys the flows say that have no recording under
 * `<audioDir>/<lang>/<key>.mp3`: a call speaks them with the provider's voice instead. Information
 * for a province recording prompts, not a problem. A folder under audio/ with no locale file
 * (a Tày recording set) is listed too.
 */
export function unrecordedSentences(flows: LoadedFlows, locales: string[], audioDir: string, extraKeys: readonly string[]): Record<string, string[]> {
  const keys = new Set<string>(extraKeys);
  for (const flow of flows.flows.values()) {
    for (const node of Object.values(flow.nodes)) for (const item of node.text ?? []) keys.add(item.key);
  }
  const recordings = new VoiceRecordings(audioDir);
  const result: Record<string, string[]> = {};
  for (const locale of locales) {
    const recorded = recordings.keysIn(locale);
    result[locale] = [...keys].filter((k) => !recorded.has(k)).sort();
  }
  return result;
}
