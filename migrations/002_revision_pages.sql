-- Keyset pages of package revisions by name within a namespace (the window's
-- list, `rpkg get` across repositories): each partition walks its slice of
-- this index in name order and a merge keeps the first page cheap, never
-- an OFFSET over everything before it.
CREATE INDEX package_revisions_page ON package_revisions (namespace, name) WHERE status = 'default';
