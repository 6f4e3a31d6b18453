import type Database from "better-sqlite3";
import { sqlTimestamp } from "../db/database.ts";
import { auditWriter, type ActorKind } from "./audit.ts";
import type { Conversation, Effect } from "../engine/types.ts";
import type { SessionStore } from "./store/sessionStore.ts";

/**
 * Applies the effects a conversation step produced, and writes each to the audit log.
 * Runs inside the caller's transaction, together with saving the session, so a step's
 * writes land all together or not at all.
 */
export class EffectWriter {
  private readonly ensureIdentity;
  private readonly linkIdentity;
  private readonly failIdentification;
  private readonly setReminders;
  private readonly dropBroadcasts;
  private readonly setLocale;
  private readonly supersede;
  private readonly insertRequest;
  private readonly insertEscalation;
  private readonly audit;

  constructor(
    sql: Database.Database,
    private readonly sessions: SessionStore,
    /** Told of each escalation recorded (the operator inbox announces it), inside the step's transaction. */
    private readonly onEscalationOpened?: (escalationId: number) => void,
    /** The person asked for a person again while their escalation was still open (runs inside the step's transaction). */
    private readonly onEscalationAskedAgain?: (channel: string, externalId: string, topic: string, now: Date) => void,
  ) {
    this.ensureIdentity = sql.prepare(
      `INSERT INTO ChannelIdentity (channel, externalId, createdAt, updatedAt) VALUES (?, ?, ?, ?)
       ON CONFLICT(channel, externalId) DO NOTHING`,
    );
    // Someone identified by their phone is identified again on every dial: that is no change, so
    // it writes nothing (and audits nothing) unless the link, the way or a failure count differs.
    this.linkIdentity = sql.prepare(
      `UPDATE ChannelIdentity SET beneficiaryId = @beneficiaryId, guardianId = @guardianId, verification = @verification,
       verifiedAt = @at, failedAttempts = 0, lockedUntil = NULL, updatedAt = @at
       WHERE channel = @channel AND externalId = @userId
         AND (beneficiaryId IS NOT @beneficiaryId OR guardianId IS NOT @guardianId OR verification IS NOT @verification
              OR failedAttempts != 0 OR lockedUntil IS NOT NULL)`,
    );
    this.failIdentification = sql.prepare(
      `UPDATE ChannelIdentity SET failedAttempts = ?, lockedUntil = ?, updatedAt = ? WHERE channel = ? AND externalId = ?`,
    );
    this.setReminders = sql.prepare(`UPDATE ChannelIdentity SET remindersOn = ?, updatedAt = ? WHERE channel = ? AND externalId = ?`);
    // "Stop" also stops broadcasts queued before it (a notice scheduled for next week).
    this.dropBroadcasts = sql.prepare(
      `UPDATE OutboxMessage SET status = 'cancelled', lastError = 'the person said stop', updatedAt = ?
       WHERE channel = ? AND externalId = ? AND status = 'pending' AND broadcastId IS NOT NULL`,
    );
    this.setLocale = sql.prepare(`UPDATE ChannelIdentity SET locale = ?, updatedAt = ? WHERE channel = ? AND externalId = ?`);
    this.supersede = sql.prepare(
      `UPDATE MethodChangeRequest SET status = 'cancelled', decisionReason = 'superseded by a newer request', updatedAt = ?
       WHERE beneficiaryId = ? AND status = 'pending'`,
    );
    this.insertRequest = sql.prepare(
      `INSERT INTO MethodChangeRequest (reference, beneficiaryId, requestedMethod, accountProvider, accountNumberSealed,
         accountLast4, walletPhone, homeReason, requestedByKind, requestedById, channel, verification, status, createdAt, updatedAt)
       VALUES (@reference, @beneficiaryId, @requestedMethod, @accountProvider, @accountNumberSealed, @accountLast4,
         @walletPhone, @homeReason, @requestedByKind, @requestedById, @channel, @verification, 'pending', @now, @now)`,
    );
    this.insertEscalation = sql.prepare(
      `INSERT INTO Escalation (channel, externalId, beneficiaryId, topic, details, transcript, status, createdAt, updatedAt, lastActivityAt)
       VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)`,
    );
    this.audit = auditWriter(sql);
  }

  apply(effects: Effect[], conversation: Conversation, actor: { kind: ActorKind; id: string | null }, now: Date): void {
    if (effects.length === 0) return;
    const at = sqlTimestamp(now);
    const { channel, userId } = conversation;
    const identityRef = `${channel}:${userId}`;
    this.ensureIdentity.run(channel, userId, at, at);
    const audit = (action: string, entity: string, entityId: string | null, after: unknown, before: unknown = null) =>
      this.audit({ actorKind: actor.kind, actorId: actor.id, action, entity, entityId, channel, before, after, at: now });

    for (const effect of effects) {
      switch (effect.type) {
        case "link_identity":
          if (
            this.linkIdentity.run({ beneficiaryId: effect.beneficiaryId, guardianId: effect.guardianId, verification: effect.verification, at, channel, userId })
              .changes === 0
          )
            break;
          audit("identity.verified", "ChannelIdentity", identityRef, {
            beneficiaryId: effect.beneficiaryId,
            guardianId: effect.guardianId,
            verification: effect.verification,
          });
          break;
        case "identification_failed":
          this.failIdentification.run(effect.failedAttempts, effect.lockedUntil, at, channel, userId);
          audit(effect.locked ? "identity.locked" : "identity.failed", "ChannelIdentity", identityRef, {
            failedAttempts: effect.failedAttempts,
            lockedUntil: effect.lockedUntil,
          });
          break;
        case "set_reminders":
          this.setReminders.run(effect.on ? 1 : 0, at, channel, userId);
          if (!effect.on) this.dropBroadcasts.run(at, channel, userId);
          audit("reminders.set", "ChannelIdentity", identityRef, { remindersOn: effect.on });
          break;
        case "set_locale":
          this.setLocale.run(effect.locale, at, channel, userId);
          audit("locale.set", "ChannelIdentity", identityRef, { locale: effect.locale });
          break;
        case "request_method_change": {
          this.supersede.run(at, effect.beneficiaryId);
          const { type: _type, ...request } = effect;
          const result = this.insertRequest.run({ ...request, now: at });
          audit("method_change.requested", "MethodChangeRequest", String(result.lastInsertRowid), {
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
          const transcript = JSON.stringify(this.sessions.transcript(channel, userId));
          const result = this.insertEscalation.run(channel, userId, effect.beneficiaryId, effect.topic, effect.details, transcript, at, at, at);
          audit("escalation.opened", "Escalation", String(result.lastInsertRowid), { topic: effect.topic, beneficiaryId: effect.beneficiaryId });
          this.onEscalationOpened?.(Number(result.lastInsertRowid));
          break;
        }
        case "escalation_asked_again":
          this.onEscalationAskedAgain?.(channel, userId, String(effect.topic), now);
          break;
        default:
          throw new Error(`no writer for effect "${effect.type}"`);
      }
    }
  }
}
