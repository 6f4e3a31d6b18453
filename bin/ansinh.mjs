#!/usr/bin/env node
// The `ansinh` command. The project runs its TypeScript through tsx, so there is no build step
// between a clone and a running service.
import { register } from "tsx/esm/api";

// Every command validates the configuration first (src/config), with zod and node-cron: loaded
// before tsx's hooks they cost about 0.15 s less CPU per command (zod alone is ~100 modules, each of
// which would pass through the hooks); what tsx loads later finds them already loaded.
await Promise.all([import("zod"), import("node-cron")]);
register();
await import("../src/cli/main.ts");
