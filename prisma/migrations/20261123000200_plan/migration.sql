-- CreateTable
CREATE TABLE "PlanRun" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "scanId" INTEGER,
    "planHash" TEXT NOT NULL,
    "configHash" TEXT NOT NULL,
    "findingCount" INTEGER NOT NULL DEFAULT 0,
    "proposalCount" INTEGER NOT NULL DEFAULT 0,
    "summaryJson" TEXT NOT NULL DEFAULT '{}'
);

-- CreateTable
CREATE TABLE "Finding" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "pathsJson" TEXT NOT NULL,
    "sourcesJson" TEXT NOT NULL,
    "evidenceJson" TEXT NOT NULL DEFAULT '{}',
    "size" BIGINT,
    "hash" TEXT,
    "reclaimableBytes" BIGINT NOT NULL DEFAULT 0,
    "folder" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL DEFAULT 'open',
    "planRunId" INTEGER NOT NULL,
    "firstSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Proposal" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "findingId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "keeperPath" TEXT,
    "operationsJson" TEXT NOT NULL DEFAULT '[]',
    "redownloadJson" TEXT NOT NULL DEFAULT '[]',
    "decisionKey" TEXT NOT NULL,
    "planRunId" INTEGER NOT NULL,
    CONSTRAINT "Proposal_findingId_fkey" FOREIGN KEY ("findingId") REFERENCES "Finding" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Decision" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "decisionKey" TEXT NOT NULL,
    "findingId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "verdict" TEXT NOT NULL,
    "choiceJson" TEXT NOT NULL DEFAULT '{}',
    "decidedBy" TEXT NOT NULL,
    "decidedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "appliedRunId" TEXT
);

-- CreateIndex
CREATE INDEX "Finding_kind_status_reclaimableBytes_idx" ON "Finding"("kind", "status", "reclaimableBytes");
CREATE INDEX "Finding_folder_idx" ON "Finding"("folder");
CREATE INDEX "Finding_status_kind_folder_id_idx" ON "Finding"("status", "kind", "folder", "id");
CREATE UNIQUE INDEX "Proposal_findingId_key" ON "Proposal"("findingId");
CREATE INDEX "Proposal_decisionKey_idx" ON "Proposal"("decisionKey");
CREATE INDEX "Proposal_action_idx" ON "Proposal"("action");
CREATE UNIQUE INDEX "Decision_decisionKey_key" ON "Decision"("decisionKey");
CREATE INDEX "Decision_verdict_idx" ON "Decision"("verdict");
CREATE INDEX "Decision_findingId_idx" ON "Decision"("findingId");
