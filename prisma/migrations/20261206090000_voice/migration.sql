-- CreateTable
CREATE TABLE "VoiceCall" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "outboxMessageId" INTEGER NOT NULL,
    "provider" TEXT NOT NULL,
    "providerCallId" TEXT NOT NULL,
    "outcome" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

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
    "prefersVoice" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ChannelIdentity_beneficiaryId_fkey" FOREIGN KEY ("beneficiaryId") REFERENCES "Beneficiary" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "ChannelIdentity_guardianId_fkey" FOREIGN KEY ("guardianId") REFERENCES "Guardian" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_ChannelIdentity" ("beneficiaryId", "channel", "createdAt", "externalId", "failedAttempts", "guardianId", "id", "locale", "lockedUntil", "remindersOn", "unreachable", "updatedAt", "verification", "verifiedAt") SELECT "beneficiaryId", "channel", "createdAt", "externalId", "failedAttempts", "guardianId", "id", "locale", "lockedUntil", "remindersOn", "unreachable", "updatedAt", "verification", "verifiedAt" FROM "ChannelIdentity";
DROP TABLE "ChannelIdentity";
ALTER TABLE "new_ChannelIdentity" RENAME TO "ChannelIdentity";
CREATE INDEX "ChannelIdentity_beneficiaryId_idx" ON "ChannelIdentity"("beneficiaryId");
CREATE INDEX "ChannelIdentity_guardianId_idx" ON "ChannelIdentity"("guardianId");
CREATE UNIQUE INDEX "ChannelIdentity_channel_externalId_key" ON "ChannelIdentity"("channel", "externalId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "VoiceCall_providerCallId_key" ON "VoiceCall"("providerCallId");

-- CreateIndex
CREATE INDEX "VoiceCall_outboxMessageId_idx" ON "VoiceCall"("outboxMessageId");

-- CreateIndex
CREATE INDEX "VoiceCall_outcome_createdAt_idx" ON "VoiceCall"("outcome", "createdAt");

