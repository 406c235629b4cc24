-- CreateTable
CREATE TABLE "Source" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "host" TEXT,
    "kind" TEXT NOT NULL,
    "class" TEXT NOT NULL,
    "origin" TEXT,
    "landing" TEXT NOT NULL,
    "root" TEXT NOT NULL,
    "configJson" TEXT NOT NULL DEFAULT '{}',
    "lastScanId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "ScanRun" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "jobId" INTEGER,
    "sourcesJson" TEXT NOT NULL DEFAULT '[]',
    "startedAtNs" BIGINT NOT NULL,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    "status" TEXT NOT NULL DEFAULT 'running',
    "full" BOOLEAN NOT NULL DEFAULT false,
    "entriesSeen" INTEGER NOT NULL DEFAULT 0,
    "bytesSeen" BIGINT NOT NULL DEFAULT 0,
    "added" INTEGER NOT NULL DEFAULT 0,
    "changed" INTEGER NOT NULL DEFAULT 0,
    "removed" INTEGER NOT NULL DEFAULT 0,
    "unreadable" INTEGER NOT NULL DEFAULT 0,
    "filesHashed" INTEGER NOT NULL DEFAULT 0,
    "bytesRead" BIGINT NOT NULL DEFAULT 0,
    "error" TEXT
);

-- CreateTable
CREATE TABLE "Entry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "sourceId" TEXT NOT NULL,
    "relPath" BLOB NOT NULL,
    "path" TEXT NOT NULL,
    "parent" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "nfcKey" TEXT NOT NULL,
    "foldKey" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "size" BIGINT NOT NULL DEFAULT 0,
    "mtimeNs" BIGINT NOT NULL DEFAULT 0,
    "ctimeNs" BIGINT NOT NULL DEFAULT 0,
    "birthtimeNs" BIGINT,
    "mode" INTEGER NOT NULL DEFAULT 0,
    "uid" INTEGER NOT NULL DEFAULT 0,
    "gid" INTEGER NOT NULL DEFAULT 0,
    "dev" BIGINT NOT NULL DEFAULT 0,
    "ino" BIGINT NOT NULL DEFAULT 0,
    "nlink" INTEGER NOT NULL DEFAULT 1,
    "xattrsJson" TEXT,
    "linkTarget" BLOB,
    "headHash" TEXT,
    "tailHash" TEXT,
    "fullHash" TEXT,
    "errorCode" TEXT,
    "errorMessage" TEXT,
    "skipReason" TEXT,
    "firstScanId" INTEGER NOT NULL,
    "lastScanId" INTEGER NOT NULL,
    "removedScanId" INTEGER,
    CONSTRAINT "Entry_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Inventory" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "sourceId" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "file" TEXT NOT NULL,
    "fileHash" TEXT NOT NULL,
    "host" TEXT,
    "origin" TEXT,
    "hashKinds" TEXT NOT NULL DEFAULT '[]',
    "entryCount" INTEGER NOT NULL DEFAULT 0,
    "importedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Inventory_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "OriginEntry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "inventoryId" INTEGER NOT NULL,
    "sourceId" TEXT NOT NULL,
    "relPath" TEXT NOT NULL,
    "originPath" TEXT NOT NULL,
    "nfcKey" TEXT NOT NULL,
    "foldKey" TEXT NOT NULL,
    "isDir" BOOLEAN NOT NULL DEFAULT false,
    "size" BIGINT NOT NULL DEFAULT 0,
    "mtimeNs" BIGINT,
    "xxh128" TEXT,
    "sha1" TEXT,
    "md5" TEXT,
    "quickxor" TEXT,
    CONSTRAINT "OriginEntry_inventoryId_fkey" FOREIGN KEY ("inventoryId") REFERENCES "Inventory" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "TransferEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "sourceId" TEXT NOT NULL,
    "logFile" TEXT NOT NULL,
    "lineNo" INTEGER NOT NULL,
    "tool" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "relPath" TEXT,
    "code" TEXT,
    "message" TEXT NOT NULL,
    CONSTRAINT "TransferEvent_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Entry_sourceId_relPath_key" ON "Entry"("sourceId", "relPath");
CREATE INDEX "Entry_type_size_idx" ON "Entry"("type", "size");
CREATE INDEX "Entry_fullHash_idx" ON "Entry"("fullHash");
CREATE INDEX "Entry_dev_ino_idx" ON "Entry"("dev", "ino");
CREATE INDEX "Entry_sourceId_foldKey_idx" ON "Entry"("sourceId", "foldKey");
CREATE INDEX "Entry_lastScanId_idx" ON "Entry"("lastScanId");
CREATE UNIQUE INDEX "Inventory_sourceId_fileHash_key" ON "Inventory"("sourceId", "fileHash");
CREATE INDEX "OriginEntry_sourceId_relPath_idx" ON "OriginEntry"("sourceId", "relPath");
CREATE INDEX "OriginEntry_size_idx" ON "OriginEntry"("size");
CREATE INDEX "OriginEntry_xxh128_idx" ON "OriginEntry"("xxh128");
CREATE INDEX "TransferEvent_sourceId_relPath_idx" ON "TransferEvent"("sourceId", "relPath");
