-- A plan run records what it was built from (engine/plan/fingerprint.ts): `findings` and `plan`
-- reuse the latest plan while nothing it reads has changed instead of classifying again.
-- NULL: built before fingerprints existed (never reused).
ALTER TABLE "PlanRun" ADD COLUMN "fingerprint" TEXT;
