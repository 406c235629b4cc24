import os from 'node:os';

/** Who runs a CLI command, for Job.createdBy and the audit trail: `cli:user@host`. */
export function actorName(): string {
  return `cli:${os.userInfo().username}@${os.hostname()}`;
}
