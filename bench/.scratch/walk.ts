// Plays a few callers' dials in-process, printing every screen: checks the journeys follow the menus.
import fs from "node:fs";
import { createServices, LOCALES_DIR } from "../../src/services.ts";
import { africasTalking } from "../../src/channels/ussd/gateways/africasTalking.ts";
import { loadSecret } from "../../src/shared/secrets.ts";
import { toUssdText } from "../../src/channels/ussd/ussdText.ts";
import { readLocaleResources } from "../../src/i18n/translator.ts";
import { AnsinhCaller, HopTally, screenWords, ANSINH_JOURNEYS } from "../lib/callers.ts";
import { callerMsisdn, loadBenchBeneficiaries } from "../lib/paymentList.ts";
process.env.ANSINH_SECRET = "bench"; process.env.LOG_LEVEL = "warn";
const dir = "/tmp/bench-walk"; fs.rmSync(dir, { recursive: true, force: true }); fs.mkdirSync(dir);
const url = `file:${dir}/a.db`;
await loadBenchBeneficiaries(url, dir, 40, loadSecret(dir));
const services = createServices({ config: { databaseUrl: url } });
const tally = new HopTally();
const words = screenWords(readLocaleResources(LOCALES_DIR), toUssdText);
for (const idx of [0, 1, 6, 7]) {
  const c = new AnsinhCaller(idx, callerMsisdn(idx), tally, words);
  for (let d = 0; d < ANSINH_JOURNEYS.length + 2; d++) {
    console.log(`\n===== caller ${idx} dial ${d + 1}`);
    for (let h = 0; h < 12; h++) {
      const body = Object.fromEntries(new URLSearchParams(c.nextBody()));
      const r = await services.ussd.handleGatewayBody(africasTalking, body);
      console.log(`> text="${body.text}"\n${r.body}`);
      c.answer(r.status, r.body);
      if (c.betweenDials) break;
    }
  }
}
console.log(tally);
await services.close();
