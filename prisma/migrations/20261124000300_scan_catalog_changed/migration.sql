-- Whether a scan changed what a plan reads (rows added, changed, removed or re-hashed, new hashes or
-- read errors): a rescan that changed nothing leaves the latest plan reusable. Earlier scans, and
-- any scan that did not finish, count as changes.
ALTER TABLE "ScanRun" ADD COLUMN "catalogChanged" BOOLEAN NOT NULL DEFAULT true;
