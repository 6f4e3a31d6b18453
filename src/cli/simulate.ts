import readline from "node:readline";
import type { Command } from "commander";
import { describeTelegramMessages } from "../channels/telegram/describeTelegramMessages.ts";
import { telegramRenderer } from "../channels/telegram/renderTelegramReply.ts";
import { loadTelegramSentences } from "../channels/telegram/telegramSentences.ts";
import { describeZaloMessages } from "../channels/zalo/describeZaloMessages.ts";
import { zaloRenderer } from "../channels/zalo/renderZaloReply.ts";
import type { Turn } from "../engine/types.ts";
import type { Services } from "../services.ts";
import { LOCALES_DIR } from "../shared/projectPaths.ts";
import { createTranslator } from "../i18n/translator.ts";
import { normalizeVietnamPhone } from "../shared/phone.ts";
import { countSmsSegments } from "../shared/smsSegments.ts";
import { smsRenderer } from "../channels/sms/renderSms.ts";
import { smsConversation } from "../channels/sms/smsConversation.ts";
import { loadDemoDataIfEmpty } from "../demo/loadDemoData.ts";
import { withServices } from "./withServices.ts";

import { describeVoiceAnswer } from "../channels/voice/describeVoiceAnswer.ts";
import type { CallState, VoiceHop } from "../channels/voice/voiceScreen.ts";

const CHANNELS = ["ussd", "telegram", "zalo", "sms", "voice"] as const;
type SimulatedChannel = (typeof CHANNELS)[number];

const HELP: Record<SimulatedChannel, string> = {
  ussd: "Type a number or words and press Enter. /dial hangs up and dials again, /quit leaves.",
  telegram: "Type as in the chat, or a button's number. /contact shares your phone number, /photo sends a picture, /quit leaves.",
  zalo: "Type as in the chat. /photo sends a picture (Zalo bots read only text), /quit leaves.",
  sms: "Type a text message (e.g. TT, TT 020190003333 04/04/1990, TAT NHAC, GAP CAN BO) and press Enter; /quit leaves.",
  voice: "Type the keys you press (end an ID or a date with #) and Enter; an empty line is silence. /call hangs up and calls again, /quit leaves.",
};

/** One simulated phone or chat: takes a typed line, returns what the channel would show. */
type Simulation = (line: string | null) => Promise<{ shown: string; ended: boolean }>;

function ussdSimulation(services: Services, phone: string): Simulation {
  let dial = 0;
  let history: string | null = null;
  const sessionId = () => `sim-${process.pid}-${dial}`;
  return async (input) => {
    if (input === null || input === "/dial" || history === null) {
      dial += 1;
      history = "";
      input = null;
    } else {
      history = history ? `${history}*${input}` : input;
    }
    const screen = await services.ussd.answer({
      sessionId: sessionId(),
      msisdn: phone,
      latestInput: input ?? "",
      isNewDial: input === null,
      sessionInputs: history ? history.split("*") : [],
      requestKey: `${sessionId()}\u0000${history}`,
    });
    if (screen.end) history = null;
    const rule = "-".repeat(24);
    return { shown: `${rule}\n${screen.text}\n${rule} ${screen.end ? "[END]" : "[CON]"} ${screen.text.length} chars`, ended: screen.end };
  };
}

/** SMS: each line is one text message from the phone; the answer is the one SMS the service would send back. */
function smsSimulation(services: Services, phone: string): Simulation {
  const conversations = smsConversation(services.conversations);
  const renderer = smsRenderer(createTranslator(LOCALES_DIR).translate);
  let sent = 0;
  return async (input) => {
    if (input === null) return { shown: "(SMS: nothing is shown until you send a message)", ended: false };
    const { output } = await conversations.handle(
      { conversation: { channel: "sms", userId: phone, phone }, turn: { kind: "input", text: input }, requestKey: `sim-sms-${process.pid}-${++sent}` },
      renderer,
    );
    const parts = countSmsSegments(output);
    const rule = "-".repeat(24);
    return { shown: `${rule}\n${output}\n${rule} ${output.length} chars, ${parts.segments} SMS part(s) ${parts.encoding}`, ended: false };
  };
}

/** A phone call: what the call would say (or play), then the keys typed, through the voice channel as a provider would drive it. */
function voiceSimulation(services: Services, phone: string): Simulation {
  let call = 0;
  let state: CallState | null = null;
  let ended = true;
  return async (line) => {
    if (line === null || line === "/call" || ended) {
      call += 1;
      state = null;
      line = null;
    }
    const hop: VoiceHop = { callId: `sim-${process.pid}-${call}`, from: phone, state, digits: line === null || line === "" ? null : line };
    const answer = await services.voice.answer(hop);
    ended = answer.next.kind !== "listen";
    state = answer.next.kind === "listen" ? answer.next.state : null;
    return { shown: describeVoiceAnswer(answer), ended };
  };
}

/** A chat channel, through the same conversation host and the channel's own renderer. */
function chatSimulation(services: Services, channel: "telegram" | "zalo", phone: string): Simulation {
  const userId = `sim-${channel}-${phone}`;
  const render =
    channel === "telegram"
      ? (() => {
          const renderer = telegramRenderer(loadTelegramSentences(LOCALES_DIR));
          return { renderer, describe: describeTelegramMessages };
        })()
      : { renderer: zaloRenderer, describe: describeZaloMessages };
  return async (line) => {
    let turn: Turn = { kind: "input", text: line ?? "/start" };
    let sharedPhone: string | undefined;
    if (line === "/contact" && channel === "telegram") {
      turn = { kind: "contact" };
      sharedPhone = phone;
    } else if (line === "/photo") {
      turn = { kind: "unreadable" };
    }
    const { output } = await services.conversations.handle(
      { conversation: { channel, userId, phone: sharedPhone }, turn },
      render.renderer as never,
    );
    return { shown: render.describe(output as never), ended: false };
  };
}

/**
 * A feature phone or a chat in the terminal: the real engine, flows and database, rendered the
 * way the channel renders (USSD pages, Telegram buttons, Zalo numbered text). Interactive on a
 * terminal; from a pipe, one input per line.
 */
export function registerSimulate(program: Command): void {
  program
    .command("simulate")
    .description("talk to the bot in the terminal as a phone or chat would (interactive, or one input per line from stdin)")
    .requiredOption("--phone <number>", "the phone number: the caller's on USSD, the one /contact shares on Telegram")
    .option("--channel <channel>", `the channel to simulate: ${CHANNELS.join(", ")}`, "ussd")
    .action(async (options: { phone: string; channel: string }) => {
      if (!CHANNELS.includes(options.channel as SimulatedChannel)) {
        throw new Error(`--channel must be one of ${CHANNELS.join(", ")} (got "${options.channel}")`);
      }
      const channel = options.channel as SimulatedChannel;
      const phone = normalizeVietnamPhone(options.phone);
      if (!phone.ok) throw new Error(`--phone: "${options.phone}" is not a Vietnamese phone number`);
      const offline = { config: { telegram: { ...emptyChat }, zalo: { ...emptyChat } } as never };
      await withServices(async (services) => {
        await loadDemoDataIfEmpty(services);
        const simulate =
          channel === "ussd" ? ussdSimulation(services, phone.e164) : channel === "sms" ? smsSimulation(services, phone.e164) : channel === "voice" ? voiceSimulation(services, phone.e164) : chatSimulation(services, channel, phone.e164);
        const interactive = process.stdin.isTTY === true;
        if (interactive) process.stdout.write(`${HELP[channel]}\n`);
        process.stdout.write(`\n${(await simulate(null)).shown}\n`);
        const lines = readline.createInterface({ input: process.stdin, terminal: false });
        if (interactive) process.stdout.write("> ");
        for await (const line of lines) {
          const input = line.trim();
          if (input === "/quit") break;
          if (!interactive) process.stdout.write(`> ${input}\n`);
          process.stdout.write(`\n${(await simulate(input)).shown}\n`);
          if (interactive) process.stdout.write("> ");
        }
      }, offline);
    });
}

/** The simulator never talks to the real platforms, whatever tokens the environment holds. */
const emptyChat = { token: null, apiRoot: "", webhookSecret: null, limits: { perSecond: 1, perChatPerSecond: 1, maxRetries: 0, backoffMs: 1 } };
