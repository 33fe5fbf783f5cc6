#!/usr/bin/env bash
# Issue 18's figures in one run: PostgreSQL's own two-insert commit rate (pgbench, the baseline the
# write paths are compared with), then ValidateRuc (gRPC, REST), trial CreateSubscription and one
# hot budget's Reserve+Commit — each bench on a fresh database, one after another.
#
# Environment: BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432), BENCH_SECONDS (10),
# BENCH_CONCURRENCY (64); PGBENCH_CLIENTS (32) for the baseline.
set -euo pipefail
cd "$(dirname "$0")/.."
base="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432}"
seconds="${BENCH_SECONDS:-10}"
db="gpubroker_pgbench_$$"
work=$(mktemp -d)
trap 'psql -q "$base/postgres" -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1; rm -rf "$work"' EXIT
command -v pgbench >/dev/null || { echo "pgbench is missing (Debian: postgresql-client)" >&2; exit 1; }

psql -q "$base/postgres" -c "CREATE DATABASE $db"
psql -q "$base/$db" -c "CREATE TABLE a (id bigserial PRIMARY KEY, v text NOT NULL, at timestamptz NOT NULL DEFAULT now());
                        CREATE TABLE b (id bigserial PRIMARY KEY, v text NOT NULL, at timestamptz NOT NULL DEFAULT now());"
cat > "$work/two_inserts.sql" <<'SQL'
BEGIN;
INSERT INTO a (v) VALUES ('x');
INSERT INTO b (v) VALUES ('y');
COMMIT;
SQL
echo "== PostgreSQL baseline: pgbench -c ${PGBENCH_CLIENTS:-32} -j 2 -T $seconds, BEGIN; INSERT; INSERT; COMMIT"
pgbench -n -c "${PGBENCH_CLIENTS:-32}" -j 2 -T "$seconds" -f "$work/two_inserts.sql" "$base/$db" \
  | grep -E '^(tps|latency|number of transactions actually)'

cargo bench --locked --bench validate_ruc --bench create_subscription --bench reserve_commit --no-run 2>/dev/null
for bench in validate_ruc create_subscription reserve_commit; do
  echo "== $bench"
  cargo bench --locked --bench "$bench" 2>/dev/null
done
