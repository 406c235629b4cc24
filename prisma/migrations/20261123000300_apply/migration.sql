-- CreateTable
CREATE TABLE "ApplyRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "jobId" INTEGER,
    "opsHash" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    "journalPath" TEXT NOT NULL,
    "decisionKeysJson" TEXT NOT NULL DEFAULT '[]',
    "opCount" INTEGER NOT NULL DEFAULT 0,
    "doneCount" INTEGER NOT NULL DEFAULT 0,
    "skippedCount" INTEGER NOT NULL DEFAULT 0,
    "failedCount" INTEGER NOT NULL DEFAULT 0,
    "bytesTotal" BIGINT NOT NULL DEFAULT 0,
    "bytesDone" BIGINT NOT NULL DEFAULT 0,
    "error" TEXT,
    "verifyJson" TEXT,
    "rolledBackAt" DATETIME,
    "rollbackJson" TEXT
);

-- CreateTable
CREATE TABLE "Operation" (
    "runId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "decisionKey" TEXT NOT NULL,
    "findingId" TEXT NOT NULL,
    "op" TEXT NOT NULL,
    "fromPath" TEXT,
    "fromRaw" BLOB,
    "toPath" TEXT NOT NULL,
    "toRaw" BLOB NOT NULL,
    "expectSize" BIGINT,
    "expectMtimeNs" BIGINT,
    "expectHash" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "reason" TEXT,
    "resultHash" TEXT,
    "notPreservedJson" TEXT NOT NULL DEFAULT '[]',
    "startedAt" DATETIME,
    "finishedAt" DATETIME,

    PRIMARY KEY ("runId", "id"),
    CONSTRAINT "Operation_runId_fkey" FOREIGN KEY ("runId") REFERENCES "ApplyRun" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "ApplyRun_createdAt_idx" ON "ApplyRun"("createdAt");
CREATE INDEX "ApplyRun_opsHash_idx" ON "ApplyRun"("opsHash");
CREATE UNIQUE INDEX "Operation_runId_seq_key" ON "Operation"("runId", "seq");
CREATE INDEX "Operation_status_idx" ON "Operation"("status");
