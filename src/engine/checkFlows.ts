import type { Flow, FlowNode, TextItem } from "./flowTypes.ts";
import { isWaitingNode } from "./flowTypes.ts";
import { resolveTarget, targetsOf, type LoadedFlows } from "./loadFlows.ts";

export interface FlowCheckInput {
  flows: LoadedFlows;
  actionNames: string[];
  validatorNames: string[];
  /** Whether a sentence key exists in a locale. */
  hasKey: (locale: string, key: string) => boolean;
  locales: string[];
  /** Keys said by code rather than by a flow (engine prompts, formatter labels). */
  extraKeys: string[];
}

/**
 * What loading cannot see: actions and validators no one provides, sentences missing in a
 * language, nodes no path reaches, and loops of automatic nodes that would never wait for input.
 */
export function checkFlows(input: FlowCheckInput): string[] {
  const problems: string[] = [];
  const { flows, globals } = input.flows;
  const where = (flow: Flow, node: string) => `${flow.file} [${node}]`;

  const keysUsed = new Map<string, string>(); // key → where first used
  const useKey = (key: string, place: string) => {
    if (!keysUsed.has(key)) keysUsed.set(key, place);
  };
  for (const key of input.extraKeys) useKey(key, "engine");
  if (globals.words.help.text) useKey(globals.words.help.text, "_globals.yaml");

  for (const flow of flows.values()) {
    for (const [name, node] of Object.entries(flow.nodes)) {
      const place = where(flow, name);
      for (const item of node.text ?? ([] as TextItem[])) useKey(item.key, place);
      if (node.type === "menu") for (const option of node.options) useKey(option.label, place);
      if (node.type === "choose" && node.label) useKey(node.label, place);
      if (node.type === "action" && !input.actionNames.includes(node.action)) problems.push(`${place}: unknown action "${node.action}"`);
      if (node.type === "input" && !input.validatorNames.includes(node.validate)) problems.push(`${place}: unknown validator "${node.validate}"`);
    }
  }
  for (const [key, place] of keysUsed) {
    for (const locale of input.locales) {
      if (!input.hasKey(locale, key)) problems.push(`${place}: sentence "${key}" is missing in locales/${locale}`);
    }
  }

  // Reachability: from the entry and the global words, through every target.
  const reached = new Set<string>();
  const queue: { flow: string; node: string }[] = [];
  const visit = (from: string, target: string) => {
    const ref = resolveTarget(flows, from, target);
    if (ref && !reached.has(`${ref.flow}:${ref.node}`)) {
      reached.add(`${ref.flow}:${ref.node}`);
      queue.push(ref);
    }
  };
  visit("", globals.entry);
  for (const word of Object.values(globals.words)) if (word.go) visit("", word.go);
  while (queue.length) {
    const ref = queue.shift()!;
    for (const target of targetsOf(flows.get(ref.flow)!.nodes[ref.node])) visit(ref.flow, target);
  }
  for (const flow of flows.values()) {
    for (const name of Object.keys(flow.nodes)) {
      if (!reached.has(`${flow.id}:${name}`)) problems.push(`${where(flow, name)}: unreachable: no path leads here`);
    }
  }

  // Loops made only of automatic nodes would spin without ever waiting for the person.
  for (const flow of flows.values()) {
    for (const [name, node] of Object.entries(flow.nodes)) {
      if (isWaitingNode(node)) continue;
      if (automaticLoop(input.flows, flow.id, name, node)) problems.push(`${where(flow, name)}: loops through automatic nodes without waiting for input`);
    }
  }
  return problems;
}

function automaticLoop(loaded: LoadedFlows, flowId: string, name: string, start: FlowNode): boolean {
  const seen = new Set<string>();
  const stack = targetsOf(start).map((t) => ({ from: flowId, target: t }));
  while (stack.length) {
    const { from, target } = stack.pop()!;
    const ref = resolveTarget(loaded.flows, from, target);
    if (!ref) continue;
    const id = `${ref.flow}:${ref.node}`;
    if (ref.flow === flowId && ref.node === name) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    const node = loaded.flows.get(ref.flow)!.nodes[ref.node];
    if (!isWaitingNode(node)) stack.push(...targetsOf(node).map((t) => ({ from: ref.flow, target: t })));
  }
  return false;
}
