-- The list-order indexes carry each finding's folder: a page of a folder holding many findings
-- walks them testing the folder in the index, not in each row (findings under the inbox, staged
-- files with 0 reclaimable bytes at the end of the order, read a row per finding before them).
DROP INDEX "Finding_kind_status_reclaimableBytes_id_idx";
DROP INDEX "Finding_status_reclaimableBytes_id_idx";
CREATE INDEX "Finding_kind_status_reclaimableBytes_id_folder_idx" ON "Finding"("kind", "status", "reclaimableBytes" DESC, "id", "folder");
CREATE INDEX "Finding_status_reclaimableBytes_id_folder_idx" ON "Finding"("status", "reclaimableBytes" DESC, "id", "folder");
