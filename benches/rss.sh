#!/usr/bin/env bash
# Memory of the release server under load and after it (issue 13, item 12): RSS fresh, the peak
# during a ValidateRuc load plus a flood of 200 wrong-password logins from 10 addresses, and RSS
# once idle again (the server trims its heap every 10 s). On the embedded SQLite, or PostgreSQL
# with BENCH_DATABASE_URL (a server URL without a database: a fresh one is made).
#
#   cargo build --release --bin gpubroker && bash benches/rss.sh [sqlite|postgres]
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${CARGO_TARGET_DIR:-target}/release/gpubroker"
[ -x "$bin" ] || { echo "build the release binary first: cargo build --release --bin gpubroker" >&2; exit 1; }
kind="${1:-sqlite}"
work=$(mktemp -d)
port=18090
db=""
cleanup() {
  [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  [ -n "$db" ] && psql "${BENCH_DATABASE_URL}/postgres" -qc "drop database if exists \"$db\"" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
export GPUBROKER__DATABASE__DATA_DIR="$work/data" GPUBROKER__AUTH__TRUSTED_PROXIES=127.0.0.1
unset DATABASE_URL
if [ "$kind" = postgres ]; then
  : "${BENCH_DATABASE_URL:=postgres://postgres@127.0.0.1:5432}"
  db="gpubroker_rss_$$"
  psql "$BENCH_DATABASE_URL/postgres" -qc "create database \"$db\"" >/dev/null
  export DATABASE_URL="$BENCH_DATABASE_URL/$db"
fi
"$bin" serve --listen "127.0.0.1:$port" > "$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 200); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.05; done
rss() { awk -v f="$1" '$1 == f {print int($2 / 1024)}' "/proc/$pid/status"; }
sleep 3
fresh=$(rss VmRSS:)
BENCH_URL="http://127.0.0.1:$port" BENCH_SECONDS=5 cargo bench --quiet --bench validate_ruc >/dev/null 2>&1 &
load=$!
seq 1 200 | xargs -P 50 -I{} sh -c 'curl -s -o /dev/null -w "%{http_code}\n" \
  -H "content-type: application/json" -H "x-forwarded-for: 198.51.100.$(({} % 10))" \
  -d "{\"email\":\"u{}@example.ec\",\"password\":\"wrong password!!\"}" \
  http://127.0.0.1:'"$port"'/api/v2/admin/public/admin/login' > "$work/logins"
wait "$load"
peak=$(rss VmHWM:)
after=$(rss VmRSS:)
sleep 12
idle=$(rss VmRSS:)
printf '%s: fresh %s MB, peak under load %s MB, right after %s MB, idle 12 s later %s MB; logins: %s\n' \
  "$kind" "$fresh" "$peak" "$after" "$idle" "$(sort "$work/logins" | uniq -c | tr '\n' ' ')"
