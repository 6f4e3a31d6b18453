import { formatVnd } from "../../../../shared/money.ts";
import type { Response } from "express";
import type { BroadcastPreview } from "../../../../domain/broadcasts/previewBroadcast.ts";
import { BROADCAST_CHANNELS, type Reach } from "../../../../domain/broadcasts/countReach.ts";
import { MAX_BROADCAST_LENGTH } from "../../../../domain/broadcasts/createBroadcast.ts";
import { PAYMENT_METHODS } from "../../../../domain/paymentMethods.ts";
import type { Services } from "../../../../services.ts";
import { consoleOf } from "../../area.ts";
import { html, type Html } from "../../html.ts";
import { csrfField, sendPage } from "../../layout.ts";
import { communesInScope } from "../../params.ts";
import { audienceText, communeNames } from "./broadcastPages.ts";
import { vietnamDateTimeValue, type BroadcastDraft, type DraftField } from "./broadcastDraft.ts";

export interface Refusal {
  status: number;
  error: string;
  field?: DraftField | "sendAt";
}

const checked = (on: boolean) => (on ? html` checked` : "");
const invalidIf = (on: boolean) => (on ? html` aria-invalid="true" aria-describedby="form-error"` : "");

/** The compose form: the texts, and the audience (nothing ticked: everyone the person may reach). */
export async function sendComposePage(services: Pick<Services, "db" | "broadcasts">, res: Response, draft: BroadcastDraft, refusal?: Refusal): Promise<void> {
  const { t, scope } = consoleOf(res);
  const communes = await communesInScope(services.db.sql, scope);
  const categories = await services.broadcasts.categories(scope.staffScope);
  const counter = (id: string) => html`<span class="hint counter" data-counter-for="${id}" data-max="${MAX_BROADCAST_LENGTH}" aria-live="polite"></span>`;
  sendPage(res, {
    status: refusal?.status,
    title: t("broadcasts.new_title"),
    body: html`
<p><a href="/console/broadcasts">${t("broadcasts.back")}</a></p>
${refusal ? html`<p class="error" role="alert" id="form-error">${refusal.error}</p>` : ""}
<form method="post" action="/console/broadcasts/preview" class="stack wide">
  ${csrfField(res)}
  <div><label for="textVi">${t("broadcasts.text_vi")} <span class="hint">${t("broadcasts.text_hint", { max: MAX_BROADCAST_LENGTH })}</span></label>
    <textarea id="textVi" name="textVi" rows="6" required${invalidIf(refusal?.field === "textVi")}>${draft.textVi}</textarea>${counter("textVi")}</div>
  <div><label for="textEn">${t("broadcasts.text_en")} <span class="hint">${t("broadcasts.text_en_hint")}</span></label>
    <textarea id="textEn" name="textEn" rows="4" lang="en"${invalidIf(refusal?.field === "textEn")}>${draft.textEn}</textarea>${counter("textEn")}</div>
  <p class="hint">${t("broadcasts.audience_hint")}</p>
  <fieldset><legend>${t("broadcasts.communes")}</legend>
    ${communes.map((c) => html`<label><input type="checkbox" name="communeIds" value="${c.id}"${checked(draft.communeIds.includes(String(c.id)))}> ${c.name}</label>`)}
  </fieldset>
  <fieldset${invalidIf(refusal?.field === "categories")}><legend>${t("broadcasts.categories")}</legend>
    ${categories.map((c) => html`<label><input type="checkbox" name="categories" value="${c}"${checked(draft.categories.includes(c))}> ${c}</label>`)}
  </fieldset>
  <fieldset${invalidIf(refusal?.field === "paymentMethods")}><legend>${t("broadcasts.methods")}</legend>
    ${PAYMENT_METHODS.map((m) => html`<label><input type="checkbox" name="paymentMethods" value="${m}"${checked(draft.paymentMethods.includes(m))}> ${t(`method.${m}`)}</label>`)}
  </fieldset>
  <div><button type="submit">${t("broadcasts.preview")}</button></div>
</form>`,
  });
}

/** The draft again, as hidden fields: the preview's buttons send it on (to be checked again). */
function draftFields(draft: BroadcastDraft): Html {
  return html`<input type="hidden" name="textVi" value="${draft.textVi}">
  <input type="hidden" name="textEn" value="${draft.textEn}">
  ${draft.communeIds.map((id) => html`<input type="hidden" name="communeIds" value="${id}">`)}
  ${draft.categories.map((c) => html`<input type="hidden" name="categories" value="${c}">`)}
  ${draft.paymentMethods.map((m) => html`<input type="hidden" name="paymentMethods" value="${m}">`)}`;
}

function reachTable(res: Response, reach: Reach): Html {
  const { t } = consoleOf(res);
  return html`<div class="table-wrap"><table class="reach">
  <caption>${t("broadcasts.reach_caption", { count: reach.people.total, beneficiaries: reach.beneficiaries })}</caption>
  <thead><tr><th scope="col">${t("broadcasts.channel")}</th><th scope="col">${t("broadcasts.will_receive")}</th><th scope="col">${t("broadcasts.stopped")}</th><th scope="col">${t("broadcasts.unreachable")}</th></tr></thead>
  <tbody>${BROADCAST_CHANNELS.map((c) => html`<tr><th scope="row">${t(`channel.${c}`)}</th><td class="num" data-reach="${c}">${reach.people[c]}</td><td class="num">${reach.stopped[c]}</td><td class="num">${reach.unreachable[c]}</td></tr>`)}
  <tr class="total"><th scope="row">${t("broadcasts.total")}</th><td class="num" data-reach="total">${reach.people.total}</td><td class="num">${BROADCAST_CHANNELS.reduce((n, c) => n + reach.stopped[c], 0)}</td><td class="num">${BROADCAST_CHANNELS.reduce((n, c) => n + reach.unreachable[c], 0)}</td></tr></tbody>
</table></div>
<p class="hint">${t("broadcasts.left_out_hint")}</p>`;
}

/**
 * How a text looks on each channel. `smsReach`: the people who would get this language's text by
 * SMS; when the provider carries registered templates only (eSMS) and the text matches none, the
 * SMS section says so, how many people that is, and that they see it at their next USSD dial.
 */
function channelPreviews(res: Response, preview: BroadcastPreview, lang: "vi" | "en", smsReach: number): Html {
  const { t } = consoleOf(res);
  const { ussd, sms } = preview;
  const over = ussd.length > ussd.screenLimit;
  const bubbles = (messages: string[], channel: string) =>
    html`<div class="chat ${channel}" lang="${lang}">${messages.map((m) => html`<p class="bubble">${m}</p>`)}</div>`;
  return html`<div class="previews">
  <section class="preview-channel"><h4>${t("channel.telegram")}</h4>${bubbles(preview.telegram.messages, "telegram")}
    <p class="hint">${t("broadcasts.messages", { count: preview.telegram.messages.length })}</p></section>
  <section class="preview-channel"><h4>${t("channel.zalo")}</h4>${bubbles(preview.zalo.messages, "zalo")}
    <p class="hint">${t("broadcasts.messages", { count: preview.zalo.messages.length })}</p></section>
  <section class="preview-channel"><h4>${t("channel.ussd")}</h4>
    <p class="ussd-length${over ? " over" : ""}" data-ussd-length="${ussd.length}">${t("broadcasts.ussd_length", { length: ussd.length, limit: ussd.screenLimit, count: ussd.pages })}</p>
    <div class="ussd-screens">${ussd.screens.map((screen, i) => html`<pre class="ussd-screen" aria-label="${t("broadcasts.ussd_screen", { number: i + 1, pages: ussd.pages })}">${screen}</pre>`)}</div>
    <p class="hint">${t("broadcasts.ussd_hint")}</p></section>
  <section class="preview-channel"><h4>${t("channel.sms")}</h4>${bubbles([sms.text], "sms")}
    ${sms.unregistered
      ? html`<p class="sms-unregistered" role="note" data-sms-unregistered="${smsReach}">${t("broadcasts.sms_unregistered", { people: smsReach })}</p>`
      : html`<p class="sms-cost" data-sms-segments="${sms.segments.segments}" data-sms-cost="${sms.pricePerMessage * smsReach}">${t("broadcasts.sms_cost", {
          segments: sms.segments.segments,
          encoding: sms.segments.encoding === "gsm7" ? "GSM-7" : "UCS-2",
          people: smsReach,
          cost: formatVnd(sms.pricePerMessage * smsReach),
        })}</p>`}</section>
</div>`;
}

export interface PreviewData {
  draft: BroadcastDraft;
  reach: Reach;
  previews: { vi: BroadcastPreview; en: BroadcastPreview | null };
  /** The datetime-local value to show in the schedule field. */
  sendAt?: string;
}

/** The preview: who it reaches on which channel, how it looks there, then send now, schedule, or edit. */
export async function sendPreviewPage(services: Pick<Services, "db" | "clock">, res: Response, data: PreviewData, refusal?: Refusal): Promise<void> {
  const { t } = consoleOf(res);
  const names = await communeNames(services);
  const now = services.clock();
  const nobody = data.reach.people.total === 0;
  // By SMS, people who chose English get the English text when there is one; everyone else the Vietnamese.
  const smsInEnglish = data.previews.en ? data.reach.smsInEnglish : 0;
  const sendAt = data.sendAt || vietnamDateTimeValue(new Date(Math.ceil((now.getTime() + 3600_000) / 3600_000) * 3600_000));
  sendPage(res, {
    status: refusal?.status,
    title: t("broadcasts.preview_title"),
    body: html`
${refusal ? html`<p class="error" role="alert" id="form-error">${refusal.error}</p>` : ""}
<h2>${t("broadcasts.reach_title")}</h2>
<p>${t("broadcasts.audience")}: ${audienceText(names, res, data.reach.audience)}</p>
${reachTable(res, data.reach)}
${nobody ? html`<p class="error">${t("broadcasts.reaches_nobody")}</p>` : ""}
<h2>${t("broadcasts.looks_title")}</h2>
<h3>${t("broadcasts.in_vietnamese")}</h3>
${channelPreviews(res, data.previews.vi, "vi", data.reach.people.sms - smsInEnglish)}
${data.previews.en ? html`<h3>${t("broadcasts.in_english")}</h3><p class="hint">${t("broadcasts.english_hint")}</p>${channelPreviews(res, data.previews.en, "en", smsInEnglish)}` : ""}
<h2>${t("broadcasts.send_title")}</h2>
<form method="post" action="/console/broadcasts" class="send-form">
  ${csrfField(res)}
  ${draftFields(data.draft)}
  <div class="actions">
    ${nobody ? "" : html`<button type="submit" name="action" value="send_now" formnovalidate data-confirm="${t("broadcasts.confirm_send", { count: data.reach.people.total })}">${t("broadcasts.send_now")}</button>`}
    <button type="submit" formaction="/console/broadcasts/new" formnovalidate class="secondary">${t("broadcasts.edit")}</button>
  </div>
  ${nobody
    ? ""
    : html`<div class="schedule">
    <label for="sendAt">${t("broadcasts.send_at")} <span class="hint">${t("broadcasts.send_at_hint")}</span></label>
    <input id="sendAt" name="sendAt" type="datetime-local" value="${sendAt}" min="${vietnamDateTimeValue(now)}"${invalidIf(refusal?.field === "sendAt")}>
    <button type="submit" name="action" value="schedule" class="secondary">${t("broadcasts.schedule")}</button>
  </div>`}
</form>`,
  });
}
