-- An origin entry the owner decided not to recover (an old version not worth having), with the
-- reason and the deciding person; also in the audit trail. Verification counts it as accounted
-- for and lists it. Revoking keeps the row (revokedAt, revokedBy): the history stays.
CREATE TABLE "Waiver" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "sourceId" TEXT NOT NULL,
    "relPath" TEXT NOT NULL,
    "originPath" TEXT NOT NULL,
    "size" BIGINT,
    "hash" TEXT,
    "reason" TEXT NOT NULL,
    "decidedBy" TEXT NOT NULL,
    "decidedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" DATETIME,
    "revokedBy" TEXT
);

CREATE INDEX "Waiver_sourceId_relPath_idx" ON "Waiver"("sourceId", "relPath");
