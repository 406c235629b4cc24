/**
 * The config file: the space root, the sources that landed in it, the layout roles and the
 * priority rules. YAML or JSON. Relative paths in it are resolved against the file's folder
 * (manifest, logs) or the space root (landing, layout folders).
 */
import iconv from 'iconv-lite';
import { z } from 'zod';

const sourceId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lowercase letters, digits and dashes, starting with a letter or digit');

/** A path inside the space: relative, no `..`, no NUL. */
const spaceRelative = z
  .string()
  .min(1)
  .refine((value) => !value.includes('\0'), 'must not contain NUL')
  .refine((value) => !value.startsWith('/'), 'must be relative to the space root')
  .refine((value) => !value.split('/').includes('..'), 'must not contain ..')
  .transform((value) => value.replace(/\/+$/, ''));

export const sourceSchema = z.strictObject({
  id: sourceId,
  host: z.string().min(1).optional(),
  kind: z.enum(['rsync', 'robocopy', 'rclone', 'icloud', 'manual']),
  class: z.enum(['local', 'cloud', 'device']),
  /** Where the data came from, as its host names it (`/Users/miket/dev/`, `C:\Users\mike\`, `onedrive:`). */
  origin: z.string().min(1).optional(),
  /** Where the transfer wrote, relative to the space. */
  landing: spaceRelative,
  /** Origin manifest or `rclone lsjson` output, relative to the config file. */
  manifest: z.string().min(1).optional(),
  /** Transfer logs (rsync, robocopy, rclone), relative to the config file. */
  logs: z.array(z.string().min(1)).default([]),
  /**
   * Code page of the logs that have neither a byte-order mark nor valid UTF-8: robocopy /LOG writes
   * the Windows ANSI code page (windows-1252 in Western Europe and the US), a captured console the
   * OEM one (cp850, cp437). Any name iconv-lite knows.
   */
  logEncoding: z
    .string()
    .refine((name) => iconv.encodingExists(name), 'unknown encoding (use windows-1252, cp850, cp437 or another code page name iconv-lite knows)')
    .default('windows-1252'),
  /** For cloud sources: the rclone remote the origin paths are named after (`m365:`). */
  remote: z.string().min(1).optional(),
  /**
   * How this server reaches the origin to fetch what the space lacks (`reconcile recover --fetch`):
   * `host:/path/` over ssh (rsync), an rclone `remote:path`, or a local or mounted folder (relative
   * to the config file). Default: `host:origin` for rsync and iCloud sources, `origin` for rclone.
   */
  reach: z
    .string()
    .min(1)
    .refine((value) => !value.includes('\0'), 'must not contain NUL')
    .optional(),
  /** Marks the source as the system of record (wins the `system-of-record` rule). */
  systemOfRecord: z.boolean().default(false),
});

export const priorityRules = [
  'system-of-record',
  'local-over-cloud',
  'complete-over-partial',
  'newest-mtime',
  'cleanest-name',
  'shortest-path',
] as const;
export type PriorityRule = (typeof priorityRules)[number];

export const layoutSchema = z.strictObject({
  /** One canonical copy of working files lives here. */
  canonical: spaceRelative.default('mike'),
  /** Read-mostly archive sets: duplicates inside them are intended. */
  archives: z.array(spaceRelative).default(['mike/archives']),
  /** Device captures stay under `<devices>/<host>/<user>/` until reviewed. */
  devices: spaceRelative.default('devices'),
  /** Staging folders that get mapped into the layout. */
  inbox: spaceRelative.default('inbox'),
  /** Folders where long-lived duplicates are allowed. */
  journal: spaceRelative.default('journal/reconciliation'),
  archive: spaceRelative.default('archive/reconciliation'),
  conflicts: spaceRelative.default('inbox/reconciliation/runs'),
  /** Where fetched origin files land, one folder per source keeping origin-relative paths; never a live folder. */
  recovery: spaceRelative.default('inbox/recovery'),
  /** Staging → layout mappings, e.g. `{ from: inbox/wintermute-mdt_, to: mike }`. */
  mappings: z.array(z.strictObject({ from: spaceRelative, to: spaceRelative })).default([]),
});

const roleList = z.array(z.string().min(1)).default([]);
const entraObjectId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const accessSchema = z.strictObject({
  /** Entra app-role names or group object ids per role; a user gets every role they match. */
  roles: z
    .strictObject({
      viewer: roleList,
      reviewer: roleList,
      operator: roleList,
      admin: roleList,
    })
    .default({ viewer: [], reviewer: [], operator: [], admin: [] }),
  /**
   * Users given a role directly (small teams without app roles), by Entra object id (`oid`, the
   * user's Object ID in the Entra admin center). Never by e-mail: `email` and `preferred_username`
   * can be changed by users or admins and reassigned to someone else, and Microsoft advises against
   * authorising on them; an e-mail key is refused with the way to the object id.
   */
  users: z
    .record(z.string(), z.enum(['viewer', 'reviewer', 'operator', 'admin']))
    .superRefine((users, context) => {
      for (const key of Object.keys(users)) {
        if (entraObjectId.test(key)) continue;
        context.addIssue({
          code: 'custom',
          path: [key],
          message: key.includes('@')
            ? 'give users by their Entra object id (Entra admin center → Users → the user → Object ID), not by e-mail, which can change hands'
            : 'not an Entra object id (a GUID such as 3f2504e0-4f89-41d3-9a0c-0305e82c3301)',
        });
      }
    })
    .default({}),
});

/** How the origin hosts reach this server, for the commands and scripts run there. */
export const serverSchema = z.strictObject({
  /** The ssh name origin hosts use for this server (the push form of rsync); default: its host name. */
  host: z.string().min(1).optional(),
  /** The space as Windows hosts see it (`\\motoko\space`); default: `\\<host>\<space folder name>`. */
  windowsShare: z
    .string()
    .regex(/^\\\\[^\\]+\\[^\\]+/, 'must be a UNC path such as \\\\motoko\\space')
    .optional(),
});

export const configFileSchema = z.strictObject({
  space: z
    .string()
    .min(1)
    .refine((value) => !value.includes('\0'), 'must not contain NUL'),
  sources: z.array(sourceSchema).default([]),
  layout: layoutSchema.default(layoutSchema.parse({})),
  priority: z.array(z.enum(priorityRules)).min(1).default([...priorityRules]),
  access: accessSchema.default(accessSchema.parse({})),
  server: serverSchema.default({}),
});

export type SourceConfig = z.infer<typeof sourceSchema>;
export type LayoutConfig = z.infer<typeof layoutSchema>;
export type AccessConfig = z.infer<typeof accessSchema>;
export type ServerConfig = z.infer<typeof serverSchema>;
export type ConfigFile = z.infer<typeof configFileSchema>;
