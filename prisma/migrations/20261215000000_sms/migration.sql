-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ChannelIdentity" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "channel" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "beneficiaryId" INTEGER,
    "guardianId" INTEGER,
    "verification" TEXT,
    "verifiedAt" DATETIME,
    "locale" TEXT NOT NULL DEFAULT 'vi',
    "remindersOn" BOOLEAN NOT NULL DEFAULT true,
    "failedAttempts" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" DATETIME,
    "unreachable" BOOLEAN NOT NULL DEFAULT false,
    "smsChoice" TEXT NOT NULL DEFAULT 'auto',
    "prefersVoice" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ChannelIdentity_beneficiaryId_fkey" FOREIGN KEY ("beneficiaryId") REFERENCES "Beneficiary" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "ChannelIdentity_guardianId_fkey" FOREIGN KEY ("guardianId") REFERENCES "Guardian" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_ChannelIdentity" ("beneficiaryId", "channel", "createdAt", "externalId", "failedAttempts", "guardianId", "id", "locale", "lockedUntil", "prefersVoice", "remindersOn", "unreachable", "updatedAt", "verification", "verifiedAt") SELECT "beneficiaryId", "channel", "createdAt", "externalId", "failedAttempts", "guardianId", "id", "locale", "lockedUntil", "prefersVoice", "remindersOn", "unreachable", "updatedAt", "verification", "verifiedAt" FROM "ChannelIdentity";
DROP TABLE "ChannelIdentity";
ALTER TABLE "new_ChannelIdentity" RENAME TO "ChannelIdentity";
CREATE INDEX "ChannelIdentity_beneficiaryId_idx" ON "ChannelIdentity"("beneficiaryId");
CREATE INDEX "ChannelIdentity_guardianId_idx" ON "ChannelIdentity"("guardianId");
CREATE UNIQUE INDEX "ChannelIdentity_channel_externalId_key" ON "ChannelIdentity"("channel", "externalId");
CREATE TABLE "new_OutboxMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "dedupeKey" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "identityId" INTEGER,
    "beneficiaryId" INTEGER,
    "paymentId" INTEGER,
    "broadcastId" INTEGER,
    "methodChangeId" INTEGER,
    "kind" TEXT NOT NULL,
    "locale" TEXT NOT NULL DEFAULT 'vi',
    "text" TEXT,
    "dueAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "claimedBy" TEXT,
    "claimedAt" DATETIME,
    "sentAt" DATETIME,
    "ambiguous" BOOLEAN NOT NULL DEFAULT false,
    "lastError" TEXT,
    "providerId" TEXT,
    "deliveryStatus" TEXT,
    "deliveryError" TEXT,
    "deliveredAt" DATETIME,
    "deliveryRetries" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_OutboxMessage" ("ambiguous", "attempts", "beneficiaryId", "broadcastId", "channel", "claimedAt", "claimedBy", "createdAt", "dedupeKey", "dueAt", "externalId", "id", "identityId", "kind", "lastError", "locale", "methodChangeId", "paymentId", "sentAt", "status", "text", "updatedAt") SELECT "ambiguous", "attempts", "beneficiaryId", "broadcastId", "channel", "claimedAt", "claimedBy", "createdAt", "dedupeKey", "dueAt", "externalId", "id", "identityId", "kind", "lastError", "locale", "methodChangeId", "paymentId", "sentAt", "status", "text", "updatedAt" FROM "OutboxMessage";
DROP TABLE "OutboxMessage";
ALTER TABLE "new_OutboxMessage" RENAME TO "OutboxMessage";
CREATE UNIQUE INDEX "OutboxMessage_dedupeKey_key" ON "OutboxMessage"("dedupeKey");
CREATE INDEX "OutboxMessage_providerId_idx" ON "OutboxMessage"("providerId");
CREATE INDEX "OutboxMessage_status_dueAt_idx" ON "OutboxMessage"("status", "dueAt");
CREATE INDEX "OutboxMessage_channel_externalId_status_idx" ON "OutboxMessage"("channel", "externalId", "status");
CREATE INDEX "OutboxMessage_paymentId_idx" ON "OutboxMessage"("paymentId");
CREATE INDEX "OutboxMessage_broadcastId_idx" ON "OutboxMessage"("broadcastId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

