-- Search as you type (issue 6): package names and paths, and the paths of
-- the files inside packages, with ILIKE '%text%' served by trigram indexes
-- instead of a scan of every live row. Partial like the other read indexes:
-- rows on their way out are never searched.
-- pg_trgm is a trusted extension (PostgreSQL 13+): a database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX package_revisions_name_trgm ON package_revisions USING gin (name gin_trgm_ops) WHERE status = 'default';
CREATE INDEX package_revisions_path_trgm ON package_revisions USING gin (package_path gin_trgm_ops) WHERE status = 'default';
CREATE INDEX resources_path_trgm ON resources USING gin (path gin_trgm_ops) WHERE status = 'default';
