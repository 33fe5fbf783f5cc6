#!/usr/bin/env bash
# benches/llm_proxy with LiteLLM's proxy (PyPI litellm[proxy], the version Agent Zero pins) beside
# ours, on the same upstream emulator and machine, in one interleaved run.
#
# LiteLLM keeps its virtual keys and budgets in PostgreSQL through Prisma, whose engines are
# downloaded on first use; this machine reaches only the package registries, so LiteLLM runs
# without a database: a master key, no per-key budget (it then does less work per call than ours).
#
# Environment: as benches/llm_proxy.rs (BENCH_SECONDS, BENCH_CONCURRENCY, BENCH_PODS, BENCH_ROUNDS,
# BENCH_DATABASE_URL), LITELLM_WORKERS (2: one process per core, as our server has two worker threads).
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE="$HOME/.cache/gpubroker"
venv="$CACHE/litellm-venv"
if [ ! -x "$venv/bin/litellm" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check 'litellm[proxy]==1.79.3'
fi
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
upstream_port=$(free_port)
litellm_port=$(free_port)
work=$(mktemp -d)
cat > "$work/litellm.yaml" <<EOF
model_list:
  - model_name: small-v1
    litellm_params:
      model: openai/small-v1
      api_base: http://127.0.0.1:$upstream_port/v1
      api_key: sk-emulator-secret-key-0123456789
general_settings:
  master_key: sk-bench
litellm_settings:
  drop_params: true
EOF
LITELLM_LOCAL_MODEL_COST_MAP=True "$venv/bin/litellm" --config "$work/litellm.yaml" \
  --host 127.0.0.1 --port "$litellm_port" --num_workers "${LITELLM_WORKERS:-2}" > "$work/litellm.log" 2>&1 &
litellm_pid=$!
trap 'kill $litellm_pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 300); do
  curl -fs "http://127.0.0.1:$litellm_port/health/liveliness" >/dev/null 2>&1 && break
  kill -0 "$litellm_pid" 2>/dev/null || { cat "$work/litellm.log" >&2; exit 1; }
  sleep 0.2
done
echo "LiteLLM $("$venv/bin/pip" show litellm 2>/dev/null | sed -n 's/^Version: //p') on port $litellm_port (pid $litellm_pid)"
LITELLM_URL="http://127.0.0.1:$litellm_port" LITELLM_KEY=sk-bench LITELLM_PID=$litellm_pid \
  BENCH_UPSTREAM_PORT=$upstream_port cargo bench --bench llm_proxy
