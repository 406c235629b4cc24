-- The review lists read their order (largest reclaimable bytes first, then id) straight from an
-- index: every staged or litter finding reclaims 0 bytes, and those ties were sorted per request
-- (owner tree, 26k open findings: staged first page 104 ms, unfiltered 322 ms; now 2-3 ms).
DROP INDEX "Finding_kind_status_reclaimableBytes_idx";
CREATE INDEX "Finding_kind_status_reclaimableBytes_id_idx" ON "Finding"("kind", "status", "reclaimableBytes" DESC, "id");
CREATE INDEX "Finding_status_reclaimableBytes_id_idx" ON "Finding"("status", "reclaimableBytes" DESC, "id");

-- Findings under a folder: open ones, by a range of folders (the planner took the ordered index
-- above and filtered every row; 122-158 ms, now under 2 ms).
DROP INDEX "Finding_folder_idx";
CREATE INDEX "Finding_status_folder_idx" ON "Finding"("status", "folder");
