-- Import warnings: what an import of a source's manifest or transfer log could not use or could not
-- reconcile (a log line naming no origin or space entry, a robocopy summary reporting more failures
-- than could be matched). Warnings, not findings; each import of a file replaces its own.
CREATE TABLE "ImportWarning" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "sourceId" TEXT NOT NULL,
    "file" TEXT NOT NULL,
    "lineNo" INTEGER,
    "kind" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "detailJson" TEXT NOT NULL DEFAULT '{}',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ImportWarning_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE INDEX "ImportWarning_sourceId_file_idx" ON "ImportWarning"("sourceId", "file");
