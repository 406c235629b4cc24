-- Per-source figures the dashboard and the sources list show, counted once by scan, inventory
-- import and plan instead of over millions of entries on every request. Each part records the
-- input it was counted from (the source's last scan, its newest inventory, the latest plan run); a
-- part whose input has moved on is counted again the next time it is read.
CREATE TABLE "SourceStats" (
    "sourceId" TEXT NOT NULL PRIMARY KEY,
    "scanId" INTEGER,
    "files" INTEGER NOT NULL DEFAULT 0,
    "bytes" BIGINT NOT NULL DEFAULT 0,
    "unreadable" INTEGER NOT NULL DEFAULT 0,
    "inventoryId" INTEGER,
    "originFiles" INTEGER NOT NULL DEFAULT 0,
    "originBytes" BIGINT NOT NULL DEFAULT 0,
    "planRunId" INTEGER,
    "findingsJson" TEXT NOT NULL DEFAULT '{}',
    CONSTRAINT "SourceStats_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- The invariants that depend on the plan's findings and proposals, checked once when it is built.
ALTER TABLE "PlanRun" ADD COLUMN "invariantsJson" TEXT;
