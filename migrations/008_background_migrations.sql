-- Background migrations (issue 7): a data change that touches many rows is
-- not done inside a numbered migration (one transaction holding every row,
-- and a user waiting at startup) but in batches by a job, the path GitLab
-- takes for large tables:
--   1. this migration adds the new layout and a trigger that writes it for
--      every new or changed row (both layouts from now on);
--   2. a job (src-main/db/background-migrations.ts) fills in the old rows in
--      small batches, one partition at a time, recording its cursor in the
--      same transaction as each batch, so it resumes after a kill and a batch
--      run twice changes nothing;
--   3. reads switch to the new layout once the job is 'finished';
--   4. what the new layout replaces is dropped by a later release.
CREATE TABLE background_migrations (
  name text PRIMARY KEY,
  description text NOT NULL,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'finished', 'failed')),
  -- Where the next batch starts: {"repositoryId": n, "id": n}.
  cursor jsonb,
  rows_done bigint NOT NULL DEFAULT 0,
  -- Estimated when the job first runs, for the progress shown.
  rows_total bigint,
  error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);

-- The first: each file's size, so the cache statistics can say how many bytes
-- of files a namespace keeps without reading every file (octet_length of a
-- large bytea reads its TOAST pointer; summed over 1.5 million rows it is a
-- scan of the whole table per look at the settings page).
ALTER TABLE resources ADD COLUMN size_bytes integer;

-- Porchlight's own writes give the size with the content. The triggers are
-- the net under every other writer: a row written without its size, or whose
-- content changed and size did not, gets it here. Their WHEN conditions are
-- checked without entering PL/pgSQL, which on PGlite cost 60 us a row: a sync
-- writing 60,000 files took twice as long with an unconditional trigger.
CREATE FUNCTION resources_size_bytes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.size_bytes := octet_length(NEW.content);
  RETURN NEW;
END
$$;
CREATE TRIGGER resources_size_bytes_insert BEFORE INSERT ON resources
  FOR EACH ROW WHEN (NEW.size_bytes IS NULL) EXECUTE FUNCTION resources_size_bytes();
CREATE TRIGGER resources_size_bytes_update BEFORE UPDATE OF content ON resources
  FOR EACH ROW WHEN (NEW.size_bytes IS NOT DISTINCT FROM OLD.size_bytes AND NEW.content IS DISTINCT FROM OLD.content)
  EXECUTE FUNCTION resources_size_bytes();

-- A database with no files yet (a new one) has nothing to fill in.
INSERT INTO background_migrations (name, description, status, rows_total, finished_at)
  SELECT 'resource_sizes', 'the size of every cached file, for the cache statistics', s.status, 0, CASE WHEN s.status = 'finished' THEN now() END
    FROM (SELECT CASE WHEN EXISTS (SELECT 1 FROM resources) THEN 'active' ELSE 'finished' END AS status) s;
