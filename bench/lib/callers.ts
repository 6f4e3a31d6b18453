/**
 * Simulated USSD callers in the Africa's Talking convention: one sessionId per dial, `text` = every
 * input of the dial so far joined by "*", "" on the dial itself. A caller is a small state machine
 * that reads each answer before choosing its next input, so the same caller objects work under the
 * closed loop (autocannon) and the paced open loop, and a screen the script did not expect is
 * counted rather than silently walked past.
 */

/** Tallies shared by every caller of one run. */
export class HopTally {
  ok = 0;
  /** Not 200, or not starting with CON/END, or no answer at all (socket error, timeout). */
  errors = 0;
  /** 200 CON/END, but not the screen the script expected (an "invalid choice" hint): the script lost its way. */
  unexpected = 0;
  dials = 0;
  resumeOffers = 0;
  firstErrors: string[] = [];

  error(what: string): void {
    this.errors++;
    if (this.firstErrors.length < 5) this.firstErrors.push(what.slice(0, 200));
  }
}

export interface Caller {
  /** Waiting for the answer to a request it sent. */
  readonly busy: boolean;
  /** The next request's form body; marks the caller busy. */
  nextBody(): string;
  /** Reads the answer and decides what comes next. */
  answer(status: number, body: string): void;
  /** No answer came (socket error, timeout): counted as an error, and the caller dials again. */
  fail(reason: string): void;
  /** Whether the last dial finished (hung up or END): the next request is a new dial. */
  readonly betweenDials: boolean;
  /** Forget the dial in progress (the load stopped mid-dial): the next request is a new dial. */
  hangUp(): void;
  /** Where this caller counts its hops; swapped between phases. */
  tally: HopTally;
}

const SERVICE_CODE = "*384*123#";

function formBody(sessionId: string, msisdn: string, text: string): string {
  return new URLSearchParams({ sessionId, serviceCode: SERVICE_CODE, phoneNumber: msisdn, text }).toString();
}

function checkAnswer(tally: HopTally, status: number, body: string): boolean {
  if (status !== 200 || !(body.startsWith("CON ") || body.startsWith("END "))) {
    tally.error(`${status} ${body}`);
    return false;
  }
  tally.ok++;
  return true;
}

/**
 * A journey through AnSinh's menus, as the caller types it after the main menu. "99" is pressed
 * only when the screen offers a next page; "0p" is "0" to page back, sent only after such a "99".
 * "@key" picks the choice whose label is that sentence (locales/<lang>/bot.json), in whichever
 * language the screen is, so the journeys survive a reordered menu. A journey that ends away
 * from the main menu is a dropped session: the next dial is offered to continue it.
 */
interface Journey {
  name: string;
  steps: (callerIndex: number, dial: number) => string[];
}

export const ANSINH_JOURNEYS: Journey[] = [
  { name: "status, earlier periods, back, main menu", steps: () => ["@main.status", "1", "0", "00"] },
  { name: "status, next page and back, main menu", steps: () => ["@main.status", "99", "0p", "2"] },
  {
    name: "change to a bank account and confirm",
    steps: (i, dial) => ["@main.method", "@method.bank", String(1 + (dial % 5)), `970${String(i).padStart(10, "0")}`, "1", "1"],
  },
  {
    name: "change to a bank account, cancel, main menu",
    steps: (i) => ["@main.method", "@method.bank", "3", `88${String(i).padStart(8, "0")}`, "2", "00"],
  },
  { name: "reminders: toggle, main menu", steps: () => ["@main.reminders", "1", "1"] },
  { name: "reminders: look, main menu", steps: () => ["@main.reminders", "2"] },
  { name: "language: English, then back to Vietnamese", steps: () => ["@main.language", "@language.en", "@main.language", "@language.vi"] },
  { name: "method, bank list, back twice", steps: () => ["@main.method", "@method.bank", "0", "0"] },
  { name: "dropped in the middle (bank list)", steps: () => ["@main.method", "@method.bank"] },
];

/** Sentences the callers look for on screens, read from the project's locales and shown the USSD way (no diacritics). */
export interface ScreenWords {
  /** Label sentences in every language, by key ("main.status" → ["Xem tien tro cap", "My payment"]). */
  labels: Map<string, string[]>;
  resumeOffer: RegExp;
  /** The first-contact personal-data notice (flows/privacy.yaml; its first choice agrees), by its opening words. */
  consentNotice: RegExp;
  /** The engine's "not one of the choices" and the validators' hints: the script typed something the screen did not expect. */
  notUnderstood: RegExp;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export function screenWords(locales: Record<string, Record<string, unknown>>, toScreenText: (text: string) => string): ScreenWords {
  const lookup = (locale: string, key: string) =>
    key.split(".").reduce<unknown>((node, part) => (node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined), locales[locale]);
  const all = (key: string) => Object.keys(locales).map((l) => lookup(l, key)).filter((v): v is string => typeof v === "string").map(toScreenText);
  const labels = new Map<string, string[]>();
  for (const key of new Set(ANSINH_JOURNEYS.flatMap((j) => j.steps(0, 0)).filter((s) => s.startsWith("@")).map((s) => s.slice(1)))) {
    labels.set(key, all(key));
    if (!labels.get(key)!.length) throw new Error(`journey label "${key}" is not a sentence in the locales`);
  }
  const anyOf = (keys: string[]) => new RegExp(keys.flatMap(all).map(escapeRegExp).join("|"));
  return {
    labels,
    resumeOffer: anyOf(["engine.resume_prompt"]),
    consentNotice: new RegExp(all("privacy.notice").map((t) => escapeRegExp(t.slice(0, 30))).join("|")),
    notUnderstood: anyOf(["engine.invalid_choice", "method.bad_account", "method.bad_phone", "validation.text_required"]),
  };
}

/** One beneficiary calling the AnSinh service, dial after dial, each dial one journey. */
export class AnsinhCaller implements Caller {
  busy = false;
  betweenDials = true;
  private dial = 0;
  private sessionId = "";
  private typed: string[] = [];
  private pending: string[] = [];
  private lastScreen = "";
  private pagedForward = false;

  constructor(
    readonly index: number,
    private readonly msisdn: string,
    /** Swapped between phases so each phase counts its own hops. */
    public tally: HopTally,
    private readonly words: ScreenWords,
  ) {}

  nextBody(): string {
    this.busy = true;
    if (this.betweenDials) {
      this.betweenDials = false;
      this.dial++;
      this.tally.dials++;
      this.sessionId = `ATUid_${this.index}_${this.dial}`;
      this.typed = [];
      this.lastScreen = "";
      const journey = ANSINH_JOURNEYS[(this.index + this.dial) % ANSINH_JOURNEYS.length];
      this.pending = journey.steps(this.index, this.dial);
      return formBody(this.sessionId, this.msisdn, "");
    }
    this.typed.push(this.takeInput());
    return formBody(this.sessionId, this.msisdn, this.typed.join("*"));
  }

  /** The next input, skipping page turns the screen does not offer. */
  private takeInput(): string {
    // Bounded by the journey's length: each pass removes one step.
    while (this.pending.length > 0) {
      const step = this.pending.shift()!;
      if (step === "99") {
        this.pagedForward = this.lastScreen.includes("\n99. ");
        if (this.pagedForward) return "99";
        continue;
      }
      if (step === "0p") {
        if (this.pagedForward) return "0";
        continue;
      }
      if (step.startsWith("@")) return this.choiceNumber(step.slice(1));
      return step;
    }
    return "00"; // not reached: no journey ends with a page turn
  }

  /** The number in front of the label on the last screen ("5. Ngon ngu/Language" → "5"). */
  private choiceNumber(key: string): string {
    for (const label of this.words.labels.get(key) ?? []) {
      const at = this.lastScreen.indexOf(`. ${label}\n`);
      if (at !== -1) return this.lastScreen.slice(this.lastScreen.lastIndexOf("\n", at) + 1, at);
    }
    // Not on the screen: the journey lost its way. Counted, and the caller goes home.
    this.tally.unexpected++;
    return "00";
  }

  answer(status: number, body: string): void {
    this.busy = false;
    if (!checkAnswer(this.tally, status, body)) {
      this.betweenDials = true;
      return;
    }
    if (this.words.notUnderstood.test(body)) this.tally.unexpected++;
    this.lastScreen = body.endsWith("\n") ? body : `${body}\n`;
    // Each caller's first dial meets the personal-data notice: they agree, then follow the journey.
    if (this.typed.length === 0 && this.words.consentNotice.test(body)) this.pending.unshift("1");
    if (this.typed.length === 0 && this.words.resumeOffer.test(body)) {
      // A dropped dial is offered again: continue it and go home half the time, start over otherwise.
      this.tally.resumeOffers++;
      this.pending.unshift(...(this.dial % 2 === 0 ? ["1", "00"] : ["2"]));
    }
    // Hanging up once the journey is done (or the service ended the session) is what a phone does.
    // No journey ends with a page turn, so an empty list means nothing is left to type.
    if (body.startsWith("END ") || this.pending.length === 0) this.betweenDials = true;
  }

  fail(reason: string): void {
    this.busy = false;
    this.betweenDials = true;
    this.tally.error(reason);
  }

  hangUp(): void {
    this.busy = false;
    this.betweenDials = true;
  }
}

/**
 * A caller of the six-level baseline menu: dials, picks one of three options on each of six
 * levels (the last answer ends the session), and dials again.
 */
export class SixLevelCaller implements Caller {
  busy = false;
  betweenDials = true;
  private dial = 0;
  private sessionId = "";
  private typed: string[] = [];

  constructor(
    readonly index: number,
    private readonly msisdn: string,
    /** Swapped between phases so each phase counts its own hops. */
    public tally: HopTally,
    /** Check that each screen is the level the caller should be at ("Muc d/6"); off against the hello server. */
    private readonly checkLevels = true,
  ) {}

  nextBody(): string {
    this.busy = true;
    if (this.betweenDials) {
      this.betweenDials = false;
      this.dial++;
      this.tally.dials++;
      this.sessionId = `ATUid_${this.index}_${this.dial}`;
      this.typed = [];
      return formBody(this.sessionId, this.msisdn, "");
    }
    this.typed.push(String(1 + ((this.index + this.dial + this.typed.length) % 3)));
    return formBody(this.sessionId, this.msisdn, this.typed.join("*"));
  }

  answer(status: number, body: string): void {
    this.busy = false;
    if (!checkAnswer(this.tally, status, body)) {
      this.betweenDials = true;
      return;
    }
    const level = this.typed.length + 1;
    if (this.checkLevels && !(level > 6 ? body.startsWith("END ") : body.startsWith(`CON Muc ${level}/`))) this.tally.unexpected++;
    if (body.startsWith("END ") || this.typed.length >= 6) this.betweenDials = true;
  }

  fail(reason: string): void {
    this.busy = false;
    this.betweenDials = true;
    this.tally.error(reason);
  }

  hangUp(): void {
    this.busy = false;
    this.betweenDials = true;
  }
}

/** Callers handed out to closed-loop connections one dial at a time, so no two connections ever play the same phone at once. */
export function callerPool(callers: Caller[]) {
  let free: Caller[] = [];
  return {
    reset() {
      for (const c of callers) c.hangUp();
      free = [...callers];
    },
    take(): Caller {
      const caller = free.shift();
      if (!caller) throw new Error("no free caller: more connections than callers");
      return caller;
    },
    give(caller: Caller) {
      free.push(caller);
    },
  };
}

/** Round-robin over every caller, skipping the few still waiting for an answer. */
export function roundRobin(callers: Caller[]): () => Caller | null {
  let cursor = 0;
  return () => {
    for (let tried = 0; tried < callers.length; tried++) {
      const caller = callers[cursor];
      cursor = (cursor + 1) % callers.length;
      if (!caller.busy) return caller;
    }
    return null;
  };
}
