-- What the cleanup worker (src-main/cache/cleanup-worker.ts) needs beyond 001:
-- a reason on every table it can fail on, a claim time so that rows left in
-- 'processing' by a crashed worker are taken again after some minutes, and a
-- partial status index on resources, which a cleanup policy marks on their own.

-- Nullable columns without a default: on a partitioned table (and on each of
-- its partitions) adding one only writes the catalog, no row is rewritten.
ALTER TABLE repositories ADD COLUMN claimed_at timestamptz;
ALTER TABLE package_revisions ADD COLUMN status_reason text, ADD COLUMN claimed_at timestamptz;
ALTER TABLE resources ADD COLUMN status_reason text, ADD COLUMN claimed_at timestamptz;

-- As package_revisions_status: only rows that are not 'default' are indexed,
-- so the worker's existence check and its claims over all 16 partitions read
-- a few index pages however large the cache is. Building it reads resources
-- once (inside the migration's transaction): there is no CONCURRENTLY for a
-- partitioned table, and the index it builds is as small as the backlog.
CREATE INDEX resources_status ON resources (repository_id, status) WHERE status <> 'default';
