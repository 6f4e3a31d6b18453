/** Reads "a.b.c" from nested variables. */
export function getPath(vars: Record<string, unknown>, path: string): unknown {
  let value: unknown = vars;
  for (const part of path.split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/**
 * Sets a value at a dotted path, copying each object on the way instead of changing it: a step
 * copies only the top level of the session's vars, so the objects below may still belong to the
 * session it was given (which must stay as it was).
 */
export function setPath(vars: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".");
  let target = vars;
  for (const part of parts.slice(0, -1)) {
    const current = target[part];
    const copy = Array.isArray(current) ? current.slice() : current !== null && typeof current === "object" ? { ...(current as object) } : {};
    target[part] = copy;
    target = copy as Record<string, unknown>;
  }
  target[parts[parts.length - 1]] = value;
}

const COMPARISON = /^\s*(!?)\s*([\w.]+)\s*(?:(==|!=)\s*(\S+))?\s*$/;

function parseCondition(condition: string): { negate: boolean; path: string; op?: "==" | "!="; value?: string } | null {
  const m = COMPARISON.exec(condition);
  if (!m) return null;
  return { negate: m[1] === "!", path: m[2], op: m[3] as "==" | "!=" | undefined, value: m[4] };
}

/** Whether every clause of "a && b" is well formed. */
export function isValidCondition(condition: string): boolean {
  return condition.split("&&").every((clause) => parseCondition(clause) !== null);
}

/** Evaluates "path", "!path", "path == value", "path != value", joined by "&&". Empty lists and zero are false. */
export function holds(condition: string | undefined, vars: Record<string, unknown>): boolean {
  if (condition === undefined) return true;
  if (condition.includes("&&")) return condition.split("&&").every((clause) => holds(clause, vars));
  const parsed = parseCondition(condition);
  if (!parsed) return false;
  const value = getPath(vars, parsed.path);
  let result: boolean;
  if (parsed.op === "==") result = String(value) === parsed.value;
  else if (parsed.op === "!=") result = String(value) !== parsed.value;
  else result = Array.isArray(value) ? value.length > 0 : Boolean(value);
  return parsed.negate ? !result : result;
}
