-- CreateTable
CREATE TABLE "Commune" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "district" TEXT,
    "oldName" TEXT,
    "officeAddress" TEXT,
    "officeHours" TEXT,
    "officePhone" TEXT,
    "payPointSchedule" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Beneficiary" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "code" TEXT NOT NULL,
    "fullName" TEXT NOT NULL,
    "dateOfBirth" TEXT NOT NULL,
    "sex" TEXT,
    "citizenIdHash" TEXT,
    "citizenIdLast4" TEXT,
    "phone" TEXT,
    "communeId" INTEGER NOT NULL,
    "village" TEXT,
    "category" TEXT NOT NULL,
    "coefficient" REAL,
    "monthlyAmount" INTEGER,
    "status" TEXT NOT NULL DEFAULT 'active',
    "preferredLanguage" TEXT,
    "paymentMethod" TEXT,
    "accountProvider" TEXT,
    "accountNumberSealed" TEXT,
    "accountLast4" TEXT,
    "payPoint" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Beneficiary_communeId_fkey" FOREIGN KEY ("communeId") REFERENCES "Commune" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Guardian" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "fullName" TEXT NOT NULL,
    "phone" TEXT,
    "citizenIdHash" TEXT,
    "citizenIdLast4" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "GuardianLink" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "guardianId" INTEGER NOT NULL,
    "beneficiaryId" INTEGER NOT NULL,
    "relation" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "GuardianLink_guardianId_fkey" FOREIGN KEY ("guardianId") REFERENCES "Guardian" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "GuardianLink_beneficiaryId_fkey" FOREIGN KEY ("beneficiaryId") REFERENCES "Beneficiary" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PaymentPeriod" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "period" TEXT NOT NULL,
    "importedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Payment" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "beneficiaryId" INTEGER NOT NULL,
    "periodId" INTEGER NOT NULL,
    "amount" INTEGER NOT NULL,
    "backPay" INTEGER NOT NULL DEFAULT 0,
    "method" TEXT NOT NULL,
    "accountProvider" TEXT,
    "accountLast4" TEXT,
    "payDate" TEXT NOT NULL,
    "payPoint" TEXT,
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "paidAt" DATETIME,
    "reference" TEXT,
    "failureReason" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Payment_beneficiaryId_fkey" FOREIGN KEY ("beneficiaryId") REFERENCES "Beneficiary" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Payment_periodId_fkey" FOREIGN KEY ("periodId") REFERENCES "PaymentPeriod" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MethodChangeRequest" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "reference" TEXT NOT NULL,
    "beneficiaryId" INTEGER NOT NULL,
    "requestedMethod" TEXT NOT NULL,
    "accountProvider" TEXT,
    "accountNumberSealed" TEXT,
    "accountLast4" TEXT,
    "walletPhone" TEXT,
    "homeReason" TEXT,
    "requestedByKind" TEXT NOT NULL,
    "requestedById" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "verification" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "decidedAt" DATETIME,
    "decidedBy" TEXT,
    "decisionReason" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "MethodChangeRequest_beneficiaryId_fkey" FOREIGN KEY ("beneficiaryId") REFERENCES "Beneficiary" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ChannelIdentity" (
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ChannelIdentity_beneficiaryId_fkey" FOREIGN KEY ("beneficiaryId") REFERENCES "Beneficiary" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "ChannelIdentity_guardianId_fkey" FOREIGN KEY ("guardianId") REFERENCES "Guardian" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ConversationSession" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "channel" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "MessageLog" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "channel" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "direction" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Escalation" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "channel" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "beneficiaryId" INTEGER,
    "topic" TEXT NOT NULL,
    "details" TEXT,
    "transcript" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "assignedTo" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Escalation_beneficiaryId_fkey" FOREIGN KEY ("beneficiaryId") REFERENCES "Beneficiary" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "actorKind" TEXT NOT NULL,
    "actorId" TEXT,
    "action" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "entityId" TEXT,
    "channel" TEXT,
    "before" TEXT,
    "after" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "ImportRun" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "kind" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "fileHash" TEXT NOT NULL,
    "rows" INTEGER NOT NULL,
    "accepted" INTEGER NOT NULL,
    "rejected" INTEGER NOT NULL,
    "changed" INTEGER NOT NULL,
    "dryRun" BOOLEAN NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "Commune_key_key" ON "Commune"("key");

-- CreateIndex
CREATE UNIQUE INDEX "Beneficiary_code_key" ON "Beneficiary"("code");

-- CreateIndex
CREATE INDEX "Beneficiary_citizenIdHash_idx" ON "Beneficiary"("citizenIdHash");

-- CreateIndex
CREATE INDEX "Beneficiary_phone_idx" ON "Beneficiary"("phone");

-- CreateIndex
CREATE INDEX "Beneficiary_communeId_idx" ON "Beneficiary"("communeId");

-- CreateIndex
CREATE UNIQUE INDEX "Guardian_citizenIdHash_key" ON "Guardian"("citizenIdHash");

-- CreateIndex
CREATE INDEX "Guardian_phone_idx" ON "Guardian"("phone");

-- CreateIndex
CREATE INDEX "GuardianLink_beneficiaryId_idx" ON "GuardianLink"("beneficiaryId");

-- CreateIndex
CREATE UNIQUE INDEX "GuardianLink_guardianId_beneficiaryId_key" ON "GuardianLink"("guardianId", "beneficiaryId");

-- CreateIndex
CREATE UNIQUE INDEX "PaymentPeriod_period_key" ON "PaymentPeriod"("period");

-- CreateIndex
CREATE INDEX "Payment_periodId_idx" ON "Payment"("periodId");

-- CreateIndex
CREATE INDEX "Payment_payDate_idx" ON "Payment"("payDate");

-- CreateIndex
CREATE UNIQUE INDEX "Payment_beneficiaryId_periodId_key" ON "Payment"("beneficiaryId", "periodId");

-- CreateIndex
CREATE UNIQUE INDEX "MethodChangeRequest_reference_key" ON "MethodChangeRequest"("reference");

-- CreateIndex
CREATE INDEX "MethodChangeRequest_beneficiaryId_status_idx" ON "MethodChangeRequest"("beneficiaryId", "status");

-- CreateIndex
CREATE INDEX "MethodChangeRequest_status_idx" ON "MethodChangeRequest"("status");

-- CreateIndex
CREATE INDEX "ChannelIdentity_beneficiaryId_idx" ON "ChannelIdentity"("beneficiaryId");

-- CreateIndex
CREATE INDEX "ChannelIdentity_guardianId_idx" ON "ChannelIdentity"("guardianId");

-- CreateIndex
CREATE UNIQUE INDEX "ChannelIdentity_channel_externalId_key" ON "ChannelIdentity"("channel", "externalId");

-- CreateIndex
CREATE INDEX "ConversationSession_expiresAt_idx" ON "ConversationSession"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "ConversationSession_channel_externalId_key" ON "ConversationSession"("channel", "externalId");

-- CreateIndex
CREATE INDEX "MessageLog_channel_externalId_createdAt_idx" ON "MessageLog"("channel", "externalId", "createdAt");

-- CreateIndex
CREATE INDEX "Escalation_status_createdAt_idx" ON "Escalation"("status", "createdAt");

-- CreateIndex
CREATE INDEX "AuditLog_entity_entityId_idx" ON "AuditLog"("entity", "entityId");

-- CreateIndex
CREATE INDEX "AuditLog_createdAt_idx" ON "AuditLog"("createdAt");

