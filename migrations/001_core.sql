-- Porch's four tables (repositories -> packages -> package_revisions -> resources)
-- as the Porch DB-cache design stores them, with GitLab's partitioning refinement
-- on the two large ones. Why the key and the count: migrations/README.md.

-- One sequence for every id: ids are unique across partitions and tables, which
-- keyset pagination and batch cleanup rely on.
CREATE SEQUENCE porchlight_id_seq;

-- Row status, shared by every table: destroying is a status update, a cleanup
-- worker deletes later in batches. Reads see only 'default'.
CREATE DOMAIN row_status AS text NOT NULL DEFAULT 'default'
  CHECK (VALUE IN ('default', 'processing', 'pending_destruction', 'error'));

CREATE DOMAIN lifecycle AS text NOT NULL
  CHECK (VALUE IN ('Draft', 'Proposed', 'Published', 'DeletionProposed'));

CREATE TABLE repositories (
  id              bigint PRIMARY KEY DEFAULT nextval('porchlight_id_seq'),
  namespace       text NOT NULL,
  name            text NOT NULL,
  meta            jsonb NOT NULL DEFAULT '{}',  -- labels, annotations, uid
  spec            jsonb NOT NULL,               -- Repository spec in Porch's API shape
  deployment      boolean NOT NULL DEFAULT false,
  sync_interval_s integer NOT NULL DEFAULT 600 CHECK (sync_interval_s >= 0),
  remote_version  text,                         -- hash of all remote refs at the last good sync
  conditions      jsonb NOT NULL DEFAULT '[]',   -- status.conditions (Ready)
  sync_stats      jsonb,                        -- the last sync's cached-only/both/external-only counts
  last_sync_at    timestamptz,
  -- A lease rather than a session lock: it works the same on PGlite and on a
  -- PostgreSQL shared by several laptops, and a crashed holder's lease expires.
  sync_owner      text,
  sync_until      timestamptz,
  status          row_status,
  status_reason   text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  updated_by      text NOT NULL
);
CREATE UNIQUE INDEX repositories_live_name ON repositories (namespace, name) WHERE status = 'default';
CREATE INDEX repositories_status ON repositories (status) WHERE status <> 'default';

CREATE TABLE packages (
  id            bigint PRIMARY KEY DEFAULT nextval('porchlight_id_seq'),
  repository_id bigint NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
  namespace     text NOT NULL,
  name          text NOT NULL,                  -- <repo>.<dotted path>
  package_path  text NOT NULL,                  -- relative to the registered directory
  meta          jsonb NOT NULL DEFAULT '{}',
  spec          jsonb NOT NULL DEFAULT '{}',
  status        row_status,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  updated_by    text NOT NULL
);
CREATE UNIQUE INDEX packages_live_path ON packages (repository_id, package_path) WHERE status = 'default';
CREATE INDEX packages_repository ON packages (repository_id);

CREATE TABLE package_revisions (
  repository_id    bigint NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
  id               bigint NOT NULL DEFAULT nextval('porchlight_id_seq'),
  package_id       bigint NOT NULL REFERENCES packages (id) ON DELETE CASCADE,
  namespace        text NOT NULL,
  name             text NOT NULL,               -- <repo>.<dotted path>.<workspace>
  package_path     text NOT NULL,
  workspace        text NOT NULL,
  revision         integer NOT NULL,            -- -1 placeholder, 0 draft/proposed, N published
  lifecycle        lifecycle,
  latest           boolean NOT NULL DEFAULT false,
  meta             jsonb NOT NULL DEFAULT '{}',
  spec             jsonb NOT NULL DEFAULT '{}', -- readinessGates and other spec fields
  tasks            jsonb NOT NULL DEFAULT '[]',
  upstream_lock    jsonb,
  kptfile          jsonb,                       -- the parsed Kptfile: readiness gates, status conditions
  git_ref          text,                        -- refs/tags/<path>/v<N>, refs/heads/<branch>, ...
  git_commit       text,
  tree_id          text,                        -- Git tree of the package: unchanged tree, nothing to read
  published_by     text,
  published_at     timestamptz,
  resource_version bigint NOT NULL DEFAULT 1,
  status           row_status,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  updated_by       text NOT NULL,
  PRIMARY KEY (repository_id, id),
  -- Porch's revision rules: drafts and proposals have revision 0; published
  -- revisions are numbered from 1, the placeholder (branch) revision is -1.
  CONSTRAINT revision_matches_lifecycle CHECK (
    (lifecycle IN ('Draft', 'Proposed') AND revision = 0)
    OR (lifecycle IN ('Published', 'DeletionProposed') AND (revision = -1 OR revision >= 1))
  ),
  CONSTRAINT placeholder_is_published CHECK (revision <> -1 OR lifecycle = 'Published' OR lifecycle = 'DeletionProposed')
) PARTITION BY HASH (repository_id);

-- Live rows only: a repository being destroyed may be registered again at once.
CREATE UNIQUE INDEX package_revisions_live_name
  ON package_revisions (repository_id, name) WHERE status = 'default';
CREATE UNIQUE INDEX package_revisions_live_workspace
  ON package_revisions (repository_id, package_id, workspace) WHERE status = 'default';
CREATE UNIQUE INDEX package_revisions_live_revision
  ON package_revisions (repository_id, package_id, revision) WHERE status = 'default' AND revision > 0;
-- Every row, whatever its status: the foreign key from packages cascades through it.
CREATE INDEX package_revisions_package ON package_revisions (repository_id, package_id);
CREATE INDEX package_revisions_status ON package_revisions (repository_id, status) WHERE status <> 'default';

CREATE TABLE resources (
  repository_id       bigint NOT NULL,
  id                  bigint NOT NULL DEFAULT nextval('porchlight_id_seq'),
  package_revision_id bigint NOT NULL,
  path                text NOT NULL,            -- relative to the package, '/'-separated
  content             bytea NOT NULL,           -- byte-exact, whatever the encoding
  status              row_status,
  created_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (repository_id, id)
  -- The reference to package_revisions (repository_id, id), with cascade, is
  -- enforced per statement by the triggers at the end of this file, not by a
  -- declared FOREIGN KEY: a declared one checks every inserted row against a
  -- partitioned table, which cost PGlite 3.7 s of a 5 s bulk insert.
) PARTITION BY HASH (repository_id);
CREATE UNIQUE INDEX resources_live_path
  ON resources (repository_id, package_revision_id, path) WHERE status = 'default';
CREATE INDEX resources_revision ON resources (repository_id, package_revision_id);

DO $$
BEGIN
  FOR r IN 0..15 LOOP
    EXECUTE format('CREATE TABLE package_revisions_p%s PARTITION OF package_revisions FOR VALUES WITH (MODULUS 16, REMAINDER %s)', r, r);
    EXECUTE format('CREATE TABLE resources_p%s PARTITION OF resources FOR VALUES WITH (MODULUS 16, REMAINDER %s)', r, r);
  END LOOP;
END $$;

-- Porch's lifecycle moves. Anything else is refused by the database itself, so
-- no code path (CLI, UI, sync, a second laptop) can put a revision in a state Porch
-- would not.
CREATE FUNCTION porchlight_check_lifecycle() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.lifecycle = OLD.lifecycle THEN
    IF NEW.revision <> OLD.revision AND OLD.revision <> -1 THEN
      RAISE EXCEPTION 'revision of % cannot change from % to %', OLD.name, OLD.revision, NEW.revision
        USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
  END IF;
  IF (OLD.lifecycle, NEW.lifecycle) IN (
       ('Draft', 'Proposed'), ('Proposed', 'Draft'), ('Proposed', 'Published'),
       ('Published', 'DeletionProposed'), ('DeletionProposed', 'Published')) THEN
    IF OLD.lifecycle IN ('Published', 'DeletionProposed') AND NEW.revision <> OLD.revision THEN
      RAISE EXCEPTION 'revision of % cannot change while it moves from % to %', OLD.name, OLD.lifecycle, NEW.lifecycle
        USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'package revision % cannot move from % to %', OLD.name, OLD.lifecycle, NEW.lifecycle
    USING ERRCODE = 'check_violation';
END $$;

CREATE TRIGGER package_revisions_lifecycle
  BEFORE UPDATE OF lifecycle, revision ON package_revisions
  FOR EACH ROW EXECUTE FUNCTION porchlight_check_lifecycle();

-- The latest flag: the live published revision with the highest number (a
-- revision proposed for deletion stays latest until it is gone, as in Porch).
-- Maintained per statement, set-based: the packages a statement touched are
-- refreshed in one UPDATE that reaches each package's rows through
-- package_revisions_package, so a bulk sync of N revisions stays linear in N.
-- Written per repository with arrays, so every statement the planner sees names
-- one partition and probes it through an index: a set-based join against the
-- partitioned parent was planned as a scan of whole partitions, and a bulk sync
-- turned quadratic.
CREATE FUNCTION porchlight_refresh_latest(p_repositories bigint[], p_packages bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  repo bigint;
BEGIN
  FOR repo IN SELECT DISTINCT r FROM unnest(p_repositories) AS r LOOP
    UPDATE package_revisions p SET latest = (p.id = b.best) IS TRUE
      FROM (
        SELECT t.package_id,
               (SELECT x.id FROM package_revisions x
                 WHERE x.repository_id = repo AND x.package_id = t.package_id AND x.status = 'default'
                   AND x.lifecycle IN ('Published', 'DeletionProposed') AND x.revision > 0
                 ORDER BY x.revision DESC LIMIT 1) AS best
          FROM (SELECT DISTINCT pk AS package_id FROM unnest(p_repositories, p_packages) AS u(rp, pk) WHERE rp = repo) t
      ) b
     WHERE p.repository_id = repo AND p.package_id = b.package_id
       AND p.latest IS DISTINCT FROM ((p.id = b.best) IS TRUE);
  END LOOP;
END $$;

CREATE FUNCTION porchlight_latest_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Drafts, proposals and placeholders never change which revision is latest.
  PERFORM porchlight_refresh_latest(array_agg(repository_id), array_agg(package_id))
     FROM new_rows WHERE (revision > 0 AND lifecycle IN ('Published', 'DeletionProposed')) OR latest
    HAVING count(*) > 0;
  RETURN NULL;
END $$;

CREATE FUNCTION porchlight_latest_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Only moves that can change the answer: lifecycle, revision or status.
  PERFORM porchlight_refresh_latest(array_agg(n.repository_id), array_agg(n.package_id))
     FROM new_rows n JOIN old_rows o ON o.repository_id = n.repository_id AND o.id = n.id
    WHERE (o.lifecycle, o.revision, o.status) IS DISTINCT FROM (n.lifecycle, n.revision, n.status)
    HAVING count(*) > 0;
  RETURN NULL;
END $$;

CREATE FUNCTION porchlight_after_revision_delete() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  repo bigint;
  ids bigint[];
BEGIN
  -- The cascade to resources (see the resources table), one partition at a time.
  FOR repo, ids IN SELECT repository_id, array_agg(id) FROM old_rows GROUP BY repository_id LOOP
    DELETE FROM resources WHERE repository_id = repo AND package_revision_id = ANY(ids);
  END LOOP;
  PERFORM porchlight_refresh_latest(array_agg(repository_id), array_agg(package_id))
     FROM old_rows WHERE latest HAVING count(*) > 0;
  RETURN NULL;
END $$;

CREATE TRIGGER package_revisions_latest_ins
  AFTER INSERT ON package_revisions REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION porchlight_latest_after_insert();
CREATE TRIGGER package_revisions_latest_upd
  AFTER UPDATE ON package_revisions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION porchlight_latest_after_update();
CREATE TRIGGER package_revisions_after_del
  AFTER DELETE ON package_revisions REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION porchlight_after_revision_delete();

-- A revision's identity never changes, so the reference from resources cannot dangle.
CREATE FUNCTION porchlight_refuse_key_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% (repository_id, %) cannot change', TG_TABLE_NAME, TG_ARGV[0] USING ERRCODE = 'foreign_key_violation';
END $$;
CREATE TRIGGER package_revisions_key_fixed
  BEFORE UPDATE OF repository_id, id ON package_revisions
  FOR EACH ROW WHEN (OLD.repository_id <> NEW.repository_id OR OLD.id <> NEW.id)
  EXECUTE FUNCTION porchlight_refuse_key_change('id');
CREATE TRIGGER resources_key_fixed
  BEFORE UPDATE OF repository_id, package_revision_id ON resources
  FOR EACH ROW WHEN (OLD.repository_id <> NEW.repository_id OR OLD.package_revision_id <> NEW.package_revision_id)
  EXECUTE FUNCTION porchlight_refuse_key_change('package_revision_id');

-- Every inserted resource must belong to a revision: one anti-join per
-- statement through the primary key of package_revisions.
CREATE FUNCTION porchlight_resources_reference() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  repo bigint;
  ids bigint[];
  found_count bigint;
BEGIN
  FOR repo, ids IN SELECT repository_id, array_agg(DISTINCT package_revision_id) FROM new_rows GROUP BY repository_id LOOP
    SELECT count(*) INTO found_count FROM package_revisions WHERE repository_id = repo AND id = ANY(ids);
    IF found_count < cardinality(ids) THEN
      RAISE EXCEPTION 'insert on resources violates the reference to package_revisions: a revision of repository % does not exist', repo
        USING ERRCODE = 'foreign_key_violation';
    END IF;
  END LOOP;
  RETURN NULL;
END $$;
CREATE TRIGGER resources_reference
  AFTER INSERT ON resources REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION porchlight_resources_reference();
