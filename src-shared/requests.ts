// Requests the service accepts, as zod schemas: every front door (CLI, IPC,
// browser mode) validates with these before anything reaches the service.
import { z } from 'zod';
import { DEFAULT_NAMESPACE, isDns1123Label } from './names.ts';
import { MAX_PACKAGE_FILE_BYTES, packageFilePathProblem } from './package-files.ts';
import { formatBytes } from './format-bytes.ts';

/** The rule a DNS-1123 label breaks, as every door words it. */
export const dnsLabelRule = (what: string) =>
  `${what} must be a lowercase RFC 1123 label: lower case alphanumeric characters or '-', starting and ending with an alphanumeric character, at most 63 characters`;

export const dnsLabel = (what: string) => z.string().refine(isDns1123Label, { message: dnsLabelRule(what) });

export const namespaceSchema = dnsLabel('namespace');

export { DEFAULT_NAMESPACE };

/** The namespace a request acts in. */
export const namespaceField = namespaceSchema.default(DEFAULT_NAMESPACE);

/** The namespace a listing filters by: any name lists what it finds there (nothing, for one that cannot exist), as porchctl does. */
export const namespaceFilterField = z.string().min(1, `namespace must not be empty; leave it out for "${DEFAULT_NAMESPACE}"`).default(DEFAULT_NAMESPACE);

/** POSIX `/...` or Windows `C:\...`: a local repository's path must not depend on where the caller stands. */
export function isAbsolutePath(p: string): boolean {
  return /^\//.test(p) || /^[A-Za-z]:[\\/]/.test(p);
}

export const registerRepositorySchema = z.object({
  url: z
    .string()
    .min(1, 'repository must be an http(s) URL of a Git server, or the path of a local Git repository')
    .refine(
      (u) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(u) || /^(https?|file):\/\//i.test(u),
      "Porchlight reaches a Git server over HTTP(S) only (ssh:// and git:// are not supported): use the server's https:// URL, or the path of a local clone",
    )
    .refine(
      (u) => (/^https?:\/\//i.test(u) && URL.canParse(u)) || /^file:\/\/\//i.test(u) || isAbsolutePath(u),
      'repository must be an http:// or https:// URL of a Git server, or the absolute path (or file:/// URL) of a local Git repository',
    ),
  name: dnsLabel('repository name'),
  namespace: namespaceField,
  // Porch's rule: no '//', and with the slashes taken out, a DNS-1123 label.
  branch: z
    .string()
    .default('main')
    .refine((b) => !b.includes('//') && isDns1123Label(b.replaceAll('/', '')), {
      message:
        'branch must be lowercase letters, digits, - and /, starting and ending with a letter or digit (Porch checks it as a DNS-1123 label once slashes are removed)',
    }),
  directory: z
    .string()
    .default('/')
    .refine((d) => !/[\u0000-\u001f]/.test(d) && !d.split('/').some((seg) => seg === '..' || seg === '.'), {
      message: 'directory must be a plain path inside the repository (no "." or ".." segments, no control characters)',
    }),
  description: z.string().optional(),
  deployment: z.boolean().default(false),
  username: z.string().optional(),
  password: z.string().optional(),
  syncIntervalSeconds: z.number().int().min(0).default(600),
  /** A 5-field cron expression (porchctl's --sync-schedule); wins over the interval. */
  syncSchedule: z.string().optional(),
});
export type RegisterRepositoryRequest = z.input<typeof registerRepositorySchema>;

export const repositoryRefSchema = z.object({
  namespace: namespaceField,
  name: z.string().min(1),
});

/** How often a repository is synced: an interval (0 turns scheduled syncs off) or a cron schedule, which wins. */
export const updateRepositorySchema = repositoryRefSchema.extend({
  syncIntervalSeconds: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 3600)
    .optional(),
  /** A 5-field cron expression; null goes back to the interval. */
  syncSchedule: z.string().min(1).nullable().optional(),
});
export type UpdateRepositoryRequest = z.input<typeof updateRepositorySchema>;

export const unregisterRepositorySchema = repositoryRefSchema.extend({
  force: z.boolean().default(false),
});

export const listRevisionsSchema = z.object({
  namespace: namespaceFilterField,
  allNamespaces: z.boolean().default(false),
  name: z.string().optional(),
  packageName: z.string().optional(),
  revision: z.number().int().optional(),
  workspace: z.string().optional(),
});
export type ListRevisionsRequest = z.input<typeof listRevisionsSchema>;

/** A package path: one or more DNS-1123 labels separated by '/'. */
const packagePathSchema = z.string().refine((p) => p.split('/').every(isDns1123Label), {
  message:
    'package name must be DNS-1123 labels separated by "/" (lower case alphanumeric characters or \'-\', each starting and ending with an alphanumeric character)',
});

export const initPackageSchema = z.object({
  namespace: namespaceField,
  repository: z.string().min(1, 'a repository is required: --repository=<name>'),
  name: packagePathSchema,
  workspace: dnsLabel('workspace name'),
  description: z.string().optional(),
  keywords: z.array(z.string()).optional(),
  site: z.string().optional(),
});
export type InitPackageRequest = z.input<typeof initPackageSchema>;

/** A file's path inside a package: never absolute, never out of it, never into .git. */
const packageFilePathSchema = z.string().superRefine((p, ctx) => {
  const problem = packageFilePathProblem(p);
  if (problem) ctx.addIssue({ code: 'custom', message: `file "${p}": ${problem}` });
});

/** Bytes in a base64 string without decoding it (padding excluded). */
export function base64Bytes(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return Math.floor((base64.length * 3) / 4) - padding;
}

/** A package file as it crosses a boundary: its contents as base64 (JSON and structured clone both carry strings safely). */
export const wireFileSchema = z
  .object({
    path: packageFilePathSchema,
    base64: z.string(),
  })
  .superRefine((f, ctx) => {
    const bytes = base64Bytes(f.base64);
    if (bytes > MAX_PACKAGE_FILE_BYTES) {
      ctx.addIssue({
        code: 'custom',
        path: ['content'],
        message: `file "${f.path}" is ${formatBytes(bytes)}: package files are limited to ${formatBytes(MAX_PACKAGE_FILE_BYTES)}; keep large data outside the package`,
      });
    }
  });
export type WireFile = z.infer<typeof wireFileSchema>;

const resourcesUpdate = {
  namespace: namespaceField,
  name: z.string().min(1),
  /** The revision's metadata.resourceVersion as last read; a stale one is refused. */
  resourceVersion: z.string().min(1, 'resourceVersion must be specified for an update'),
};

/** An edit of a draft's files: `files` written, `remove` deleted, the rest kept (Porch's PackageRevisionResources update, as an editor saves). */
export const saveResourcesSchema = z.object({
  ...resourcesUpdate,
  files: z.array(wireFileSchema).default([]),
  remove: z.array(packageFilePathSchema).default([]),
});

/** A draft's whole package replaced by `files`, then rendered (porchctl's rpkg push of a directory). */
export const pushResourcesSchema = z.object({
  ...resourcesUpdate,
  files: z.array(wireFileSchema),
});

/** A package's directory in an upstream repository: '/' for the root, otherwise a path inside it, as a package file's. */
const upstreamDirectorySchema = z
  .string()
  .default('/')
  .superRefine((d, ctx) => {
    const inside = d.replace(/^\/+|\/+$/g, '');
    const problem = inside === '' ? undefined : packageFilePathProblem(inside);
    if (problem) ctx.addIssue({ code: 'custom', message: `directory "${d}" must be a path inside the repository: ${problem}` });
  });

/** Where a clone comes from: a registered revision, or a package in any Git repository. */
export const cloneSourceSchema = z.union([
  z.object({ kind: z.literal('revision'), name: z.string().min(1) }),
  z.object({
    kind: z.literal('git'),
    repo: z
      .string()
      .refine(
        (u) => (/^https?:\/\//i.test(u) && URL.canParse(u)) || /^file:\/\/\//i.test(u),
        'upstream must be an http(s) URL of a Git repository, or the file:/// URL of one on this machine',
      ),
    ref: z.string().min(1, 'a Git ref is required (a tag or branch, e.g. basens/v1 or main)'),
    directory: upstreamDirectorySchema,
    /** Credentials of a registered repository (porchctl's --secret-ref, e.g. "<repo>-auth"). */
    secretRef: z.string().optional(),
    username: z.string().optional(),
    password: z.string().optional(),
  }),
  /** A package path resolved in a catalog: the highest-priority repository that has it. */
  z.object({
    kind: z.literal('catalog'),
    catalog: z.string().min(1),
    packagePath: z.string().min(1),
    revision: z.number().int().min(1).optional(),
  }),
]);

export const clonePackageSchema = z.object({
  namespace: namespaceField,
  repository: z.string().min(1, 'a repository is required: --repository=<name>'),
  name: packagePathSchema,
  workspace: dnsLabel('workspace name'),
  source: cloneSourceSchema,
});
export type ClonePackageRequest = z.input<typeof clonePackageSchema>;

export const copyPackageSchema = z.object({
  namespace: namespaceField,
  /** The published revision the new draft starts from. */
  source: z.string().min(1),
  workspace: dnsLabel('workspace name'),
});
export type CopyPackageRequest = z.input<typeof copyPackageSchema>;

/** A namespace's cleanup policy: evict the resources of published revisions not read for this many days. */
export const setCleanupPolicySchema = z.object({
  namespace: namespaceField,
  enabled: z.boolean().default(true),
  evictAfterDays: z.number().int().min(1, 'evict after at least 1 day').max(3650, 'evict after at most 3650 days (ten years)').default(30),
});
export type SetCleanupPolicyRequest = z.input<typeof setCleanupPolicySchema>;
