import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { z } from "zod";
import type { FlowNode, FlowSet, TextItem } from "./flowTypes.ts";
import { isValidCondition } from "./conditions.ts";

/** Problems found while loading: which file, which node, what is wrong. */
export interface FlowProblem {
  file: string;
  node?: string;
  problem: string;
}

export class FlowLoadError extends Error {
  constructor(readonly problems: FlowProblem[]) {
    super(`Flows are invalid:\n${problems.map(formatProblem).join("\n")}`);
  }
}

export function formatProblem(p: FlowProblem): string {
  return `${p.file}${p.node ? ` [${p.node}]` : ""}: ${p.problem}`;
}

const textItem = z.union([
  z.string().min(1),
  z.strictObject({ key: z.string().min(1), when: z.string().optional(), each: z.string().optional() }),
]);
const text = z.union([textItem, z.array(textItem)]).optional();
const target = z.string().min(1);

const nodeSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("menu"),
    text,
    options: z
      .array(
        z.strictObject({
          label: z.string().min(1),
          go: target,
          when: z.string().optional(),
          set: z.record(z.string(), z.string()).optional(),
          number: z.string().regex(/^\d+$/).optional(),
        }),
      )
      .min(1),
    home: z.boolean().optional(),
    explicit: z.boolean().optional(),
  }),
  z.strictObject({
    type: z.literal("choose"),
    text,
    from: z.string().min(1),
    label: z.string().min(1).optional(),
    save: z.string().min(1),
    next: target,
    identified: z.boolean().optional(),
  }),
  z.strictObject({
    type: z.literal("input"),
    text,
    validate: z.string().min(1),
    save: z.string().min(1),
    next: target,
    sensitive: z.boolean().optional(),
    offerContact: z.boolean().optional(),
    onContact: target.optional(),
  }),
  z.strictObject({
    type: z.literal("action"),
    text,
    action: z.string().min(1),
    args: z.record(z.string(), z.string()).optional(),
    save: z.string().optional(),
    outcomes: z.record(z.string(), target),
  }),
  z.strictObject({ type: z.literal("message"), text, next: target.optional(), end: z.boolean().optional() }),
  z.strictObject({
    type: z.literal("branch"),
    text,
    on: z.string().min(1),
    cases: z.record(z.string(), target),
    default: target,
  }),
]);

const flowSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/, "use lower case letters, digits and _"),
  start: z.string().min(1),
  nodes: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, "node names use lower case letters, digits and _"), z.unknown()),
});

const globalWordSchema = z.strictObject({ words: z.array(z.string().min(1)).min(1), go: target.optional(), text: z.string().optional() });
const globalsSchema = z.strictObject({
  entry: target,
  globals: z.strictObject({
    back: globalWordSchema,
    home: globalWordSchema,
    help: globalWordSchema,
    language: globalWordSchema,
    human: globalWordSchema,
    stop_reminders: globalWordSchema,
    // Keywords of SMS (8171-style "TT", "BAT NHAC"), which work on every channel like the others.
    status: globalWordSchema.optional(),
    start_reminders: globalWordSchema.optional(),
    // Optional: a flow set without personal-data screens (a benchmark fixture) leaves it out.
    withdraw_consent: globalWordSchema.optional(),
  }),
});

/** Words every flow set has, and those a flow set may leave out (SMS keywords, the personal-data screens). */
type OptionalWordName = "status" | "start_reminders" | "withdraw_consent";
export type GlobalWordName = "back" | "home" | "help" | "language" | "human" | "stop_reminders" | OptionalWordName;
type GlobalWord = { words: string[]; go?: string; text?: string };
export interface Globals {
  entry: string;
  words: Record<Exclude<GlobalWordName, OptionalWordName>, GlobalWord> & Partial<Record<OptionalWordName, GlobalWord>>;
}

export interface LoadedFlows {
  flows: FlowSet;
  globals: Globals;
}

function normalizeText(raw: unknown): TextItem[] {
  if (raw === undefined) return [];
  const items = Array.isArray(raw) ? raw : [raw];
  return items.map((item) => (typeof item === "string" ? { key: item } : (item as TextItem)));
}

function zodMessage(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join(".") + ": " : ""}${i.message}`).join("; ");
}

/**
 * Reads every flow in `dir` (one YAML file per flow, plus `_globals.yaml`), validates the
 * shape of each node, and reports all problems at once rather than stopping at the first.
 */
export function loadFlows(dir: string): LoadedFlows {
  const problems: FlowProblem[] = [];
  const flows: FlowSet = new Map();
  let globals: Globals | undefined;
  const files = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  for (const file of files) {
    const full = path.join(dir, file);
    let doc: unknown;
    try {
      doc = YAML.parse(fs.readFileSync(full, "utf8"));
    } catch (error) {
      problems.push({ file, problem: `not valid YAML: ${(error as Error).message.split("\n")[0]}` });
      continue;
    }
    if (file.startsWith("_globals")) {
      const parsed = globalsSchema.safeParse(doc);
      if (!parsed.success) problems.push({ file, problem: zodMessage(parsed.error) });
      else globals = { entry: parsed.data.entry, words: parsed.data.globals };
      continue;
    }
    const parsed = flowSchema.safeParse(doc);
    if (!parsed.success) {
      problems.push({ file, problem: zodMessage(parsed.error) });
      continue;
    }
    const nodes: Record<string, FlowNode> = {};
    for (const [name, rawNode] of Object.entries(parsed.data.nodes)) {
      const node = nodeSchema.safeParse(rawNode);
      if (!node.success) {
        problems.push({ file, node: name, problem: zodMessage(node.error) });
        continue;
      }
      const normalized = { ...node.data, text: normalizeText(node.data.text) } as FlowNode;
      for (const item of normalized.text ?? []) {
        if (item.when && !isValidCondition(item.when)) problems.push({ file, node: name, problem: `bad condition "${item.when}"` });
      }
      if (normalized.type === "menu") {
        for (const option of normalized.options) {
          if (option.when && !isValidCondition(option.when)) problems.push({ file, node: name, problem: `bad condition "${option.when}"` });
        }
      }
      nodes[name] = normalized;
    }
    if (flows.has(parsed.data.id)) problems.push({ file, problem: `flow id "${parsed.data.id}" is used by another file too` });
    if (!nodes[parsed.data.start] && !problems.some((p) => p.file === file)) {
      problems.push({ file, problem: `start node "${parsed.data.start}" does not exist` });
    }
    flows.set(parsed.data.id, { id: parsed.data.id, file, start: parsed.data.start, nodes });
  }
  if (!globals) problems.push({ file: "_globals.yaml", problem: "missing: it names the entry flow and the global words" });
  for (const [flowId, flow] of flows) {
    for (const [name, node] of Object.entries(flow.nodes)) {
      for (const t of targetsOf(node)) {
        if (!resolveTarget(flows, flowId, t)) problems.push({ file: flow.file, node: name, problem: `jump to nowhere: "${t}"` });
      }
    }
  }
  if (globals) {
    for (const t of [globals.entry, ...Object.values(globals.words).flatMap((w) => (w.go ? [w.go] : []))]) {
      if (!resolveTarget(flows, "", t)) problems.push({ file: "_globals.yaml", problem: `jump to nowhere: "${t}"` });
    }
  }
  if (problems.length) throw new FlowLoadError(problems);
  return { flows, globals: globals! };
}

/** Every target a node can jump to. */
export function targetsOf(node: FlowNode): string[] {
  switch (node.type) {
    case "menu":
      return node.options.map((o) => o.go);
    case "choose":
      return [node.next];
    case "input":
      return node.onContact ? [node.next, node.onContact] : [node.next];
    case "action":
      return Object.values(node.outcomes);
    case "message":
      return node.next ? [node.next] : [];
    case "branch":
      return [...Object.values(node.cases), node.default];
  }
}

/** "node" (same flow), "flow:" or "flow" with a colon-less flow id via "flow:"; "flow:node". */
export function resolveTarget(flows: FlowSet, currentFlow: string, target: string): { flow: string; node: string } | null {
  const colon = target.indexOf(":");
  if (colon === -1) {
    const flow = flows.get(currentFlow);
    return flow?.nodes[target] ? { flow: currentFlow, node: target } : null;
  }
  const flowId = target.slice(0, colon);
  const flow = flows.get(flowId);
  if (!flow) return null;
  const node = target.slice(colon + 1) || flow.start;
  return flow.nodes[node] ? { flow: flowId, node } : null;
}
