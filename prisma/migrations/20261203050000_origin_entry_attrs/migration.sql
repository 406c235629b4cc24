-- Manifest version 2: the Windows attributes an origin entry had (OneDrive Files-On-Demand
-- placeholders are Offline / RecallOnOpen / RecallOnDataAccess) and why the origin could not read it
-- (a folder not listed, a file not hashed).
ALTER TABLE "OriginEntry" ADD COLUMN "attrs" INTEGER;
ALTER TABLE "OriginEntry" ADD COLUMN "errorCode" TEXT;
