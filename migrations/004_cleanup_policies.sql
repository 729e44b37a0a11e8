-- Cleanup policies (issue 6): the resources of published revisions nobody
-- has read for N days leave the database; Git still has them, and the next
-- read brings them back from the local clone. Drafts and proposals exist only
-- here and are never evicted.

-- Both columns are cheap on a big table: a constant default and a nullable
-- column change the catalog only, no partition is rewritten.
ALTER TABLE package_revisions ADD COLUMN resources_evicted boolean NOT NULL DEFAULT false;
-- Buffered: reads are counted in memory and written now and then, never one write per read.
ALTER TABLE package_revisions ADD COLUMN last_read_at timestamptz;

-- Eviction candidates of one repository (one partition), oldest read first.
CREATE INDEX package_revisions_evictable
  ON package_revisions (repository_id, (COALESCE(last_read_at, updated_at)))
  WHERE status = 'default' AND NOT resources_evicted AND revision <> 0;

-- One row per namespace that is not on the defaults (enabled, 30 days).
CREATE TABLE cleanup_policies (
  namespace        text PRIMARY KEY,
  enabled          boolean NOT NULL DEFAULT true,
  evict_after_days integer NOT NULL DEFAULT 30 CHECK (evict_after_days BETWEEN 1 AND 3650),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  updated_by       text NOT NULL
);

-- What each policy run freed, for `porchlight cache stats` and the settings screen.
CREATE TABLE cleanup_runs (
  id                bigint PRIMARY KEY DEFAULT nextval('porchlight_id_seq'),
  namespace         text NOT NULL,
  started_at        timestamptz NOT NULL DEFAULT now(),
  finished_at       timestamptz,
  revisions_evicted integer NOT NULL DEFAULT 0,
  rows_freed        bigint NOT NULL DEFAULT 0,
  bytes_freed       bigint NOT NULL DEFAULT 0,
  error             text
);
CREATE INDEX cleanup_runs_recent ON cleanup_runs (namespace, started_at DESC);
