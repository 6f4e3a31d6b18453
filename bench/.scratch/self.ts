import { summarizeCpuProfile } from "../lib/cpuProfile.ts";
console.log(summarizeCpuProfile(process.argv[2], "/work/main", 45));
