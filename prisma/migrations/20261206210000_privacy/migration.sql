-- CreateTable
CREATE TABLE "Consent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "channel" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "beneficiaryId" INTEGER,
    "guardianId" INTEGER,
    "decision" TEXT NOT NULL,
    "noticeVersion" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "PrivacyRequest" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "reference" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "details" TEXT,
    "channel" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "beneficiaryId" INTEGER,
    "guardianId" INTEGER,
    "communeId" INTEGER,
    "locale" TEXT NOT NULL DEFAULT 'vi',
    "status" TEXT NOT NULL DEFAULT 'open',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "acknowledgedAt" DATETIME,
    "answeredAt" DATETIME,
    "decision" TEXT,
    "answer" TEXT,
    "decidedBy" TEXT,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "RetentionCount" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "tableName" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "count" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "DataBreach" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "detectedAt" DATETIME NOT NULL,
    "description" TEXT NOT NULL,
    "tables" TEXT NOT NULL,
    "recordedBy" TEXT NOT NULL,
    "reportedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "Consent_channel_externalId_id_idx" ON "Consent"("channel", "externalId", "id");

-- CreateIndex
CREATE INDEX "Consent_beneficiaryId_idx" ON "Consent"("beneficiaryId");

-- CreateIndex
CREATE INDEX "Consent_guardianId_idx" ON "Consent"("guardianId");

-- CreateIndex
CREATE UNIQUE INDEX "PrivacyRequest_reference_key" ON "PrivacyRequest"("reference");

-- CreateIndex
CREATE INDEX "PrivacyRequest_status_communeId_idx" ON "PrivacyRequest"("status", "communeId");

-- CreateIndex
CREATE INDEX "PrivacyRequest_beneficiaryId_idx" ON "PrivacyRequest"("beneficiaryId");

-- CreateIndex
CREATE UNIQUE INDEX "RetentionCount_tableName_day_channel_key" ON "RetentionCount"("tableName", "day", "channel");

