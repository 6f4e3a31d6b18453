/**
 * CPU time per USSD hop without HTTP: the service's own objects (createServices) on a fresh
 * database of 10,000 beneficiaries, driven by 50 concurrent simulated callers (as the closed loop
 * over HTTP, so concurrent hops share commits as they do in the service) through
 * UssdChannel.handleGatewayBody. CPU time (user + system of this process) is steadier than
 * wall time on a shared machine, which makes this the bench for comparing changes to the hop.
 *
 *   npx tsx bench/hop-cost.ts [--hops 20000] [--concurrency 50]
 */
import { inProcessService, printRunHeader } from "./lib/inProcessService.ts";
import { africasTalking } from "../src/channels/ussd/gateways/africasTalking.ts";
import { toFeaturePhoneText } from "../src/shared/featurePhoneText.ts";
import { readLocaleResources } from "../src/i18n/translator.ts";
import { startWalCheckpointer } from "../src/db/walCheckpointer.ts";
import { LOCALES_DIR } from "../src/shared/projectPaths.ts";
import { AnsinhCaller, HopTally, screenWords } from "./lib/callers.ts";
import { fmt, runBench } from "./lib/machine.ts";
import { callerMsisdn } from "./lib/paymentList.ts";

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at === -1 ? fallback : Number(args[at + 1]);
};
const CALLERS = 10_000;
const HOPS = option("--hops", 20_000);
const WARMUP_HOPS = 5_000;
const CONCURRENCY = option("--concurrency", 50);

async function main(): Promise<void> {
  printRunHeader("bench/hop-cost.ts", args);
  const { services, cleanup } = await inProcessService(CALLERS);
  try {
    const checkpointer = startWalCheckpointer(services.db); // as `ansinh serve` does

    const tally = new HopTally();
    const words = screenWords(readLocaleResources(LOCALES_DIR), toFeaturePhoneText);
    const callers = Array.from({ length: CALLERS }, (_, i) => new AnsinhCaller(i, callerMsisdn(i), tally, words));
    let cursor = 0;
    let started = 0;
    const runHops = async (count: number) => {
      const goal = started + count;
      // Each lane plays one caller's dial after another; no two lanes share a caller at once.
      const lane = async () => {
        while (started < goal) {
          started += 1;
          const caller = callers[cursor];
          cursor = (cursor + 1) % callers.length;
          const body = Object.fromEntries(new URLSearchParams(caller.nextBody()));
          const answer = await services.ussd.handleGatewayBody(africasTalking, body);
          caller.answer(answer.status, answer.body);
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, lane));
    };
    await runHops(WARMUP_HOPS);
    const cpuBefore = process.cpuUsage();
    const wallBefore = performance.now();
    await runHops(HOPS);
    const cpu = process.cpuUsage(cpuBefore);
    const wall = performance.now() - wallBefore;
    await checkpointer.stop();
    await services.close();
    const cpuMs = (cpu.user + cpu.system) / 1000;
    console.log(
      `${fmt.int(HOPS)} hops after ${fmt.int(WARMUP_HOPS)} warm-up, ${CONCURRENCY} at a time: ` +
        `CPU ${fmt.int((cpuMs * 1000) / HOPS)} µs per hop (user ${fmt.int(cpu.user / HOPS)}, system ${fmt.int(cpu.system / HOPS)}), ` +
        `wall ${fmt.int((wall * 1000) / HOPS)} µs per hop = ${fmt.int(HOPS / (wall / 1000))} hops/s; errors ${tally.errors}, unexpected screens ${tally.unexpected}`,
    );
  } finally {
    cleanup();
  }
}

runBench(main);
