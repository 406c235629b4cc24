-- Files of one name and size (an origin entry's stand-ins: contentInSpace, movedCopy) straight
-- from an index: seeking (type, size) alone read every file of that size, a number that grows with
-- the catalog, for each of a number of origin entries that grows with it too (19.6 s of 133 s at
-- 1M files, 0.4 s at 200k). A separate index, led by the name: replacing (type, size) with
-- (type, size, name) made SQLite seek `type = 'file'` for the full-hash lookups instead.
CREATE INDEX "Entry_name_size_type_idx" ON "Entry"("name", "size", "type");
