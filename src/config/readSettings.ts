import { VARIABLES, type Settings, type Variable, type VariableName } from "./variables.ts";

/** The environment, or a test's stand-in for it. */
export type Env = Record<string, string | undefined>;

/** Bad values, all of them at once, each naming its variable and what was expected. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.length === 1 ? problems[0] : `${problems.length} environment variables have bad values:\n  ${problems.join("\n  ")}`);
    this.name = "ConfigError";
  }
}

type Read<T> = { ok: true; value: T } | { ok: false; problem: string };

function read(name: VariableName, env: Env): Read<unknown> {
  const v: Variable = VARIABLES[name];
  const raw = env[name];
  // An empty variable is an unset one (`FOO= npm start`, or a blank line in an env file).
  if (raw === undefined || raw === "") return { ok: true, value: v.default };
  const parsed = v.schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const got = v.secret ? "the value is not shown: it may hold a secret" : `got ${JSON.stringify(raw)}`;
  return { ok: false, problem: `${name} must be ${v.expected} (${got})` };
}

/**
 * One variable, for the low-level modules that need only it and may run before (or without) the
 * whole configuration (the logger, opening the database, the secret). Read at each call, so a test
 * or a benchmark that sets the variable first is heard.
 */
export function setting<N extends VariableName>(name: N, env: Env = process.env): Settings[N] {
  const result = read(name, env);
  if (!result.ok) throw new ConfigError([result.problem]);
  return result.value as Settings[N];
}

/** Every variable, or a ConfigError listing every bad one. */
export function readSettings(env: Env = process.env): Settings {
  const settings: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const name of Object.keys(VARIABLES) as VariableName[]) {
    const result = read(name, env);
    if (result.ok) settings[name] = result.value;
    else problems.push(result.problem);
  }
  if (problems.length) throw new ConfigError(problems);
  return settings as Settings;
}
