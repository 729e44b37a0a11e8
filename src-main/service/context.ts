// What every operation is handed: the database, the data home, Git and the
// credentials, who this process is, and where events go. One per service,
// built by createServiceContext; background.ts adds its hooks when a
// long-lived host starts the background work.
import os from 'node:os';
import path from 'node:path';
import type { HttpClient } from 'isomorphic-git';
import type { Database } from '../db/database.ts';
import { progressEvent, type AnswerOf, type Channel, type RequestOf, type ServiceEvent, type ServiceInfo } from '../../src-shared/contract.ts';
import { invalidArgument } from '../../src-shared/errors.ts';
import type { GitWriteContext } from '../cache/approval.ts';
import { ReadTracker } from '../cache/eviction.ts';
import type { SyncTarget } from '../cache/sync-manager.ts';
import { createHttpClient } from '../git/http-client.ts';
import { commitIdentity } from './commit-identity.ts';
import { CredentialStore } from './credential-store.ts';
import { secretFor } from './repository-credentials.ts';

export type Log = (message: string, fields?: Record<string, unknown>) => void;

/** The settings screen's door to what this process opened and what the next start opens. */
export interface SettingsDoor {
  info(): Promise<ServiceInfo>;
  setDatabase(choice: RequestOf<'settings.setDatabase'>): Promise<ServiceInfo>;
}

/** What operations tell the long-lived background work (background.ts), while it runs. */
export interface BackgroundHooks {
  /** A repository's sync schedule is new or changed. */
  schedule(target: SyncTarget): void;
  /** A repository is gone. */
  cancel(repositoryId: number): void;
  /** Rows were marked for destruction: the worker deletes them, and the caller does not wait. */
  kickCleanup(): void;
}

export interface ServiceContext {
  readonly db: Database;
  readonly dataHome: string;
  readonly credentials: CredentialStore;
  /** Sync and publish: Git's HTTP client, the clones, credentials, the commit identity. */
  readonly git: GitWriteContext;
  /** Who this process is: updated_by, and the holder of a sync lease. */
  readonly updatedBy: string;
  /** Last-read times, noted in memory and written in batches (cleanup policies evict what nobody reads). */
  readonly reads: ReadTracker;
  readonly settings: SettingsDoor;
  readonly log?: Log;
  emit(event: ServiceEvent): void;
  /** Another operation, called from inside one (the demo, the approval queue): parsed, never through a door. */
  call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<AnswerOf[C]>;
  /** Set while a long-lived host runs the background work; a one-shot command has none. */
  background?: BackgroundHooks;
  /** PGlite only: live repositories a page was asked for, by namespace/name (lookups.ts). */
  readonly pageRepositories: Map<string, { id: number; name: string }>;
  /** Claims of dead processes released once, before the first cleanup (cleanup.ts). */
  orphansReleased?: Promise<number>;
}

export interface ServiceOptions {
  db: Database;
  dataHome: string;
  http?: HttpClient;
  log?: Log;
  /** Between a push Git accepted and the database write; tests simulate a crash there. */
  afterPush?: GitWriteContext['afterPush'];
  /** What settings.* answer; a door that cannot change the database leaves it out. */
  settings?: SettingsDoor;
}

export function createServiceContext(opts: ServiceOptions, emit: (event: ServiceEvent) => void, call: ServiceContext['call']): ServiceContext {
  const updatedBy = `${os.userInfo().username}@${os.hostname()}:${process.pid}`;
  const ctx: ServiceContext = {
    db: opts.db,
    dataHome: opts.dataHome,
    credentials: new CredentialStore(path.join(opts.dataHome, 'credentials.json')),
    updatedBy,
    reads: new ReadTracker(),
    settings: opts.settings ?? fixedSettings(opts.dataHome, opts.db.kind),
    log: opts.log,
    emit,
    call,
    pageRepositories: new Map(),
    git: {
      db: opts.db,
      http: opts.http ?? createHttpClient(),
      clonesDir: path.join(opts.dataHome, 'repos'),
      owner: updatedBy,
      credentials: (repo) => secretFor(ctx, repo.namespace, repo.spec.git.secretRef?.name, repo.spec.git.repo),
      log: opts.log,
      clones: new Map(),
      identity: commitIdentity,
      afterPush: opts.afterPush,
    },
  };
  return ctx;
}

/** Progress of one operation on one subject (a repository's sync, a revision's publish), as events. */
export function progressTo(ctx: ServiceContext, operation: 'sync' | 'publish', subject: string) {
  return (p: { phase: string; loaded: number; total?: number }) => ctx.emit(progressEvent(operation, subject, p));
}

function fixedSettings(dataHome: string, kind: 'pglite' | 'postgres'): SettingsDoor {
  return {
    info: async () => ({ dataHome, database: { kind, location: '' } }),
    setDatabase: async () => {
      throw invalidArgument('this front door cannot change the database; start Porchlight with --db instead');
    },
  };
}
