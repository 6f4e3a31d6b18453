import type { Command } from "commander";
import { smsTemplates } from "../domain/outbox/smsTemplates.ts";
import { createTranslator, NAMESPACE } from "../i18n/translator.ts";
import { LOCALES_DIR } from "../shared/projectPaths.ts";

export function registerSms(program: Command): void {
  const sms = program.command("sms").description("the SMS channel");
  sms
    .command("templates")
    .description("list the SMS messages (reminders, notices, decisions, operator replies) as templates to register with a brandname provider (eSMS)")
    .action(() => {
      const { i18n, locales } = createTranslator(LOCALES_DIR);
      const sentence = (locale: string, key: string) => String(i18n.getResource(locale, NAMESPACE, key) ?? "");
      for (const template of smsTemplates(sentence, locales)) process.stdout.write(`# ${template.locale} ${template.name}\n${template.text}\n\n`);
    });
}
