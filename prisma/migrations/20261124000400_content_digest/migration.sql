-- Digests of file content a plan computed to confirm origin inventories (a cloud SHA-1, MD5 or
-- QuickXorHash, or an XXH128 the scan did not compute), kept for the next plan so unchanged files
-- are not read again. Keyed by the physical file; valid only while it keeps the size, mtime and
-- ctime it had when it was read.
CREATE TABLE "ContentDigest" (
    "dev" BIGINT NOT NULL,
    "ino" BIGINT NOT NULL,
    "kind" TEXT NOT NULL,
    "size" BIGINT NOT NULL,
    "mtimeNs" BIGINT NOT NULL,
    "ctimeNs" BIGINT NOT NULL,
    "value" TEXT NOT NULL,

    PRIMARY KEY ("dev", "ino", "kind")
);
