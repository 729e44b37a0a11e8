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
  PRIMARY KEY (repository_id, id),
  FOREIGN KEY (repository_id, package_revision_id)
    REFERENCES package_revisions (repository_id, id) ON DELETE CASCADE
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
-- revision proposed for deletion stays latest until it is gone, as in Porch). One
-- indexed look-up per affected package (package_revisions_package), so a bulk
-- sync of N revisions stays linear in N.
CREATE FUNCTION porchlight_refresh_latest(p_repository bigint, p_package bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  best bigint;
BEGIN
  SELECT id INTO best FROM package_revisions
   WHERE repository_id = p_repository AND package_id = p_package
     AND status = 'default' AND lifecycle IN ('Published', 'DeletionProposed') AND revision > 0
   ORDER BY revision DESC LIMIT 1;
  UPDATE package_revisions SET latest = (id = best) IS TRUE
   WHERE repository_id = p_repository AND package_id = p_package
     AND latest IS DISTINCT FROM ((id = best) IS TRUE);
END $$;

CREATE FUNCTION porchlight_latest_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.latest THEN
      PERFORM porchlight_refresh_latest(OLD.repository_id, OLD.package_id);
    END IF;
    RETURN OLD;
  END IF;
  IF TG_OP = 'INSERT' AND (NEW.revision <= 0 OR NEW.lifecycle NOT IN ('Published', 'DeletionProposed')) AND NOT NEW.latest THEN
    RETURN NEW;  -- drafts, proposals and placeholders never change which revision is latest
  END IF;
  PERFORM porchlight_refresh_latest(NEW.repository_id, NEW.package_id);
  RETURN NEW;
END $$;

CREATE TRIGGER package_revisions_latest_ins
  AFTER INSERT ON package_revisions
  FOR EACH ROW EXECUTE FUNCTION porchlight_latest_trigger();
CREATE TRIGGER package_revisions_latest_upd
  AFTER UPDATE OF lifecycle, revision, status ON package_revisions
  FOR EACH ROW EXECUTE FUNCTION porchlight_latest_trigger();
CREATE TRIGGER package_revisions_latest_del
  AFTER DELETE ON package_revisions
  FOR EACH ROW EXECUTE FUNCTION porchlight_latest_trigger();
