-- Every verification, of one apply run or of the whole space: its outcome (complete, outstanding,
-- failed) and the result it rests on. The dashboard and the report show the latest.
CREATE TABLE "Verification" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "runId" TEXT,
    "outcome" TEXT NOT NULL,
    "checkedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resultJson" TEXT NOT NULL
);

-- CreateIndex
CREATE INDEX "Verification_runId_idx" ON "Verification"("runId");
