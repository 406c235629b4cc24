-- AlterTable: operations for a reviewer's choice that departs from the proposal
ALTER TABLE "Decision" ADD COLUMN "operationsJson" TEXT;
