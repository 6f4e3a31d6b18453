import type { Effect } from "./effects/index.ts";
import type { Locale, SessionState } from "./session.ts";

/** What the engine knows of who is talking: never a channel object, only facts. */
export interface Conversation {
  channel: string;
  userId: string;
  /** The caller's phone in E.164 when the channel vouches for it (USSD network number, a shared own contact). */
  phone?: string;
}

export interface ActionResult {
  outcome: string;
  /** Stored under the node's `save` variable. */
  value?: unknown;
  /** Merged into the session's variables at the top level. */
  vars?: Record<string, unknown>;
  effects?: Effect[];
  /** Switches the conversation's language. */
  locale?: Locale;
}

interface ActionCall {
  conversation: Conversation;
  vars: Record<string, unknown>;
  locale: Locale;
}

export type Action = (args: Record<string, unknown>, call: ActionCall) => ActionResult | Promise<ActionResult>;

type ValidationResult = { ok: true; value: unknown; masked?: string } | { ok: false; hint: string };
export type Validator = (input: string, vars: Record<string, unknown>) => ValidationResult;

export type Translate = (locale: Locale, key: string, params?: Record<string, unknown>) => string;

export interface Choice {
  /** What the person types or presses: "1", "2", ... */
  number: string;
  label: string;
}

/** A channel-neutral screen: each channel renders it its own way (buttons, numbered lines, USSD pages). */
export interface Reply {
  /** The language the screen is written in. */
  locale: Locale;
  texts: string[];
  /**
   * The sentence key each text was rendered from (null where none: a notice, an operator's words),
   * parallel to `texts`. Voice plays a recording of the key where one exists; other channels ignore it.
   */
  sentenceKeys?: (string | null)[];
  choices: Choice[];
  /** What the screen waits for. */
  expects: "choice" | "text" | "none";
  end: boolean;
  /** Localised labels for navigation the renderer shows: "0 back", "00 home", "99 more". */
  nav: { back: string; home: string; more: string };
  /** Whether "back" leads somewhere from this screen. */
  canGoBack: boolean;
  /** A chat channel may offer a "share my phone number" button. */
  offerContact?: boolean;
  /**
   * The person's text answered nothing: no choice on the screen matched it, or it was a first
   * message, no word for every screen, that met the person identified at home (nothing was asked
   * of them yet). The screen is shown as usual; a channel with a short answer of its own for
   * that (SMS: a one-part help naming its keywords) may send it instead.
   */
  unmatched?: true;
}

export type Turn =
  /**
   * Starts afresh at the first screen; then answers each of `inputs` in order, as if pressed there
   * (keys dialled with a USSD code, `*384*123*1*2#` → ["1", "2"]). The reply is the last screen.
   */
  | { kind: "start"; inputs?: string[] }
  /** A new dial or a returning chat: offers to continue an unfinished conversation. */
  | { kind: "reconnect" }
  | { kind: "input"; text: string }
  /** The person shared their own phone number; the channel vouched for it and put it in `Conversation.phone`. */
  | { kind: "contact" }
  /** Something the bot cannot read (a photo, a sticker): the screen again, with a hint to type or choose. */
  | { kind: "unreadable" };

export interface StepResult {
  session: SessionState;
  reply: Reply;
  effects: Effect[];
  /** The input as it may be stored: masked when the node asked for something personal. */
  loggedInput?: string;
}
