import { paginateUssd } from "../channels/ussd/renderUssd.ts";
import type { ActionDeps } from "../domain/actions/deps.ts";
import { createActions } from "../domain/actions/index.ts";
import { PAYMENT_METHODS } from "../domain/paymentMethods.ts";
import { createValidators } from "../domain/validators.ts";
import { OPERATOR_OWNERSHIP_KEYS } from "../domain/escalations/operatorOwnership.ts";
import { OUTBOX_KEYS } from "../domain/outbox/outboxText.ts";
import { checkFlows } from "../engine/checkFlows.ts";
import { ENGINE_KEYS, Engine } from "../engine/engine.ts";
import { isWaitingNode } from "../engine/flowTypes.ts";
import { FlowLoadError, formatProblem, loadFlows } from "../engine/loadFlows.ts";
import type { Locale } from "../engine/session.ts";
import { createTranslator, NAMESPACE, STATUS_DETAIL_KEYS } from "../i18n/translator.ts";
import { SMS_HELP_KEY } from "../channels/sms/renderSms.ts";
import { FLOWS_DIR, LOCALES_DIR } from "../shared/projectPaths.ts";
import { sampleVariants } from "./sampleVariables.ts";
import { checkSmsSentences } from "./checkSmsSentences.ts";
import { SMS_REMINDER_KEYS } from "../domain/outbox/smsReminderText.ts";
import { unrecordedSentences } from "./unrecordedSentences.ts";
import { VOICE_KEYS } from "../channels/voice/voiceChannel.ts";

/** The words of a payment's status, and of having none this period (a guardian's list of people). */
const PAYMENT_STATUSES = ["scheduled", "paid", "failed", "returned", "none"];
/** A screen that needs more pages than this is hard to use on a feature phone. */
const PAGES_WORTH_A_WARNING = 3;

export interface FlowsReport {
  problems: string[];
  warnings: string[];
  flowCount: number;
  nodeCount: number;
  locales: string[];
  /** Per language, the sentences a call speaks because no recording exists (information, not a problem). */
  unrecorded: Record<string, string[]>;
}

/** Everything `ansinh flows check` verifies, on the project's flows and sentences. */
export function checkProjectFlows(options: { ussdScreenLimit: number; flowsDir?: string; localesDir?: string; audioDir?: string }): FlowsReport {
  const flowsDir = options.flowsDir ?? FLOWS_DIR;
  const { i18n, translate, locales } = createTranslator(options.localesDir ?? LOCALES_DIR);
  let loaded;
  try {
    loaded = loadFlows(flowsDir);
  } catch (error) {
    if (error instanceof FlowLoadError) return { problems: error.problems.map(formatProblem), warnings: [], flowCount: 0, nodeCount: 0, locales, unrecorded: {} };
    throw error;
  }
  const actions = createActions({} as ActionDeps);
  const validators = createValidators(Buffer.alloc(32));
  const hasKey = (locale: string, key: string) => typeof i18n.getResource(locale, NAMESPACE, key) === "string";
  const problems = checkFlows({
    flows: loaded,
    actionNames: Object.keys(actions),
    validatorNames: Object.keys(validators),
    hasKey,
    locales,
    extraKeys: [
      ...ENGINE_KEYS,
      ...PAYMENT_METHODS.map((m) => `method.name.${m}`),
      ...PAYMENT_STATUSES.map((s) => `payment_status.${s}`),
      ...STATUS_DETAIL_KEYS,
      SMS_HELP_KEY,
      ...validatorHints(),
      ...OUTBOX_KEYS,
      ...SMS_REMINDER_KEYS,
      ...OPERATOR_OWNERSHIP_KEYS,
      ...VOICE_KEYS,
    ],
  });
  problems.push(...keysMissingBetweenLocales(i18n.store.data, locales));
  if (problems.length === 0) problems.push(...checkSmsSentences(translate, locales));

  const warnings: string[] = [];
  if (problems.length === 0) {
    const engine = new Engine({ flows: loaded, actions, validators, translate, locales, defaultLocale: "vi" });
    const history = [{ flow: "main", node: "menu" }];
    for (const flow of loaded.flows.values()) {
      for (const [name, node] of Object.entries(flow.nodes)) {
        if (!isWaitingNode(node)) continue;
        let mostPages = 0;
        for (const locale of locales) {
          for (const vars of sampleVariants()) {
            const pages = paginateUssd(engine.preview({ flow: flow.id, node: name }, vars, locale as Locale, history), options.ussdScreenLimit);
            mostPages = Math.max(mostPages, pages.length);
            for (const [index, page] of pages.entries()) {
              if (page.text.length > options.ussdScreenLimit) {
                problems.push(`${flow.file} [${name}]: USSD page ${index + 1} in ${locale} is ${page.text.length} characters, over the limit of ${options.ussdScreenLimit}`);
              }
            }
          }
        }
        if (mostPages > PAGES_WORTH_A_WARNING) warnings.push(`${flow.file} [${name}]: needs up to ${mostPages} USSD pages with long data`);
      }
    }
  }
  const nodeCount = [...loaded.flows.values()].reduce((sum, f) => sum + Object.keys(f.nodes).length, 0);
  const unrecorded = options.audioDir ? unrecordedSentences(loaded, locales, options.audioDir, [...ENGINE_KEYS, ...validatorHints(), ...VOICE_KEYS]) : {};
  return { problems: [...new Set(problems)], warnings, flowCount: loaded.flows.size, nodeCount, locales, unrecorded };
}

/** Hints validators answer with: they are sentences too. */
function validatorHints(): string[] {
  return ["identify.bad_citizen_id", "identify.bad_date", "method.bad_account", "method.bad_phone", "method.old_phone", "validation.text_required"];
}

function flatKeys(value: unknown, prefix = ""): string[] {
  if (value === null || typeof value !== "object") return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => flatKeys(v, prefix ? `${prefix}.${k}` : k));
}

/** A sentence written in one language and forgotten in another. */
function keysMissingBetweenLocales(store: Record<string, Record<string, unknown>>, locales: string[]): string[] {
  const keysByLocale = new Map(locales.map((l) => [l, new Set(flatKeys(store[l]?.[NAMESPACE]))]));
  const problems: string[] = [];
  for (const [locale, keys] of keysByLocale) {
    for (const other of locales) {
      if (other === locale) continue;
      for (const key of keys) if (!keysByLocale.get(other)!.has(key)) problems.push(`locales/${other}/${NAMESPACE}.json: "${key}" is missing (present in ${locale})`);
    }
  }
  return problems;
}
