-- The kept copy a displacing operation relies on, re-checked right before the operation acts.
ALTER TABLE "Operation" ADD COLUMN "keeperPath" TEXT;
ALTER TABLE "Operation" ADD COLUMN "keeperRaw" BLOB;
ALTER TABLE "Operation" ADD COLUMN "keeperSize" BIGINT;
ALTER TABLE "Operation" ADD COLUMN "keeperMtimeNs" BIGINT;
ALTER TABLE "Operation" ADD COLUMN "keeperHash" TEXT;
