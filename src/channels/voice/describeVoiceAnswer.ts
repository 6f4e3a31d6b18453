import type { VoiceAnswer } from "./voiceScreen.ts";

/** What a call would do, as text for the terminal: each sentence spoken or played, then what the call waits for. */
export function describeVoiceAnswer(answer: VoiceAnswer): string {
  const lines = answer.say.map((u) => (u.audio ? `♪ [recording ${u.audio}] ${u.text}` : `🔊 ${u.text}`));
  const next = answer.next;
  switch (next.kind) {
    case "listen":
      lines.push(
        next.listen.finishOnHash
          ? `[waits up to ${next.listen.timeoutSeconds} s for keys ending with #]`
          : `[waits up to ${next.listen.timeoutSeconds} s for ${next.listen.maxDigits} key(s)${next.state.zero ? ": a second 0 for the main menu" : ""}]`,
      );
      break;
    case "hangup":
      lines.push("[hangs up]");
      break;
    case "dial":
      lines.push(`[connects the call to ${next.number}]`);
      break;
    case "record":
      lines.push("[records a message until # or silence]");
      break;
  }
  return lines.join("\n");
}
