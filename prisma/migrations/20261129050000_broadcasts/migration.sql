-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN "broadcastId" INTEGER;
ALTER TABLE "OutboxMessage" ADD COLUMN "methodChangeId" INTEGER;

-- CreateTable
CREATE TABLE "Broadcast" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "textVi" TEXT NOT NULL,
    "textEn" TEXT,
    "audience" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "scheduledAt" DATETIME,
    "queuedAt" DATETIME,
    "recipients" INTEGER,
    "sentAt" DATETIME,
    "cancelledAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "Broadcast_status_idx" ON "Broadcast"("status");

-- CreateIndex
CREATE INDEX "OutboxMessage_broadcastId_idx" ON "OutboxMessage"("broadcastId");

