-- Two costs the scale benchmark found on PGlite (issue 6), both paid by every
-- statement that touched the rows, not by the queries themselves.
--
-- 1. The foreign key from package_revisions to packages named only the
--    package id, so deleting one package (the cleanup of an unregistered
--    repository) checked all 16 partitions for referencing rows: 544 ms per
--    50 packages. With the partition key in the reference, the check and the
--    cascade probe one partition: 100 ms.
ALTER TABLE packages ADD CONSTRAINT packages_repository_id_id UNIQUE (repository_id, id);
ALTER TABLE package_revisions DROP CONSTRAINT package_revisions_package_id_fkey;
ALTER TABLE package_revisions ADD CONSTRAINT package_revisions_package_fkey
  FOREIGN KEY (repository_id, package_id) REFERENCES packages (repository_id, id) ON DELETE CASCADE;

-- 2. GIN indexes queue new entries in a pending list that every search reads
--    in full, and only VACUUM (which PGlite never runs by itself) or a list
--    past gin_pending_list_limit (4 MB by default) merges it. After a large
--    sync the trigram indexes held 11,499 pending pages and a name search took
--    219 ms. A 256 kB limit merges in small steps as rows come in, so a search
--    never reads more than that per index. Set per partition: a partitioned
--    index has no storage of its own.
DO $$
DECLARE
  idx regclass;
BEGIN
  FOR idx IN
    SELECT i.inhrelid::regclass FROM pg_inherits i
     WHERE i.inhparent IN ('package_revisions_name_trgm'::regclass, 'package_revisions_path_trgm'::regclass, 'resources_path_trgm'::regclass)
  LOOP
    EXECUTE format('ALTER INDEX %s SET (gin_pending_list_limit = 256)', idx);
  END LOOP;
END
$$;

-- 3. No planner statistics for columns no query filters or sorts on: file
--    contents (kilobytes per row) and the JSON documents. ANALYZE, which
--    Porchlight runs itself on PGlite (cache/pglite-upkeep.ts), then samples
--    only what plans use, and a whole-table ANALYZE stays cheap enough to run
--    between a window's reads. Recurses to every partition.
ALTER TABLE resources ALTER COLUMN content SET STATISTICS 0;
ALTER TABLE package_revisions
  ALTER COLUMN meta SET STATISTICS 0,
  ALTER COLUMN spec SET STATISTICS 0,
  ALTER COLUMN tasks SET STATISTICS 0,
  ALTER COLUMN upstream_lock SET STATISTICS 0,
  ALTER COLUMN kptfile SET STATISTICS 0;
