-- A source's recovery folder (layout.recovery/<source>) is catalogued as a root of its own that
-- belongs to the source: files fetched from the origin wait there, apart from the landing, until a
-- decision places them. `recoveryOf` names the owning source; NULL for landings and ad-hoc folders.
ALTER TABLE "Source" ADD COLUMN "recoveryOf" TEXT;

-- Recognition looks fetched files up among the origin entries by path, and by NFC name when the
-- origin spelled it in another Unicode normalisation.
CREATE INDEX "OriginEntry_sourceId_nfcKey_idx" ON "OriginEntry"("sourceId", "nfcKey");
