#!/usr/bin/env bash
# Starts the local PostgreSQL 15 cluster for the database tests and prints the
# line that points them at it. Run as root, no stdin; idempotent. Everything
# but the final export line goes to stderr, so CI can `eval "$(.ci/pg-setup.sh)"`.
set -euo pipefail

VERSION=15
CLUSTER=main
PORT=5432
ROLE=porchlight
PASSWORD=porchlight
URL="postgres://${ROLE}:${PASSWORD}@127.0.0.1:${PORT}/postgres"

log() { echo "pg-setup: $*" >&2; }
as_postgres() { runuser -u postgres -- "$@"; }

if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -qx "${VERSION} ${CLUSTER}"; then
  log "creating cluster ${VERSION}/${CLUSTER}"
  pg_createcluster "${VERSION}" "${CLUSTER}" --port "${PORT}" >&2
fi

if pg_ctlcluster "${VERSION}" "${CLUSTER}" status >/dev/null 2>&1; then
  log "cluster ${VERSION}/${CLUSTER} already running"
else
  log "starting cluster ${VERSION}/${CLUSTER}"
  pg_ctlcluster "${VERSION}" "${CLUSTER}" start >&2
fi

# The socket can exist before the server accepts TCP logins; wait for TCP.
for _ in $(seq 1 60); do
  if pg_isready -q -h 127.0.0.1 -p "${PORT}"; then break; fi
  sleep 0.5
done
pg_isready -h 127.0.0.1 -p "${PORT}" >&2 || { log "server did not become ready"; exit 1; }

if [ "$(as_postgres psql -p "${PORT}" -tAc "SELECT 1 FROM pg_roles WHERE rolname = '${ROLE}'")" != "1" ]; then
  log "creating role ${ROLE}"
  as_postgres psql -p "${PORT}" -v ON_ERROR_STOP=1 -c "CREATE ROLE ${ROLE} LOGIN SUPERUSER PASSWORD '${PASSWORD}'" >&2
fi

# Prove the URL works (password auth over TCP) before handing it out.
PGPASSWORD="${PASSWORD}" psql -h 127.0.0.1 -p "${PORT}" -U "${ROLE}" -d postgres -tAc 'SELECT 1' >/dev/null

echo "export PORCHLIGHT_TEST_PG_URL=${URL}"
