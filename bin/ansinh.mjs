#!/usr/bin/env node
// The `ansinh` command. The project runs its TypeScript through tsx, so there is no build step
// between a clone and a running service.
import { register } from "tsx/esm/api";

register();
await import("../src/cli/main.ts");
