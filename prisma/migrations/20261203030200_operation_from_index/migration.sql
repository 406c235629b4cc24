-- Classify follows what apply runs moved (a staged file now in the layout, a placed recovery) from
-- the path a landing had it at: one lookup by source path per origin entry not found where it landed.
CREATE INDEX "Operation_fromPath_idx" ON "Operation"("fromPath");
