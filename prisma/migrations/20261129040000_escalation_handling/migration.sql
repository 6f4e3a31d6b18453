-- AlterTable
ALTER TABLE "Escalation" ADD COLUMN "claimedAt" DATETIME;
ALTER TABLE "Escalation" ADD COLUMN "handedBackAt" DATETIME;
ALTER TABLE "Escalation" ADD COLUMN "lastActivityAt" DATETIME;
ALTER TABLE "Escalation" ADD COLUMN "resolution" TEXT;
ALTER TABLE "Escalation" ADD COLUMN "resolvedAt" DATETIME;

-- CreateTable
CREATE TABLE "EscalationMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "escalationId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "author" TEXT,
    "text" TEXT NOT NULL,
    "channelDelivery" TEXT,
    "outboxMessageId" INTEGER,
    "messageLogId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "EscalationMessage_escalationId_fkey" FOREIGN KEY ("escalationId") REFERENCES "Escalation" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "EscalationMessage_escalationId_id_idx" ON "EscalationMessage"("escalationId", "id");

-- CreateIndex
CREATE INDEX "EscalationMessage_outboxMessageId_idx" ON "EscalationMessage"("outboxMessageId");

-- CreateIndex
CREATE INDEX "Escalation_channel_externalId_status_idx" ON "Escalation"("channel", "externalId", "status");

-- CreateIndex
CREATE INDEX "Escalation_beneficiaryId_idx" ON "Escalation"("beneficiaryId");

-- CreateIndex
CREATE INDEX "Escalation_lastActivityAt_id_idx" ON "Escalation"("lastActivityAt", "id");


-- Escalations recorded before this migration: their last activity is their last update.
UPDATE "Escalation" SET "lastActivityAt" = "updatedAt" WHERE "lastActivityAt" IS NULL;
