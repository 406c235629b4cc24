/** engine/verify: content conservation, origin accounting and planned-result checks for apply runs. */
export { verifyRun, type Verification } from './verify.ts';
