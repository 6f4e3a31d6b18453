import { Router, type Request, type Response } from "express";
import { audit } from "../../../domain/audit.ts";
import { findPerson, searchPeople, type PersonDetails, type PersonListing } from "../../../domain/people/consolePeople.ts";
import { setSmsChoice, SMS_CHOICES, smsStanding, type SmsChoice } from "../../../domain/people/smsChoice.ts";
import { formatCalendarDate, formatVietnamDateTime } from "../../../shared/dates.ts";
import { maskAccount, maskCitizenId } from "../../../shared/mask.ts";
import { formatVnd } from "../../../shared/money.ts";
import { maskPhoneForStaff } from "../../../shared/phone.ts";
import { consoleOf, type ConsoleArea } from "../area.ts";
import { html } from "../html.ts";
import { csrfField, sendBadRequest, sendNotFound, sendPage } from "../layout.ts";
import { setReminderCalls } from "../../../domain/people/reminderCalls.ts";
import { pager, pageNumber } from "../pager.ts";
import { paymentsTable } from "../paymentsTable.ts";
import { communeFilterParam, communesInScope, positiveId } from "../params.ts";

const PAGE_SIZE = 50;

/** ?q= and ?commune= as given, for links that keep the search. */
function searchParams(req: Request): Record<string, string> {
  const params: Record<string, string> = {};
  for (const name of ["q", "commune"]) if (typeof req.query[name] === "string" && req.query[name]) params[name] = req.query[name] as string;
  return params;
}

/**
 * /console/people: the beneficiaries of the person's communes, searchable by name or code, with
 * personal numbers masked; /console/people/:id, one person (a 404 for anyone outside the scope).
 */
export const peopleArea: ConsoleArea<"db" | "clock"> = {
  path: "/people",
  navKey: "nav.people",
  roles: ["staff", "admin"],
  router({ services }) {
    const { sql } = services.db;
    const router = Router();

    router.get("/", async (req, res) => {
      const { t, scope } = consoleOf(res);
      const communes = await communesInScope(sql, scope);
      const filter = communeFilterParam(req.query.commune, communes, scope);
      if (filter === "bad") return sendBadRequest(res, t("errors.bad_commune"));
      if (filter === "not_found") return sendNotFound(res);
      const { communeId } = filter;
      const page = pageNumber(req.query.page);
      if (page === null) return sendBadRequest(res, t("errors.bad_page"));
      const query = typeof req.query.q === "string" ? req.query.q.slice(0, 100) : "";
      const { people, total } = await searchPeople(sql, { communes: scope.communeFilter("b.communeId"), communeId, query, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
      const row = (p: PersonListing) => html`<tr>
        <td>${p.code}</td>
        <td><a href="/console/people/${p.id}">${p.fullName}</a></td>
        <td>${p.commune}${p.village ? html`<br><span class="hint">${p.village}</span>` : ""}</td>
        <td>${p.category}</td>
        <td>${p.dateOfBirth.slice(0, 4)}</td>
        <td>${p.phone ? maskPhoneForStaff(p.phone) : ""}</td>
        <td>${maskCitizenId(p.citizenIdLast4)}</td>
        <td>${p.paymentMethod ? t(`method.${p.paymentMethod}`) : ""}</td>
      </tr>`;
      sendPage(res, {
        title: t("people.title"),
        body: html`
<form method="get" action="/console/people" class="filters" role="search">
  <div><label for="q">${t("people.search")}</label><input id="q" name="q" type="search" value="${query}" maxlength="100"></div>
  <div><label for="commune">${t("people.commune")}</label><select id="commune" name="commune">
    <option value="">${t("people.all_communes")}</option>
    ${communes.map((c) => html`<option value="${c.id}"${c.id === communeId ? html` selected` : ""}>${c.name}</option>`)}
  </select></div>
  <div><button type="submit">${t("people.search_button")}</button></div>
</form>
<p role="status">${t("people.count", { count: total })}</p>
${people.length
  ? html`<div class="table-wrap" role="region" tabindex="0" aria-label="${t("people.caption")}"><table>
  <caption>${t("people.caption")}</caption>
  <thead><tr><th scope="col">${t("people.code")}</th><th scope="col">${t("people.name")}</th><th scope="col">${t("people.commune")}</th><th scope="col">${t("people.category")}</th><th scope="col">${t("people.birth_year")}</th><th scope="col">${t("people.phone")}</th><th scope="col">${t("people.citizen_id")}</th><th scope="col">${t("people.method")}</th></tr></thead>
  <tbody>${people.map(row)}</tbody></table></div>`
  : ""}
${pager(res, { path: "/console/people", params: searchParams(req), page, pageSize: PAGE_SIZE, total })}`,
      });
    });

    router.get("/:id", async (req, res) => {
      const { t, scope } = consoleOf(res);
      const id = positiveId(req.params.id);
      const person = id === null ? null : await findPerson(sql, id);
      if (!person || !scope.allowsCommune(person.communeId)) return sendNotFound(res);
      await audit(sql, { actorKind: "staff", actorId: scope.user.username, action: "person.viewed", entity: "Beneficiary", entityId: person.id, at: services.clock() });
      const method = person.paymentMethod ? t(`method.${person.paymentMethod}`) : "";
      const sms = await smsStanding(sql, person.id);
      sendPage(res, {
        title: person.fullName,
        body: html`
<p><a href="/console/people">${t("people.back")}</a></p>
<dl class="facts">
  <dt>${t("people.code")}</dt><dd>${person.code}</dd>
  <dt>${t("people.commune")}</dt><dd>${person.commune}${person.village ? `, ${person.village}` : ""}</dd>
  <dt>${t("people.category")}</dt><dd>${person.category}</dd>
  <dt>${t("people.status")}</dt><dd>${t(`person_status.${person.status}`)}</dd>
  <dt>${t("people.date_of_birth")}</dt><dd>${formatCalendarDate(person.dateOfBirth)}</dd>
  <dt>${t("people.phone")}</dt><dd>${person.phone ? maskPhoneForStaff(person.phone) : t("people.none")}</dd>
  <dt>${t("people.citizen_id")}</dt><dd>${maskCitizenId(person.citizenIdLast4) || t("people.none")}</dd>
  <dt>${t("people.monthly_amount")}</dt><dd>${person.monthlyAmount !== null ? formatVnd(person.monthlyAmount) : ""}</dd>
  <dt>${t("people.method")}</dt><dd>${method}${person.accountLast4 ? ` · ${person.accountProvider ?? ""} ${maskAccount(person.accountLast4)}` : ""}${person.payPoint ? ` · ${person.payPoint}` : ""}</dd>
</dl>
<h2>${t("people.receivers")}</h2>
${person.guardians.length
  ? html`<ul>${person.guardians.map((g) => html`<li>${g.fullName}${g.relation ? ` (${g.relation})` : ""}${g.phone ? ` · ${maskPhoneForStaff(g.phone)}` : ""}</li>`)}</ul>`
  : html`<p>${t("people.none")}</p>`}
<h2>${t("people.channels")}</h2>
${person.channels.length
  ? html`<ul>${person.channels.map((c) => html`<li>${t(`channel.${c.channel}`)}${c.remindersOn ? "" : html` <span class="badge">${t("people.reminders_off")}</span>`}${c.unreachable ? html` <span class="badge bad">${t("people.unreachable")}</span>` : ""}${c.prefersVoice ? html` <span class="badge">${t("people.reminder_calls_on")}</span>` : ""}</li>`)}</ul>`
  : html`<p>${t("people.no_channels")}</p>`}
<h2 id="sms-h">${t("people.sms")}</h2>
${sms
  ? html`<p>${t(sms.bySms ? "people.sms_yes" : "people.sms_no")}${sms.unreachable ? html` <span class="badge bad">${t("people.unreachable")}</span>` : ""}</p>
<form method="post" action="/console/people/${person.id}/sms" class="filters" aria-labelledby="sms-h">${csrfField(res)}
  <div><label for="sms-choice">${t("people.sms_choice")}</label><select id="sms-choice" name="choice">
    ${SMS_CHOICES.map((c) => html`<option value="${c}"${c === sms.choice ? html` selected` : ""}>${t(`people.sms_choice_${c}`)}</option>`)}
  </select></div>
  <div><button type="submit">${t("people.sms_save")}</button></div>
</form>`
  : html`<p>${t("people.sms_none")}</p>`}
${person.phone ? reminderCallsForm(res, person.id, person.channels.some((c) => c.channel === "voice" && c.prefersVoice)) : ""}
${consentsSection(res, person.consents)}
<h2>${t("people.payments")}</h2>
${paymentsTable(t, person.payments)}`,
      });
    });
    /** The person of the URL, when they are in the staff member's communes (else 404, as for a missing one). */
    const personInScope = async (req: Request, res: Response) => {
      const id = positiveId(req.params.id);
      const person = id === null ? null : await findPerson(sql, id);
      return person && consoleOf(res).scope.allowsCommune(person.communeId) ? person : null;
    };
    // Staff override whether this person is written to by SMS (src/domain/people/smsChoice.ts).
    router.post("/:id/sms", async (req, res) => {
      const { t, scope } = consoleOf(res);
      const person = await personInScope(req, res);
      if (!person) return sendNotFound(res);
      const choice = (req.body as Record<string, unknown> | undefined)?.choice;
      if (typeof choice !== "string" || !(SMS_CHOICES as readonly string[]).includes(choice)) return sendBadRequest(res, t("people.sms_bad_choice"));
      if (!(await setSmsChoice(sql, person.id, choice as SmsChoice, scope.user.username, services.clock()))) return sendBadRequest(res, t("people.sms_none"));
      res.redirect(303, `/console/people/${person.id}#sms-h`);
    });
    // Reminder calls to the beneficiary's phone (for people who cannot read the messages), on or off.
    router.post("/:id/reminder-calls", async (req, res) => {
      const { t, scope } = consoleOf(res);
      const person = await personInScope(req, res);
      if (!person) return sendNotFound(res);
      const on = req.body?.on === "1";
      if (!(await setReminderCalls(sql, person.id, on, scope.user.username, services.clock()))) return sendBadRequest(res, t("people.reminder_calls_no_phone"));
      res.redirect(303, `/console/people/${person.id}`);
    });
    return router;
  },
};

/** The person's answers to the personal-data notice, on every channel (the latest decides: see privacyEffects.ts). */
function consentsSection(res: Response, consents: PersonDetails["consents"]) {
  const { t } = consoleOf(res);
  return html`<h2 id="consents-h">${t("people.consents")}</h2>
${consents.length
  ? html`<div class="table-wrap"><table aria-labelledby="consents-h"><thead><tr><th scope="col">${t("people.consent_time")}</th><th scope="col">${t("people.consent_channel")}</th><th scope="col">${t("people.consent_decision")}</th><th scope="col">${t("people.consent_version")}</th></tr></thead>
  <tbody>${consents.map((c) => html`<tr><td>${formatVietnamDateTime(new Date(c.createdAt))}</td><td>${t(`channel.${c.channel}`)}</td><td>${t(`people.consent_decisions.${c.decision}`)}</td><td>${c.noticeVersion}</td></tr>`)}</tbody></table></div>
<p class="hint">${t("people.consents_hint")}</p>`
  : html`<p>${t("people.no_consents")}</p>`}`;
}

function reminderCallsForm(res: Response, id: number, on: boolean) {
  const { t } = consoleOf(res);
  return html`<form method="post" action="/console/people/${id}/reminder-calls">${csrfField(res)}<input type="hidden" name="on" value="${on ? "0" : "1"}"><button type="submit" class="secondary">${t(on ? "people.reminder_calls_turn_off" : "people.reminder_calls_turn_on")}</button></form>`;
}
