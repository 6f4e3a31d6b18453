import type { Flow, FlowNode, MenuNode, MenuOption, ChooseNode, InputNode, TextItem } from "./flowTypes.ts";
import { isWaitingNode } from "./flowTypes.ts";
import { getPath, holds, setPath } from "./conditions.ts";
import type { Globals, LoadedFlows } from "./loadFlows.ts";
import { resolveTarget } from "./loadFlows.ts";
import { matchChoice, matchGlobalWord } from "./matchInput.ts";
import { matchKey } from "../shared/text.ts";
import { newSession, type Locale, type NodeRef, type SessionState } from "./session.ts";
import type { Effect } from "./effects/index.ts";
import type { Action, Choice, Conversation, Reply, StepResult, Translate, Turn, Validator } from "./types.ts";
export type { Reply };

/** Everything the engine needs, injected: flows, the named actions and validators, the translator. */
export interface EngineSetup {
  flows: LoadedFlows;
  actions: Record<string, Action>;
  validators: Record<string, Validator>;
  translate: Translate;
  locales: Locale[];
  defaultLocale: Locale;
}

/** Sentences the engine itself says (resume offer, invalid choice, navigation labels). */
export const ENGINE_KEYS = [
  "engine.invalid_choice",
  "engine.nav_back",
  "engine.nav_home",
  "engine.nav_more",
  "engine.resume_prompt",
  "engine.resume_continue",
  "engine.resume_restart",
  "engine.unreadable",
] as const;

const MAX_AUTOMATIC_STEPS = 64;
const MAX_HISTORY = 16;

interface ChooseItem {
  id: string | number;
  label: string;
}

/**
 * The conversation engine. `step` is a pure function of its arguments and the injected services:
 * it holds no state between calls, imports no channel, web framework or database, and returns
 * the new session, the screen to show and the effects for the host to apply.
 * A step costs the same at any depth: the session names the node the person is at, nothing is replayed.
 */
export class Engine {
  readonly flows: LoadedFlows;
  private readonly entry: NodeRef;

  constructor(private readonly setup: EngineSetup) {
    this.flows = setup.flows;
    const entry = resolveTarget(setup.flows.flows, "", setup.flows.globals.entry);
    if (!entry) throw new Error(`entry "${setup.flows.globals.entry}" does not resolve`);
    this.entry = entry;
  }

  get globals(): Globals {
    return this.flows.globals;
  }

  async step(previous: SessionState | null, turn: Turn, conversation: Conversation): Promise<StepResult> {
    const run = new Run(this.setup, conversation);
    const locale = previous?.locale ?? this.setup.defaultLocale;
    if (turn.kind === "start" && turn.inputs?.length) return this.startWith(locale, turn.inputs, conversation);
    if (!previous || previous.ended || turn.kind === "start") {
      if (turn.kind === "unreadable") run.note(locale, "engine.unreadable");
      const begun = await run.begin(this.fresh(locale, conversation), this.setup.flows.globals.entry);
      // A word that works everywhere still works as the first message ("TẮT NHẮC" in reply to a
      // reminder days later), once the person is identified: at the main menu, or at a guardian's
      // choice of person (a screen marked `identified`).
      if (turn.kind !== "input") return begun;
      const word = matchGlobalWord(turn.text, this.globals);
      const answersHere = !begun.reply.end && this.answersWordsAt(begun.session);
      if (!word) {
        // A first message that is no such word answers nothing on the screen it meets (see Reply.unmatched).
        if (answersHere) begun.reply.unmatched = true;
        return begun;
      }
      if (word === "home" || word === "back" || begun.reply.end) return begun;
      // Saying no to messages (stop reminders, withdraw consent) works even before the first screen
      // is passed (the personal-data notice, identification): it shows nothing personal.
      const optOut = word === "stop_reminders" || word === "withdraw_consent";
      if (!optOut && !answersHere) {
        if (this.waitsForExplicitAnswer(begun.session)) begun.session.deferredInputs = [turn.text];
        return begun;
      }
      const next = await new Run(this.setup, conversation).answer(begun.session, turn.text, this.entry);
      return { ...next, effects: [...begun.effects, ...next.effects] };
    }
    // A copy of the top level only (vars copied on write, see setPath): a deep copy would cost
    // more the deeper the person is, and nothing below the top level is changed in place.
    const session: SessionState = { ...previous, vars: { ...previous.vars }, history: previous.history.slice() };
    if (turn.kind === "reconnect") {
      if (!hasProgressToLose(session, this.setup.flows)) return run.begin(this.fresh(locale, conversation), this.setup.flows.globals.entry);
      session.offeringResume = true;
      return run.resumeOffer(session);
    }
    if (session.offeringResume) {
      const picked = turn.kind === "input" ? matchChoice(turn.text, this.setup.locales.map((l) => this.resumeLabels(l))) : null;
      if (picked === 0) {
        session.offeringResume = false;
        return run.show(session);
      }
      if (picked === 1) return run.begin(this.fresh(locale, conversation), this.setup.flows.globals.entry);
      return run.resumeOffer(session, "engine.invalid_choice");
    }
    if (turn.kind === "contact") return this.thenDeferred(await run.contact(session), run, conversation);
    if (turn.kind === "unreadable") return run.show(session, "engine.unreadable");
    return this.thenDeferred(await run.answer(session, turn.text, this.entry), run, conversation);
  }

  /**
   * Answers the inputs a screen that takes only its own answer held back (see
   * SessionState.deferredInputs) once the person has reached the main menu, or, when they are all
   * words for every screen ("TT"), a screen where the person is identified (a guardian's choice of
   * person); until then they wait, and they go with the session when it ends.
   */
  private async thenDeferred(result: StepResult, run: Run, conversation: Conversation): Promise<StepResult> {
    const deferred = result.session.deferredInputs;
    if (!deferred || result.reply.end || this.waitsForExplicitAnswer(result.session)) return result;
    const home = result.session.node === this.entryMenu();
    const words = deferred.every((input) => matchGlobalWord(input, this.globals) !== null);
    if (!home && !(words && this.answersWordsAt(result.session))) return result;
    delete result.session.deferredInputs;
    const answered = await this.answerEach(result, deferred, conversation);
    // What was said on the way to the main menu ("you declined: no reminders") stays; the menu itself does not.
    answered.reply.texts.unshift(...result.reply.texts.slice(0, run.shownBeforeScreen));
    answered.reply.sentenceKeys?.unshift(...(result.reply.sentenceKeys ?? []).slice(0, run.shownBeforeScreen));
    return { ...answered, loggedInput: result.loggedInput };
  }

  /** Answers each input on the screen the last one reached, as if pressed one by one (see startWith). */
  private async answerEach(from: StepResult, inputs: string[], conversation: Conversation): Promise<StepResult> {
    let result = from;
    const effects = [...from.effects];
    const logged: string[] = [];
    for (const [index, input] of inputs.entries()) {
      if (result.reply.end) break;
      if (this.waitsForExplicitAnswer(result.session)) {
        result.session.deferredInputs = inputs.slice(index);
        break;
      }
      const run = new Run(this.setup, conversation);
      result = await run.answer(result.session, input, this.entry);
      effects.push(...result.effects);
      logged.push(result.loggedInput ?? input);
      if (run.refused) break;
    }
    return { ...result, effects, loggedInput: logged.join("*") };
  }

  /**
   * A fresh start, then each input answered on the screen it reaches, as if the person had pressed
   * them one by one. Stops where the conversation ends or a screen refuses an input (that screen,
   * with its hint, is the answer): the inputs after it were meant for another screen.
   */
  private async startWith(locale: Locale, inputs: string[], conversation: Conversation): Promise<StepResult> {
    const begun = await new Run(this.setup, conversation).begin(this.fresh(locale, conversation), this.setup.flows.globals.entry);
    return this.answerEach(begun, inputs, conversation);
  }

  /** Whether the screen the session waits on takes only a key pressed on it (a menu marked `explicit`). */
  private waitsForExplicitAnswer(session: SessionState): boolean {
    const node = this.waitingNode(session);
    return node?.type === "menu" && node.explicit === true;
  }

  private waitingNode(session: SessionState): FlowNode | undefined {
    return this.setup.flows.flows.get(session.flow)?.nodes[session.node];
  }

  /**
   * Whether a word said before reaching this screen is answered on it: the person is identified
   * there (the home menu, or a screen the flows mark `identified`: a guardian choosing a person).
   */
  private answersWordsAt(session: SessionState): boolean {
    if (session.node === this.entryMenu()) return true;
    const node = this.waitingNode(session);
    return node?.type === "choose" && node.identified === true;
  }

  /** The node the home word leads to once identification is done: the main menu. */
  private entryMenu(): string {
    const home = resolveTarget(this.setup.flows.flows, "", this.globals.words.home.go ?? this.setup.flows.globals.entry);
    const flow = home ? this.setup.flows.flows.get(home.flow) : undefined;
    const menu = flow && Object.entries(flow.nodes).find(([, node]) => node.type === "menu" && node.home);
    return menu ? menu[0] : "";
  }

  /** The screen a waiting node shows for the given variables, without running anything: for checks and previews. */
  preview(ref: NodeRef, vars: Record<string, unknown>, locale: Locale, history: NodeRef[] = []): Reply {
    const session: SessionState = { ...newSession(locale, ref), vars: structuredClone(vars), history };
    return new Run(this.setup, { channel: String(vars.channel ?? "preview"), userId: "preview" }).show(session).reply;
  }

  private fresh(locale: Locale, conversation: Conversation): SessionState {
    const session = newSession(locale, this.entry);
    session.vars.channel = conversation.channel;
    return session;
  }

  private resumeLabels(locale: Locale): string[] {
    return [this.setup.translate(locale, "engine.resume_continue"), this.setup.translate(locale, "engine.resume_restart")];
  }
}

/**
 * Whether a returning person would lose something by starting over: they were answering a
 * question, or were more than one step into a task. Reading a screen one step from home is not.
 */
function hasProgressToLose(session: SessionState, flows: LoadedFlows): boolean {
  const node = flows.flows.get(session.flow)?.nodes[session.node];
  return session.history.length >= 2 || (node?.type === "input" && session.history.length >= 1);
}

/** One step's work: the screen being built and the effects collected on the way. */
class Run {
  private texts: string[] = [];
  /** The sentence key of each text, for channels that play a recording instead (voice). */
  private keys: (string | null)[] = [];
  private effects: Effect[] = [];
  private loggedInput?: string;
  /** The input was not one the screen takes: the screen is shown again with a hint. */
  refused = false;
  /** How many sentences came before the waiting screen's own (messages passed on the way, hints). */
  shownBeforeScreen = 0;

  constructor(
    private readonly setup: EngineSetup,
    private readonly conversation: Conversation,
  ) {}

  private get globals(): Globals {
    return this.setup.flows.globals;
  }

  private flow(id: string): Flow {
    const flow = this.setup.flows.flows.get(id);
    if (!flow) throw new Error(`unknown flow "${id}"`);
    return flow;
  }

  private node(ref: NodeRef): FlowNode {
    const node = this.flow(ref.flow).nodes[ref.node];
    if (!node) throw new Error(`unknown node "${ref.flow}:${ref.node}"`);
    return node;
  }

  async begin(session: SessionState, target: string): Promise<StepResult> {
    return this.goTo(session, { flow: session.flow, node: session.node }, target, false);
  }

  /** A sentence shown before whatever the step shows next. */
  note(locale: Locale, key: string): void {
    this.sentence(this.setup.translate(locale, key), key);
  }

  private sentence(text: string, key: string): void {
    this.texts.push(text);
    this.keys.push(key);
  }

  resumeOffer(session: SessionState, hint?: string): StepResult {
    const t = (key: string) => this.setup.translate(session.locale, key);
    if (hint) this.sentence(t(hint), hint);
    this.sentence(t("engine.resume_prompt"), "engine.resume_prompt");
    const choices = [t("engine.resume_continue"), t("engine.resume_restart")].map((label, i) => ({ number: String(i + 1), label }));
    return this.finish(session, { choices, expects: "choice", end: false });
  }

  /** Shows the node the session is at again, without running anything. */
  show(session: SessionState, hint?: string): StepResult {
    if (hint) this.sentence(this.setup.translate(session.locale, hint), hint);
    return this.render(session);
  }

  private refuse(session: SessionState, hint: string): StepResult {
    this.refused = true;
    return this.show(session, hint);
  }

  /** No choice on the screen matches the input: the screen again with a hint, marked unmatched (see Reply.unmatched). */
  private refuseUnmatched(session: SessionState): StepResult {
    const result = this.refuse(session, "engine.invalid_choice");
    result.reply.unmatched = true;
    return result;
  }

  /** A shared phone number: where the waiting node says it goes, or a hint that it is not expected here. */
  async contact(session: SessionState): Promise<StepResult> {
    const here: NodeRef = { flow: session.flow, node: session.node };
    const node = this.node(here);
    this.loggedInput = "[shared phone number]";
    if (node.type === "input" && node.onContact) return this.goTo(session, here, node.onContact, true);
    return this.show(session, "engine.invalid_choice");
  }

  async answer(session: SessionState, input: string, entry: NodeRef): Promise<StepResult> {
    const here: NodeRef = { flow: session.flow, node: session.node };
    const node = this.node(here);
    // A choice on the screen wins over a global word with the same text ("English" on the language menu).
    const word = this.isLabelOnScreen(node, session, input) ? null : matchGlobalWord(input, this.globals);
    if (word) {
      switch (word) {
        case "back": {
          const previous = session.history.pop();
          if (!previous) return this.goHome(session, entry);
          session.flow = previous.flow;
          session.node = previous.node;
          return this.render(session);
        }
        case "home":
          return this.goHome(session, entry);
        case "help": {
          const key = this.globals.words.help.text ?? "help.text";
          this.sentence(this.setup.translate(session.locale, key), key);
          return this.render(session);
        }
        case "language":
        case "human":
        case "stop_reminders":
        case "status":
        case "start_reminders":
        case "withdraw_consent":
          return this.goTo(session, here, this.globals.words[word]!.go!, true);
      }
    }
    switch (node.type) {
      case "menu": {
        const options = node.options.filter((o) => holds(o.when, session.vars));
        const picked = matchChoice(
          input,
          this.setup.locales.map((l) => options.map((o) => this.setup.translate(l, o.label, session.vars))),
          optionNumbers(options),
        );
        if (picked === null) return this.refuseUnmatched(session);
        this.loggedInput = input;
        for (const [path, value] of Object.entries(options[picked].set ?? {})) setPath(session.vars, path, value);
        return this.goTo(session, here, options[picked].go, true);
      }
      case "choose": {
        const items = this.chooseItems(node, session.vars);
        const picked = matchChoice(
          input,
          this.setup.locales.map((l) => this.chooseLabels(node, items, session.vars, l)),
        );
        if (picked === null) return this.refuseUnmatched(session);
        this.loggedInput = input;
        setPath(session.vars, node.save, items[picked].id);
        return this.goTo(session, here, node.next, true);
      }
      case "input": {
        const validator = this.setup.validators[node.validate];
        if (!validator) throw new Error(`unknown validator "${node.validate}"`);
        const result = validator(input, session.vars);
        this.loggedInput = node.sensitive ? (result.ok ? result.masked ?? "[hidden]" : "[hidden]") : input;
        if (!result.ok) return this.refuse(session, result.hint);
        setPath(session.vars, node.save, result.value);
        return this.goTo(session, here, node.next, true);
      }
      default:
        // The session rests only on waiting nodes; anything else means the flows changed under it.
        return this.goHome(session, entry);
    }
  }

  private isLabelOnScreen(node: FlowNode, session: SessionState, input: string): boolean {
    if (node.type !== "menu" || /^\d+$/.test(input.trim())) return false;
    const typed = matchKey(input);
    return node.options.some(
      (o) => holds(o.when, session.vars) && this.setup.locales.some((l) => matchKey(this.setup.translate(l, o.label, session.vars)) === typed),
    );
  }

  private goHome(session: SessionState, entry: NodeRef): Promise<StepResult> {
    session.history = [];
    const home = this.globals.words.home.go ?? `${entry.flow}:${entry.node}`;
    return this.goTo(session, { flow: session.flow, node: session.node }, home, false);
  }

  /** Follows targets through automatic nodes (messages, actions, branches) until a node that waits. */
  private async goTo(session: SessionState, from: NodeRef, target: string, remember: boolean): Promise<StepResult> {
    let current = from;
    let next = target;
    for (let steps = 0; steps < MAX_AUTOMATIC_STEPS; steps++) {
      const ref = resolveTarget(this.setup.flows.flows, current.flow, next);
      if (!ref) throw new Error(`jump to nowhere: "${next}" from ${current.flow}:${current.node}`);
      current = ref;
      const node = this.node(ref);
      if (isWaitingNode(node)) {
        if (node.type === "menu" && node.home) {
          session.history = [];
        } else if (remember && !(from.flow === ref.flow && from.node === ref.node)) {
          session.history.push(from);
          if (session.history.length > MAX_HISTORY) session.history.shift();
        }
        session.flow = ref.flow;
        session.node = ref.node;
        return this.render(session);
      }
      this.say(node.text, session);
      switch (node.type) {
        case "message":
          if (node.end || !node.next) {
            session.ended = true;
            session.flow = ref.flow;
            session.node = ref.node;
            return this.finish(session, { choices: [], expects: "none", end: true });
          }
          next = node.next;
          break;
        case "branch": {
          const value = getPath(session.vars, node.on);
          next = node.cases[String(value)] ?? node.default;
          break;
        }
        case "action": {
          const action = this.setup.actions[node.action];
          if (!action) throw new Error(`unknown action "${node.action}"`);
          const args: Record<string, unknown> = {};
          for (const [name, raw] of Object.entries(node.args ?? {})) {
            args[name] = raw.startsWith("$") ? getPath(session.vars, raw.slice(1)) : raw;
          }
          const result = await action(args, { conversation: this.conversation, vars: session.vars, locale: session.locale });
          if (node.save) setPath(session.vars, node.save, result.value);
          if (result.vars) Object.assign(session.vars, result.vars);
          if (result.effects) this.effects.push(...result.effects);
          if (result.locale) session.locale = result.locale;
          const outcome = node.outcomes[result.outcome] ?? node.outcomes.default;
          if (!outcome) throw new Error(`action "${node.action}" gave outcome "${result.outcome}", which ${ref.flow}:${ref.node} does not handle`);
          next = outcome;
          break;
        }
      }
    }
    throw new Error(`more than ${MAX_AUTOMATIC_STEPS} steps without waiting, from ${from.flow}:${from.node}: a loop in the flows`);
  }

  private chooseItems(node: ChooseNode, vars: Record<string, unknown>): ChooseItem[] {
    const items = getPath(vars, node.from);
    return Array.isArray(items) ? (items as ChooseItem[]) : [];
  }

  private chooseLabels(node: ChooseNode, items: ChooseItem[], vars: Record<string, unknown>, locale: Locale): string[] {
    return node.label ? items.map((item) => this.setup.translate(locale, node.label!, { ...vars, item })) : items.map((item) => item.label);
  }

  private say(items: TextItem[] | undefined, session: SessionState): void {
    for (const item of items ?? []) {
      if (!holds(item.when, session.vars)) continue;
      if (item.each) {
        const list = getPath(session.vars, item.each);
        if (!Array.isArray(list)) continue;
        for (const element of list) this.sentence(this.setup.translate(session.locale, item.key, { ...session.vars, item: element }), item.key);
      } else {
        this.sentence(this.setup.translate(session.locale, item.key, session.vars), item.key);
      }
    }
  }

  private render(session: SessionState): StepResult {
    const node = this.node({ flow: session.flow, node: session.node }) as MenuNode | ChooseNode | InputNode;
    this.shownBeforeScreen = this.texts.length;
    this.say(node.text, session);
    let choices: Choice[] = [];
    if (node.type === "menu") {
      const options = node.options.filter((o) => holds(o.when, session.vars));
      const numbers = optionNumbers(options);
      choices = options.map((o, i) => ({ number: numbers[i], label: this.setup.translate(session.locale, o.label, session.vars) }));
    } else if (node.type === "choose") {
      choices = this.chooseLabels(node, this.chooseItems(node, session.vars), session.vars, session.locale).map((label, i) => ({ number: String(i + 1), label }));
    }
    return this.finish(session, {
      choices,
      expects: node.type === "input" ? "text" : "choice",
      end: false,
      offerContact: node.type === "input" && node.offerContact ? true : undefined,
    });
  }

  private finish(session: SessionState, screen: Pick<Reply, "choices" | "expects" | "end" | "offerContact">): StepResult {
    const t = (key: string) => this.setup.translate(session.locale, key);
    const reply: Reply = {
      locale: session.locale,
      texts: this.texts,
      sentenceKeys: this.keys,
      ...screen,
      nav: { back: t("engine.nav_back"), home: t("engine.nav_home"), more: t("engine.nav_more") },
      canGoBack: !screen.end && !session.offeringResume && session.history.length > 0,
    };
    if (reply.offerContact === undefined) delete reply.offerContact;
    return { session, reply, effects: this.effects, loggedInput: this.loggedInput };
  }
}

/** The numbers a menu's options answer to: their place in the list, unless the flow fixes one ("9"). */
function optionNumbers(options: MenuOption[]): string[] {
  return options.map((o, i) => o.number ?? String(i + 1));
}
