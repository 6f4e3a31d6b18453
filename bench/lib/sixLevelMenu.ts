import UssdMenu from "ussd-menu-builder";

/**
 * The baseline: a six-level menu built the way ussd-menu-builder's README builds one. Each level
 * offers three choices, stores the choice in the session and leads one level deeper; the sixth
 * answer ends the session. The library resolves a request by following the whole `text`
 * ("1*3*2...") from the start state, so a request at depth d walks d links first.
 */
export const SIX_LEVELS = 6;

export function levelScreen(depth: number): string {
  return `Muc ${depth}/${SIX_LEVELS}: chon mot muc\n1. Lua chon thu nhat\n2. Lua chon thu hai\n3. Lua chon thu ba\n0. Quay lai`;
}

export type SessionMap = Map<string, Record<string, unknown>>;

export function buildSixLevelMenu(sessions: SessionMap): UssdMenu {
  const menu = new UssdMenu();
  // Sessions in memory, through the library's own session hooks (as its README shows).
  menu.sessionConfig({
    start: (sessionId: string, callback: (err?: Error) => void) => {
      if (!sessions.has(sessionId)) sessions.set(sessionId, {});
      callback();
    },
    end: (sessionId: string, callback: (err?: Error) => void) => {
      sessions.delete(sessionId);
      callback();
    },
    set: (sessionId: string, key: string, value: unknown, callback: (err?: Error) => void) => {
      sessions.get(sessionId)![key] = value;
      callback();
    },
    get: (sessionId: string, key: string, callback: (err: Error | null, value?: unknown) => void) => {
      callback(null, sessions.get(sessionId)?.[key]);
    },
  });
  const nextOf = (depth: number) => {
    const target = depth < SIX_LEVELS ? `level${depth + 1}` : "done";
    return { "1": target, "2": target, "3": target };
  };
  menu.startState({ run: () => menu.con(levelScreen(1)), next: nextOf(1) });
  for (let depth = 2; depth <= SIX_LEVELS; depth++) {
    menu.state(`level${depth}`, {
      run: () => {
        void menu.session.set(`choice${depth - 1}`, menu.val).then(() => menu.con(levelScreen(depth)));
      },
      next: nextOf(depth),
    });
  }
  menu.state("done", {
    run: () => {
      void menu.session.set(`choice${SIX_LEVELS}`, menu.val).then(() => menu.end("Da ghi nhan lua chon. Cam on."));
    },
  });
  return menu;
}
