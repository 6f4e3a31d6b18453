import type { Sql } from "../db/sql/sql.ts";
import { sqlTimestamp } from "../db/sql/sqlTimestamp.ts";
import { auditWriter, type ActorKind, type WriteAudit } from "./audit.ts";
import type { Effect, IdentificationGlobalLockEffect } from "../engine/effects/index.ts";
import type { Conversation } from "../engine/types.ts";
import type { SessionStore } from "./store/sessionStore.ts";
import { GLOBAL_LOCK_ACTION } from "./store/identificationGuard.ts";
import { log } from "../shared/log.ts";
import { applyPrivacyEffect, claimConsents } from "./privacy/privacyEffects.ts";

const ENSURE_IDENTITY = `INSERT INTO ChannelIdentity (channel, externalId, createdAt, updatedAt) VALUES (?, ?, ?, ?)
  ON CONFLICT(channel, externalId) DO NOTHING`;
// Someone identified by their phone is identified again on every dial: that is no change, so
// it writes nothing (and audits nothing) unless the link, the way or a failure count differs.
const LINK_IDENTITY = `UPDATE ChannelIdentity SET beneficiaryId = @beneficiaryId, guardianId = @guardianId, verification = @verification,
  verifiedAt = @at, failedAttempts = 0, lockedUntil = NULL, updatedAt = @at
  WHERE channel = @channel AND externalId = @userId
    AND (beneficiaryId IS DISTINCT FROM @beneficiaryId OR guardianId IS DISTINCT FROM @guardianId
         OR verification IS DISTINCT FROM @verification OR failedAttempts != 0 OR lockedUntil IS NOT NULL)`;
const FAIL_IDENTIFICATION = `UPDATE ChannelIdentity SET failedAttempts = ?, lockedUntil = ?, updatedAt = ? WHERE channel = ? AND externalId = ?`;
const SET_REMINDERS = `UPDATE ChannelIdentity SET remindersOn = ?, updatedAt = ? WHERE channel = ? AND externalId = ?`;
const PREFER_CALLS = `UPDATE ChannelIdentity SET prefersVoice = TRUE, updatedAt = ? WHERE channel = ? AND externalId = ?`;
// "Stop" also stops broadcasts queued before it (a notice scheduled for next week), also those queued
// for this identity on another channel (an SMS the provider would refuse waits as a USSD notice).
const DROP_BROADCASTS = `UPDATE OutboxMessage SET status = 'cancelled', lastError = 'the person said stop', updatedAt = @at
  WHERE status = 'pending' AND broadcastId IS NOT NULL AND ((channel = @channel AND externalId = @userId)
    OR identityId = (SELECT id FROM ChannelIdentity WHERE channel = @channel AND externalId = @userId))`;
const SET_LOCALE = `UPDATE ChannelIdentity SET locale = ?, updatedAt = ? WHERE channel = ? AND externalId = ?`;
const SUPERSEDE_REQUESTS = `UPDATE MethodChangeRequest SET status = 'cancelled', decisionReason = 'superseded by a newer request', updatedAt = ?
  WHERE beneficiaryId = ? AND status = 'pending'`;
const INSERT_REQUEST = `INSERT INTO MethodChangeRequest (reference, beneficiaryId, requestedMethod, accountProvider, accountNumberSealed,
    accountLast4, walletPhone, homeReason, requestedByKind, requestedById, channel, verification, status, createdAt, updatedAt)
  VALUES (@reference, @beneficiaryId, @requestedMethod, @accountProvider, @accountNumberSealed, @accountLast4,
    @walletPhone, @homeReason, @requestedByKind, @requestedById, @channel, @verification, 'pending', @now, @now)
  RETURNING id`;
const INSERT_ESCALATION = `INSERT INTO Escalation (channel, externalId, beneficiaryId, topic, details, transcript, status, createdAt, updatedAt, lastActivityAt)
  VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?) RETURNING id`;

/**
 * Applies the effects a conversation step produced, and writes each to the audit log.
 * Runs inside the caller's transaction, together with saving the session, so a step's
 * writes land all together or not at all.
 */
export class EffectWriter {
  private readonly audit: WriteAudit;

  constructor(
    private readonly sql: Sql,
    private readonly sessions: SessionStore,
    /** Told of each escalation recorded (the operator inbox announces it), inside the step's transaction. */
    private readonly onEscalationOpened?: (escalationId: number) => void | Promise<void>,
    /** The person asked for a person again while their escalation was still open (runs inside the step's transaction). */
    private readonly onEscalationAskedAgain?: (channel: string, externalId: string, topic: string, now: Date) => void | Promise<void>,
  ) {
    this.audit = auditWriter(sql);
  }

  /**
   * Identification is paused for every chat not yet identified: one audit row and one escalation
   * (topic "security", in the operators' queue) per lock period, however many steps trip it at once.
   */
  private async startGlobalLock(effect: IdentificationGlobalLockEffect, channel: string, userId: string, now: Date): Promise<void> {
    const sql = this.sql;
    // Steps on other connections (PostgreSQL) wait here; SQLite runs one writing transaction at a time.
    if (sql.dialect === "postgres") await sql.run(`SELECT pg_advisory_xact_lock(7265)`);
    const since = new Date(now.getTime() - effect.lockMinutes * 60_000);
    if (await sql.get(`SELECT id FROM AuditLog WHERE action = ? AND createdAt >= ? LIMIT 1`, [GLOBAL_LOCK_ACTION, sqlTimestamp(since)])) return;
    const at = sqlTimestamp(now);
    const details =
      `Xác minh bằng số CCCD và ngày sinh tạm dừng ${effect.lockMinutes} phút cho mọi cuộc trò chuyện chưa xác minh: ${effect.failures} lần nhập sai trong một phút (giới hạn ${effect.limit}). ` +
      `Identification by citizen ID and birth date paused for ${effect.lockMinutes} minutes for every chat not yet identified: ${effect.failures} wrong answers in one minute (limit ${effect.limit}).`;
    const transcript = JSON.stringify(await this.sessions.transcript(channel, userId));
    const { id } = (await sql.get<{ id: number }>(INSERT_ESCALATION, [channel, userId, null, "security", details, transcript, at, at, at]))!;
    await this.audit({
      actorKind: "system",
      actorId: "identification",
      action: GLOBAL_LOCK_ACTION,
      entity: "Escalation",
      entityId: String(id),
      channel,
      before: null,
      after: { failures: effect.failures, limit: effect.limit, lockMinutes: effect.lockMinutes, lockedUntil: effect.lockedUntil, trippedBy: `${channel}:${userId}` },
      at: now,
    });
    log.warn("identification paused for every chat not yet identified", { failures: effect.failures, limit: effect.limit, lockMinutes: effect.lockMinutes, escalationId: id });
    await this.onEscalationOpened?.(id);
  }

  async apply(effects: Effect[], conversation: Conversation, actor: { kind: ActorKind; id: string | null }, now: Date): Promise<void> {
    if (effects.length === 0) return;
    const at = sqlTimestamp(now);
    const { channel, userId } = conversation;
    const identityRef = `${channel}:${userId}`;
    const sql = this.sql;
    await sql.run(ENSURE_IDENTITY, [channel, userId, at, at]);
    const audit = (action: string, entity: string, entityId: string | null, after: unknown, before: unknown = null) =>
      this.audit({ actorKind: actor.kind, actorId: actor.id, action, entity, entityId, channel, before, after, at: now });

    for (const effect of effects) {
      switch (effect.type) {
        case "link_identity":
          if (
            (await sql.run(LINK_IDENTITY, { beneficiaryId: effect.beneficiaryId, guardianId: effect.guardianId, verification: effect.verification, at, channel, userId }))
              .changes === 0
          )
            break;
          await claimConsents(sql, { channel, userId, at }, effect);
          await audit("identity.verified", "ChannelIdentity", identityRef, {
            beneficiaryId: effect.beneficiaryId,
            guardianId: effect.guardianId,
            verification: effect.verification,
          });
          break;
        case "identification_failed":
          await sql.run(FAIL_IDENTIFICATION, [effect.failedAttempts, effect.lockedUntil, at, channel, userId]);
          await audit(effect.locked ? "identity.locked" : "identity.failed", "ChannelIdentity", identityRef, {
            failedAttempts: effect.failedAttempts,
            lockedUntil: effect.lockedUntil,
          });
          break;
        case "identification_global_lock":
          await this.startGlobalLock(effect, channel, userId, now);
          break;
        case "set_reminders":
          await sql.run(SET_REMINDERS, [effect.on, at, channel, userId]);
          if (effect.byCall === true) await sql.run(PREFER_CALLS, [at, channel, userId]);
          if (!effect.on) await sql.run(DROP_BROADCASTS, { at, channel, userId });
          await audit("reminders.set", "ChannelIdentity", identityRef, { remindersOn: effect.on, ...(effect.byCall === true ? { prefersVoice: true } : {}) });
          break;
        case "set_locale":
          await sql.run(SET_LOCALE, [effect.locale, at, channel, userId]);
          await audit("locale.set", "ChannelIdentity", identityRef, { locale: effect.locale });
          break;
        case "request_method_change": {
          await sql.run(SUPERSEDE_REQUESTS, [at, effect.beneficiaryId]);
          const { id } = (await sql.get<{ id: number }>(INSERT_REQUEST, {
            reference: effect.reference,
            beneficiaryId: effect.beneficiaryId,
            requestedMethod: effect.requestedMethod,
            accountProvider: effect.accountProvider,
            accountNumberSealed: effect.accountNumberSealed,
            accountLast4: effect.accountLast4,
            walletPhone: effect.walletPhone,
            homeReason: effect.homeReason,
            requestedByKind: effect.requestedByKind,
            requestedById: effect.requestedById,
            channel: effect.channel,
            verification: effect.verification,
            now: at,
          }))!;
          await audit("method_change.requested", "MethodChangeRequest", String(id), {
            reference: effect.reference,
            beneficiaryId: effect.beneficiaryId,
            requestedMethod: effect.requestedMethod,
            accountProvider: effect.accountProvider,
            accountLast4: effect.accountLast4,
            homeReason: effect.homeReason,
            verification: effect.verification,
          });
          break;
        }
        case "open_escalation": {
          const transcript = JSON.stringify(await this.sessions.transcript(channel, userId));
          const { id } = (await sql.get<{ id: number }>(INSERT_ESCALATION, [channel, userId, effect.beneficiaryId, effect.topic, effect.details, transcript, at, at, at]))!;
          await audit("escalation.opened", "Escalation", String(id), { topic: effect.topic, beneficiaryId: effect.beneficiaryId });
          await this.onEscalationOpened?.(id);
          break;
        }
        case "escalation_asked_again":
          await this.onEscalationAskedAgain?.(channel, userId, effect.topic, now);
          break;
        case "record_consent":
        case "open_privacy_request":
          // Personal data (Law 91/2025/QH15): consent evidence and requests, in privacy/privacyEffects.ts.
          await applyPrivacyEffect(sql, effect, { channel, userId, at }, (action, entity, entityId, after) => audit(action, entity, entityId, after));
          break;
        default: {
          // Every effect has its case: a new one in src/engine/effects makes this line a compile error.
          const unhandled: never = effect;
          throw new Error(`no writer for effect "${(unhandled as Effect).type}"`);
        }
      }
    }
  }
}
