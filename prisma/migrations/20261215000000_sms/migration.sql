-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN "deliveredAt" DATETIME;
ALTER TABLE "OutboxMessage" ADD COLUMN "deliveryError" TEXT;
ALTER TABLE "OutboxMessage" ADD COLUMN "deliveryStatus" TEXT;
ALTER TABLE "OutboxMessage" ADD COLUMN "providerId" TEXT;

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
CREATE INDEX "OutboxMessage_providerId_idx" ON "OutboxMessage"("providerId");

