import fs from "node:fs";
import path from "node:path";

/**
 * Reads a V8 .cpuprofile (written by `node --cpu-prof`) and sums self time per function and per
 * source area, so a hot spot shows up as a line of text with its share of the samples.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function area(url: string, root: string): string {
  if (!url) return "(native / V8)";
  const file = url.replace(/^file:\/\//, "");
  const nm = file.lastIndexOf("node_modules/");
  if (nm !== -1) {
    const parts = file.slice(nm + "node_modules/".length).split("/");
    return `npm: ${parts[0].startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]}`;
  }
  if (file.startsWith("node:")) return `node: ${file.slice(5).split("/")[0]}`;
  return path.relative(root, file);
}

export function summarizeCpuProfile(file: string, root: string, top = 25): string {
  const profile = JSON.parse(fs.readFileSync(file, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfSamples = new Map<number, number>();
  for (const id of profile.samples) selfSamples.set(id, (selfSamples.get(id) ?? 0) + 1);
  const total = profile.samples.length;
  const perFunction = new Map<string, number>();
  const perArea = new Map<string, number>();
  for (const [id, count] of selfSamples) {
    const frame = byId.get(id)!.callFrame;
    const where = area(frame.url, root);
    const name = `${frame.functionName || "(anonymous)"}  ${where}${frame.url ? `:${frame.lineNumber + 1}` : ""}`;
    perFunction.set(name, (perFunction.get(name) ?? 0) + count);
    perArea.set(where, (perArea.get(where) ?? 0) + count);
  }
  const lines = (m: Map<string, number>, n: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `  ${((100 * v) / total).toFixed(1).padStart(5)} %  ${k}`);
  return [
    `CPU profile ${file} (${total.toLocaleString("en")} samples)`,
    "self time by source file or package:",
    ...lines(perArea, 20),
    "self time by function:",
    ...lines(perFunction, top),
  ].join("\n");
}

/** Total (inclusive) share of samples under any frame whose function name matches: "how much of the hop is X". */
export function inclusiveShare(file: string, match: (functionName: string, url: string) => boolean): number {
  const profile = JSON.parse(fs.readFileSync(file, "utf8")) as Profile;
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const memo = new Map<number, boolean>();
  const under = (id: number): boolean => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    // Walk up to the root; profiles are a few hundred frames deep at most.
    let result = false;
    for (let cur: number | undefined = id, guard = 0; cur !== undefined && guard < 10_000; cur = parent.get(cur), guard++) {
      const f = byId.get(cur)!.callFrame;
      if (match(f.functionName, f.url)) {
        result = true;
        break;
      }
    }
    memo.set(id, result);
    return result;
  };
  let hits = 0;
  for (const id of profile.samples) if (under(id)) hits++;
  return profile.samples.length ? hits / profile.samples.length : 0;
}
