-- Unchanged entries are no longer rewritten on every scan, so nothing looks rows up by lastScanId;
-- the index only slowed bulk inserts.
DROP INDEX "Entry_lastScanId_idx";
