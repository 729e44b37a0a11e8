-- Catalogs (issue 6): an ordered list of repositories (blueprint sources), as
-- GitLab's virtual registries keep an ordered list of upstreams. Resolving a
-- package path returns it from the first member, in position order, that has
-- it live. Both tables are small; the resolve reads package_revisions one
-- member (one partition) at a time, through indexes 001 already has (see
-- migrations/README.md, "003: catalogs").

CREATE TABLE catalogs (
  id          bigint PRIMARY KEY DEFAULT nextval('porchlight_id_seq'),
  namespace   text NOT NULL,
  name        text NOT NULL,
  description text,
  status      row_status,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  updated_by  text NOT NULL
);
CREATE UNIQUE INDEX catalogs_live_name ON catalogs (namespace, name) WHERE status = 'default';

-- Members in priority order: position 0 is asked first. Unregistering a
-- repository hides it at once (reads join the live repository row) and the
-- cleanup worker's delete of the repository row removes the membership.
CREATE TABLE catalog_members (
  catalog_id    bigint NOT NULL REFERENCES catalogs (id) ON DELETE CASCADE,
  repository_id bigint NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
  position      integer NOT NULL CHECK (position >= 0),
  PRIMARY KEY (catalog_id, position),
  UNIQUE (catalog_id, repository_id)
);
-- The cascade from repositories looks members up by repository.
CREATE INDEX catalog_members_repository ON catalog_members (repository_id);

-- The resolve, the virtual registry's main read query: the members in
-- position order, one probe each, stopping at the first that has the package
-- live and Published (the latest, or revision p_revision). One row per member
-- asked, the answering one last with its revision; no rows when the catalog
-- does not exist or has no live member.
--
-- Each probe names one partition: `pr.repository_id = member.id` is a
-- parameter of the probe's cached plan, so the executor prunes the other
-- fifteen partitions at start-up ("Subplans Removed: 15"). The plans are
-- generic on purpose (SET plan_cache_mode): planned once per session, not per
-- call; a custom plan would cost more to plan than the probe costs to run.
-- package_revisions has no index on package_path; packages_live_path
-- (repository_id, package_path) gives the package id, then
-- package_revisions_live_workspace (repository_id, package_id, ...) the few
-- revisions of that package for `latest`, and package_revisions_live_revision
-- (repository_id, package_id, revision) WHERE status = 'default' AND
-- revision > 0 a numbered one (hence `revision > 0` written out: a generic
-- plan cannot prove it from `revision = p_revision`).
CREATE FUNCTION porchlight_catalog_resolve(p_namespace text, p_catalog text, p_path text, p_revision integer)
RETURNS TABLE (repository_id bigint, repository_name text, revision_id bigint, revision_name text, workspace text, revision integer)
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
DECLARE
  member record;
BEGIN
  FOR member IN
    SELECT r.id, r.name
      FROM catalogs c
      JOIN catalog_members m ON m.catalog_id = c.id
      JOIN repositories r ON r.id = m.repository_id AND r.status = 'default'
     WHERE c.namespace = p_namespace AND c.name = p_catalog AND c.status = 'default'
     ORDER BY m.position
  LOOP
    repository_id := member.id;
    repository_name := member.name;
    -- SELECT INTO sets the targets to NULL when no row is found.
    IF p_revision IS NULL THEN
      SELECT pr.id, pr.name, pr.workspace, pr.revision INTO revision_id, revision_name, workspace, revision
        FROM packages p
        JOIN package_revisions pr ON pr.package_id = p.id
       WHERE p.repository_id = member.id AND p.package_path = p_path AND p.status = 'default'
         AND pr.repository_id = member.id AND pr.status = 'default' AND pr.latest AND pr.lifecycle = 'Published'
       LIMIT 1;
    ELSE
      SELECT pr.id, pr.name, pr.workspace, pr.revision INTO revision_id, revision_name, workspace, revision
        FROM packages p
        JOIN package_revisions pr ON pr.package_id = p.id
       WHERE p.repository_id = member.id AND p.package_path = p_path AND p.status = 'default'
         AND pr.repository_id = member.id AND pr.status = 'default' AND pr.revision > 0 AND pr.revision = p_revision
         AND pr.lifecycle = 'Published'
       LIMIT 1;
    END IF;
    RETURN NEXT;
    EXIT WHEN revision_id IS NOT NULL;
  END LOOP;
END $$;
