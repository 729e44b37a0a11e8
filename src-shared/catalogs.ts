// Catalogs: an ordered list of repositories (blueprint sources) in which a
// package path resolves to the highest-priority repository that has it. The
// requests every front door validates, and the shapes they answer with.
import { z } from 'zod';
import { isDns1123Label } from './names.ts';
import { dnsLabel, namespaceField } from './requests.ts';

export const catalogNameSchema = dnsLabel('catalog name');

/** Repository names, highest priority first: at least one, each once. */
export const catalogRepositoriesSchema = z
  .array(dnsLabel('repository name'))
  .min(1, 'a catalog needs at least one repository: give them highest priority first, e.g. --repositories=team-blueprints,blueprints')
  .superRefine((names, ctx) => {
    const seen = new Set<string>();
    for (const [i, name] of names.entries()) {
      if (seen.has(name)) {
        ctx.addIssue({
          code: 'custom',
          path: [i],
          message: `repository "${name}" is listed more than once; list each repository once, highest priority first`,
        });
        return;
      }
      seen.add(name);
    }
  });

export const createCatalogSchema = z.object({
  namespace: namespaceField,
  name: catalogNameSchema,
  repositories: catalogRepositoriesSchema,
  description: z.string().max(1024, 'description must be at most 1024 characters').optional(),
});
export type CreateCatalogRequest = z.input<typeof createCatalogSchema>;

export const catalogRefSchema = z.object({
  namespace: namespaceField,
  name: catalogNameSchema,
});
export type CatalogRefRequest = z.input<typeof catalogRefSchema>;

export const listCatalogsSchema = z.object({
  namespace: namespaceField,
  allNamespaces: z.boolean().default(false),
});
export type ListCatalogsRequest = z.input<typeof listCatalogsSchema>;

export const setCatalogRepositoriesSchema = catalogRefSchema.extend({
  repositories: catalogRepositoriesSchema,
});
export type SetCatalogRepositoriesRequest = z.input<typeof setCatalogRepositoriesSchema>;

export const resolveInCatalogSchema = z.object({
  namespace: namespaceField,
  catalog: catalogNameSchema,
  /** A package path as Porch names packages: DNS-1123 labels separated by '/'. */
  packagePath: z.string().refine((p) => p.split('/').every(isDns1123Label), {
    message: 'package path must be DNS-1123 labels separated by "/" (e.g. basens or team/web)',
  }),
  /** A published revision number; absent: the latest Published revision. */
  revision: z.number().int().min(1, 'revision must be a published revision number (1 or more); leave it out for the latest').optional(),
});
export type ResolveInCatalogRequest = z.input<typeof resolveInCatalogSchema>;

// ---------------------------------------------------------------------------
// The catalog as the front doors see it, in the shape of a Kubernetes object
// so `-o json|yaml|jsonpath` work as for repositories.

export interface Catalog {
  apiVersion: 'porchlight.dev/v1alpha1';
  kind: 'Catalog';
  metadata: { name: string; namespace: string; resourceVersion: string; creationTimestamp: string };
  spec: {
    description?: string;
    /** Registered member repositories, highest priority first (unregistered ones have dropped out). */
    repositories: string[];
  };
}

export interface CatalogResolution {
  /** The package revision to clone or show, e.g. blueprints.basens.v4. */
  revisionName: string;
  /** The repository it came from. */
  repository: string;
  /** Its revision number. */
  revision: number;
  packagePath: string;
  workspace: string;
  /** The repositories asked, in order; the last is `repository`. */
  searched: string[];
}
