import { Engine } from "../../src/engine/engine.ts";
import { loadFlows } from "../../src/engine/loadFlows.ts";
import type { SessionState } from "../../src/engine/session.ts";
import type { Action, ActionResult, Conversation, Reply, StepResult } from "../../src/engine/types.ts";
import { createValidators } from "../../src/domain/validators.ts";
import { createTranslator } from "../../src/i18n/translator.ts";
import { FLOWS_DIR, LOCALES_DIR } from "../../src/shared/projectPaths.ts";

/**
 * The engine on the project's flows and sentences, with every domain action replaced by a fake
 * that answers from `results` and records its calls: engine behaviour without a database.
 */
export function engineWithFakeActions(results: Record<string, (args: Record<string, unknown>, vars: Record<string, unknown>) => ActionResult>) {
  const calls: { action: string; args: Record<string, unknown> }[] = [];
  const actions: Record<string, Action> = {};
  // The person answered the personal-data notice before, unless a test says otherwise (the notice
  // itself is tested through the real services in tests/privacy).
  const withDefaults: typeof results = { consent_status: () => ({ outcome: "seen" }), ...results };
  for (const [name, result] of Object.entries(withDefaults)) {
    actions[name] = (args, call) => {
      calls.push({ action: name, args });
      return result(args, call.vars);
    };
  }
  const { translate, locales } = createTranslator(LOCALES_DIR);
  const engine = new Engine({
    flows: loadFlows(FLOWS_DIR),
    actions,
    validators: createValidators(Buffer.alloc(32, 1)),
    translate,
    locales,
    defaultLocale: "vi",
  });
  return { engine, calls };
}

/** Drives a conversation turn by turn, keeping the session the engine returns. */
export class Chat {
  session: SessionState | null = null;
  last!: StepResult;
  effects: StepResult["effects"] = [];

  constructor(
    private readonly engine: Engine,
    readonly conversation: Conversation = { channel: "telegram", userId: "42" },
  ) {}

  async start(): Promise<Reply> {
    return this.apply(await this.engine.step(this.session, { kind: "start" }, this.conversation));
  }

  /** A fresh start that then presses `inputs` (keys dialled with a USSD code). */
  async startWith(...inputs: string[]): Promise<Reply> {
    return this.apply(await this.engine.step(this.session, { kind: "start", inputs }, this.conversation));
  }

  async reconnect(): Promise<Reply> {
    return this.apply(await this.engine.step(this.session, { kind: "reconnect" }, this.conversation));
  }

  async say(text: string): Promise<Reply> {
    return this.apply(await this.engine.step(this.session, { kind: "input", text }, this.conversation));
  }

  private apply(result: StepResult): Reply {
    this.last = result;
    // Frozen, so a step that changed the session it was given (instead of its copy) fails the test.
    this.session = deepFreeze(result.session);
    this.effects.push(...result.effects);
    return result.reply;
  }
}

export const text = (reply: Reply) => [...reply.texts, ...reply.choices.map((c) => `${c.number}. ${c.label}`)].join("\n");

export const person = {
  kind: "beneficiary",
  verification: "phone",
  beneficiaryId: 7,
  name: "Nguyễn Thị Test",
  beneficiaries: [{ id: 7, label: "Nguyễn Thị Test" }],
  isGuardianOfMany: false,
};

export const identified = () => ({ outcome: "identified", vars: { person } });

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
