#!/usr/bin/env bash
# Builds the image and runs it the way an operator would, on a machine with no Docker daemon and
# no image registry (like the project's own): rootful podman from Debian, a stand-in base image
# made with debootstrap when node:20-bookworm-slim cannot be pulled, and the container started
# read-only as the image's non-root user. Probes /up, /ready and the UI on 127.0.0.1, then stops it
# with SIGTERM.
#
# With --scaled it also runs the topology of deploy/compose.yaml on this machine: a private Redis,
# a fresh database on the PostgreSQL at $VLB_TRY_POSTGRES_URL, the one-shot migration container,
# two instances, Caddy with deploy/Caddyfile in front and Prometheus scraping both; it restarts
# each instance in turn under a bounded request loop and evaluates every query of the Grafana
# dashboard against that Prometheus.
#
#   deploy/try-image.sh [--scaled] [--keep]        (as root; Debian bookworm)
#
# Everything lives under $VLB_TRY_DIR (default /tmp/voice-lb-try): podman storage of its own (the
# machine's is untouched), the base filesystem, logs. It is removed at the end unless --keep.
# Every listener is on 127.0.0.1; every wait is bounded.
set -euo pipefail

SCALED=false KEEP=false
for arg in "$@"; do
  case $arg in
    --scaled) SCALED=true ;;
    --keep) KEEP=true ;;
    -h | --help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $arg (try --help)" >&2; exit 2 ;;
  esac
done

REPO=$(cd "$(dirname "$0")/.." && pwd)
WORK=${VLB_TRY_DIR:-/tmp/voice-lb-try}
BASE=localhost/node:20-bookworm-slim
IMAGE=localhost/voice-lb:try
PORT=${VLB_TRY_PORT:-18080}
PG_URL=${VLB_TRY_POSTGRES_URL:-postgres://vlb_test:vlb_test@127.0.0.1:5432/postgres}
RESULTS=()
FAILED=0

log() { printf '\n==> %s\n' "$*"; }
result() { # ok|FAIL, what
  RESULTS+=("$1  $2")
  [ "$1" = ok ] || FAILED=$((FAILED + 1))
  printf '    %s  %s\n' "$1" "$2"
}
check() { # what, command...
  local what=$1; shift
  if "$@" >/dev/null 2>&1; then result ok "$what"; else result FAIL "$what"; fi
}
wait_until() { # seconds, command...
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.5
  done
}
status_of() { curl -s -o /dev/null -m 5 -w '%{http_code}' "$@" || true; }

[ "$(id -u)" = 0 ] || { echo "run as root: rootful podman is the one that works without a daemon here" >&2; exit 1; }
mkdir -p "$WORK"

# --- podman, configured for a container-in-a-VM ------------------------------------------------
need=()
command -v podman >/dev/null || need+=(podman)
command -v runc >/dev/null || need+=(runc)
command -v debootstrap >/dev/null || need+=(debootstrap)
if $SCALED; then
  command -v caddy >/dev/null || need+=(caddy)
  command -v redis-server >/dev/null || need+=(redis-server)
  command -v psql >/dev/null || need+=(postgresql-client)
fi
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

# crun refuses hybrid cgroups ("cgroups in hybrid mode not supported"), and podman's default
# rlimits (nproc 1048576) exceed what an unprivileged-for-rlimits root may set here, so: runc,
# cgroupfs, and limits at or below this shell's.
nofile=$(ulimit -Hn); nproc=$(ulimit -Hu)
[ "$nofile" = unlimited ] && nofile=1048576
{ [ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ]; } && nproc=32768
cat >"$WORK/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
cat >"$WORK/storage.conf" <<EOF
[storage]
driver = "overlay"
graphroot = "$WORK/storage"
runroot = "$WORK/run"
EOF
export CONTAINERS_CONF=$WORK/containers.conf CONTAINERS_STORAGE_CONF=$WORK/storage.conf

# podman schedules HEALTHCHECK runs with systemd timers and complains on stderr that there is no
# systemd here; that goes to podman.log, and the check itself is run once by hand (podman healthcheck run).
PODMAN_LOG=$WORK/podman.log

CONTAINERS=() PIDS=() DATABASE=""
cleanup() {
  set +e
  for c in "${CONTAINERS[@]}"; do podman rm -f -t 2 "$c" >/dev/null 2>&1; done
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  [ -n "$DATABASE" ] && psql "$PG_URL" -qc "DROP DATABASE IF EXISTS $DATABASE WITH (FORCE)" >/dev/null 2>&1
  if ! $KEEP; then
    podman rmi -a -f >/dev/null 2>&1
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT

# --- base image --------------------------------------------------------------------------------
if ! podman image exists "$BASE"; then
  if timeout 60 podman pull -q docker.io/library/node:20-bookworm-slim >/dev/null 2>&1; then
    podman tag docker.io/library/node:20-bookworm-slim "$BASE"
    log "base image: node:20-bookworm-slim pulled"
  else
    # No registry: the same thing by hand. Debian bookworm (minbase) plus this machine's Node 20,
    # npm and Node headers (node-gyp cannot download them here; better-sqlite3 compiles against them).
    node_bin=$(command -v node)
    [ "$(node -p 'process.versions.node.split(".")[0]')" = 20 ] || { echo "the stand-in base needs Node 20 on this machine" >&2; exit 1; }
    node_prefix=$(dirname "$(dirname "$(readlink -f "$node_bin")")")
    npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
    rootfs=$WORK/rootfs
    log "base image: registry unreachable; debootstrap bookworm + Node $(node -v) from this machine"
    [ -x "$rootfs/bin/sh" ] || timeout 900 debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >"$WORK/debootstrap.log"
    mkdir -p "$rootfs/usr/local/bin" "$rootfs/usr/local/lib/node_modules" "$rootfs/usr/local/include" "$rootfs/usr/local/etc"
    cp "$node_bin" "$rootfs/usr/local/bin/node"
    cp -a "$npm_dir" "$rootfs/usr/local/lib/node_modules/npm"
    ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
    ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
    cp -a "$node_prefix/include/node" "$rootfs/usr/local/include/"
    # This machine reaches the npm registry through a TLS-inspecting gateway: its CA bundle goes along.
    [ -f /etc/ssl/certs/ca-certificates.crt ] && install -D -m 644 /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
    printf 'cafile=/etc/ssl/certs/ca-certificates.crt\nnodedir=/usr/local\nupdate-notifier=false\n' >"$rootfs/usr/local/etc/npmrc"
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" -c . | podman import -q --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' --change 'CMD ["node"]' - "$BASE" >/dev/null
    rm -rf "$rootfs"
  fi
fi

# --- image -------------------------------------------------------------------------------------
log "podman build (log: $WORK/build.log)"
started=$SECONDS
if timeout 2400 podman build --format docker --pull=never --build-arg NODE_IMAGE="$BASE" -t "$IMAGE" -f "$REPO/Dockerfile" "$REPO" >"$WORK/build.log" 2>&1; then
  result ok "image built in $((SECONDS - started)) s, $(podman image inspect "$IMAGE" --format '{{.Size}}' | awk '{printf "%.0f MB", $1/1e6}')"
else
  tail -30 "$WORK/build.log"; result FAIL "image build"; exit 1
fi
check "runtime image has no compiler" bash -c "! podman run --rm --entrypoint sh $IMAGE -c 'command -v g++ || command -v make || command -v python3'"

# --- one container, embedded SQLite: read-only, non-root ----------------------------------------
log "run read-only as the image's user, SQLite in the /data volume"
mkdir -p "$WORK/data" && chown 10001:10001 "$WORK/data"
CONTAINERS+=(vlb-try)
podman run -d --name vlb-try --read-only --tmpfs /tmp -v "$WORK/data:/data" -p "127.0.0.1:$PORT:3000" "$IMAGE" >/dev/null 2>>"$PODMAN_LOG"
if wait_until 60 curl -sf -m 2 "http://127.0.0.1:$PORT/up"; then result ok "started"; else podman logs vlb-try | tail -20; result FAIL "started"; exit 1; fi
check "runs as uid 10001, not root" test "$(podman exec vlb-try id -u)" = 10001
check "GET /up 200" test "$(status_of "http://127.0.0.1:$PORT/up")" = 200
check "GET /ready 200" test "$(status_of "http://127.0.0.1:$PORT/ready")" = 200
check "GET / serves the UI" bash -c "curl -sf -m 5 http://127.0.0.1:$PORT/ | grep -q '<div id=\"root\"'"
check "GET /metrics is not served without METRICS_TOKEN (404)" test "$(status_of "http://127.0.0.1:$PORT/metrics")" = 404
check "the image's files are read-only" bash -c "! podman exec vlb-try sh -c 'touch /app/x' "
check "app.key and the database are in the volume, key mode 600" bash -c "[ \"\$(stat -c '%a %u' $WORK/data/app.key)\" = '600 10001' ] && ls $WORK/data/voice-lb.sqlite"
check "HEALTHCHECK passes" podman healthcheck run vlb-try
# The backup docs/operations.md gives for SQLite: the online backup API, while the service runs.
sqlite_backup() {
  podman exec vlb-try node -e "require('better-sqlite3')('/data/voice-lb.sqlite', { readonly: true }).backup('/data/backup.sqlite').then(() => console.log('ok'))" &&
  podman exec vlb-try node -e "const db = require('better-sqlite3')('/data/backup.sqlite', { readonly: true }); process.exit(db.prepare('select count(*) as n from kysely_migration').get().n > 0 ? 0 : 1)"
}
check "online SQLite backup of the running service is readable" sqlite_backup
started=$SECONDS
podman stop -t 30 vlb-try >/dev/null 2>>"$PODMAN_LOG"
check "SIGTERM: exit code 0 within $((SECONDS - started)) s" test "$(podman inspect vlb-try --format '{{.State.ExitCode}}')" = 0
podman logs vlb-try >"$WORK/embedded.log" 2>&1

if $SCALED; then
  # --- the compose topology, on this machine's network -----------------------------------------
  log "scaled: PostgreSQL + private Redis, migrate, two instances, Caddy, Prometheus"
  DATABASE=vlb_try_$RANDOM$RANDOM
  psql "$PG_URL" -qc "CREATE DATABASE $DATABASE" >/dev/null
  db_url=$(sed -E "s#/[^/]*\$#/$DATABASE#" <<<"$PG_URL")
  redis_port=$((PORT + 79))
  redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >"$WORK/redis.log" 2>&1 &
  PIDS+=($!)
  wait_until 10 redis-cli -p "$redis_port" ping
  token=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
  env_file=$WORK/app.env
  cat >"$env_file" <<EOF
DATABASE_URL=$db_url
REDIS_URL=redis://127.0.0.1:$redis_port/0
APP_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
TRUST_PROXY=true
HOST=127.0.0.1
METRICS_TOKEN=$token
EOF
  chmod 600 "$env_file"
  run_app() { # name, port, metrics port
    CONTAINERS+=("$1")
    podman run -d --name "$1" --network host --read-only --tmpfs /tmp --tmpfs /data --env-file "$env_file" \
      -e PORT="$2" -e METRICS_LISTEN="127.0.0.1:$3" "$IMAGE" >/dev/null 2>>"$PODMAN_LOG"
  }
  CONTAINERS+=(vlb-migrate)
  if podman run --name vlb-migrate --network host --read-only --tmpfs /tmp --tmpfs /data --env-file "$env_file" "$IMAGE" node dist/cli/main.js migrate >"$WORK/migrate.log" 2>&1; then
    result ok "migrate step: $(grep -E '^(applied|database)' "$WORK/migrate.log" | cut -c1-60)…"
  else
    cat "$WORK/migrate.log"; result FAIL "migrate step"; exit 1
  fi
  run_app vlb-app1 $((PORT + 1)) $((PORT + 1001))
  run_app vlb-app2 $((PORT + 2)) $((PORT + 1002))
  for p in $((PORT + 1)) $((PORT + 2)); do wait_until 60 curl -sf -m 2 "http://127.0.0.1:$p/ready" || { result FAIL "instance on $p ready"; exit 1; }; done
  result ok "two instances ready"

  # deploy/Caddyfile itself, with the upstreams and the site on this machine's loopback.
  sed -e "s#reverse_proxy app1:3000 app2:3000#reverse_proxy 127.0.0.1:$((PORT + 1)) 127.0.0.1:$((PORT + 2))#" \
      -e "s#^{\$SITE_ADDRESS::80} {#http://127.0.0.1:$PORT {\n\tbind 127.0.0.1#" "$REPO/deploy/Caddyfile" >"$WORK/Caddyfile"
  grep -q "127.0.0.1:$((PORT + 2))" "$WORK/Caddyfile" || { result FAIL "Caddyfile rewrite"; exit 1; }
  caddy run --config "$WORK/Caddyfile" --adapter caddyfile >"$WORK/caddy.log" 2>&1 &
  PIDS+=($!)
  proxy=http://127.0.0.1:$PORT
  wait_until 20 curl -sf -m 2 "$proxy/ready" && result ok "Caddy up" || { tail "$WORK/caddy.log"; result FAIL "Caddy up"; exit 1; }
  check "through the proxy: GET / serves the UI" bash -c "curl -sf -m 5 $proxy/ | grep -q '<div id=\"root\"'"
  check "through the proxy: /metrics is 404" test "$(status_of "$proxy/metrics")" = 404
  requests_on() { curl -sf -m 5 -H "Authorization: Bearer $token" "http://127.0.0.1:$1/metrics" | awk '/^http_requests_total\{.*route="\/api\/auth\/signup-policy"/ {s += $2} END {print s + 0}'; }
  for _ in $(seq 40); do curl -sf -m 5 -o /dev/null "$proxy/api/auth/signup-policy"; done
  a=$(requests_on $((PORT + 1001))) b=$(requests_on $((PORT + 1002)))
  check "round robin: 40 requests → $a and $b per instance (token-protected METRICS_LISTEN)" test $((a + b)) -eq 40 -a "$a" -ge 15 -a "$b" -ge 15

  # Rolling restart under a bounded loop of requests through the proxy: nothing may fail.
  loop_log=$WORK/loop.log
  (end=$((SECONDS + 40)); while [ $SECONDS -lt $end ]; do status_of "$proxy/api/auth/signup-policy"; echo; sleep 0.05; done) >"$loop_log" &
  loop=$!
  PIDS+=($loop)
  sleep 3
  for app in vlb-app1 vlb-app2; do
    started=$SECONDS
    podman stop -t 30 "$app" >/dev/null 2>>"$PODMAN_LOG"
    code=$(podman inspect "$app" --format '{{.State.ExitCode}}')
    podman start "$app" >/dev/null 2>>"$PODMAN_LOG"
    port=$([ $app = vlb-app1 ] && echo $((PORT + 1)) || echo $((PORT + 2)))
    wait_until 60 curl -sf -m 2 "http://127.0.0.1:$port/ready"
    result "$([ "$code" = 0 ] && echo ok || echo FAIL)" "$app: SIGTERM exit $code after $((SECONDS - started)) s incl. restart"
    sleep 4   # Caddy's next health checks see it ready again before the other goes
  done
  wait "$loop" || true
  total=$(grep -c . "$loop_log") bad=$(grep -vc '^200$' "$loop_log" || true)
  check "rolling restart through the proxy: $total requests, $bad not 200" test "$bad" = 0 -a "$total" -gt 100

  # Prometheus (Debian's binary) scraping both instances with the token; every dashboard query evaluated.
  prom_dir=$WORK/prometheus
  mkdir -p "$prom_dir/data"
  if ! command -v prometheus >/dev/null; then
    (cd "$prom_dir" && apt-get download -qq prometheus >/dev/null 2>&1 && dpkg -x prometheus_*.deb pkg) || true
  fi
  prom_bin=$(command -v prometheus || echo "$prom_dir/pkg/usr/bin/prometheus")
  if [ -x "$prom_bin" ]; then
    printf '%s' "$token" >"$prom_dir/metrics-token"
    sed -e "s#/prometheus/metrics-token#$prom_dir/metrics-token#" -e "s#scrape_interval: 15s#scrape_interval: 2s#" \
        -e "s#\"app1:9464\", \"app2:9464\"#\"127.0.0.1:$((PORT + 1001))\", \"127.0.0.1:$((PORT + 1002))\"#" \
        "$REPO/deploy/prometheus/prometheus.yml" >"$prom_dir/prometheus.yml"
    "$prom_bin" --config.file="$prom_dir/prometheus.yml" --storage.tsdb.path="$prom_dir/data" \
      --web.listen-address="127.0.0.1:$((PORT + 2000))" >"$prom_dir/log" 2>&1 &
    PIDS+=($!)
    prom=http://127.0.0.1:$((PORT + 2000))
    up_both() { curl -sf "$prom/api/v1/query?query=sum(up%7Bjob%3D%22voice-lb%22%7D)" | grep -q '"value":\[[0-9.]*,"2"\]'; }
    if wait_until 30 up_both; then result ok "Prometheus scrapes both instances with the token"; else result FAIL "Prometheus scrapes both instances"; fi
    # A bounded call mix through the proxy, so the call panels have something to show: a tenant from
    # the CLI, demo agents and groups from `seed`, then `simulate load` with the tenant's secret.
    call_mix() {
      local pw token secret
      pw="Try-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
      podman exec -e NEW_USER_PASSWORD="$pw" vlb-app1 node dist/cli/main.js create-tenant --domain try.example.org --name Try --email ops@try.example.org >/dev/null &&
      podman exec vlb-app1 node dist/cli/main.js seed --domain try.example.org --calls 10 >/dev/null &&
      token=$(curl -sf -m 10 -H 'content-type: application/json' -d "{\"email\":\"ops@try.example.org\",\"password\":\"$pw\"}" "$proxy/api/auth/login" | node -pe 'JSON.parse(require("fs").readFileSync(0)).token') &&
      secret=$(curl -sf -m 10 -H "authorization: Bearer $token" "$proxy/api/tenant" | node -pe 'JSON.parse(require("fs").readFileSync(0)).webhook_secret') &&
      podman exec -e SIMULATE_URL="$proxy" -e SIMULATE_DOMAIN=try.example.org -e SIMULATE_SECRET="$secret" vlb-app1 \
        timeout 120 node dist/cli/simulate.js load --calls 60 --concurrency 6 --seed 7 >"$WORK/load.txt" 2>&1
    }
    if call_mix; then result ok "call mix through the proxy (simulate load): $(grep -m1 '^calls:' "$WORK/load.txt" | cut -c1-60)"; else cat "$WORK/load.txt" 2>/dev/null | tail -5; result FAIL "call mix"; fi
    sleep 5   # two more scrapes
    node --input-type=module - "$REPO/deploy/grafana/dashboards/voice-lb.json" "$prom" >"$WORK/queries.txt" <<'EOF' && result ok "dashboard: $(tail -1 "$WORK/queries.txt")" || { cat "$WORK/queries.txt"; result FAIL "dashboard queries"; }
import { readFileSync } from 'node:fs';
const [file, prom] = process.argv.slice(2);
const exprs = JSON.parse(readFileSync(file, 'utf8')).panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
let bad = 0, withData = 0;
for (const e of exprs) {
  const q = e.replaceAll('$__rate_interval', '1m').replaceAll('$tenant', '.*');
  const r = await (await fetch(`${prom}/api/v1/query?query=${encodeURIComponent(q)}`)).json();
  if (r.status !== 'success') { bad++; console.log(`error: ${e}: ${r.error}`); } else if (r.data.result.length > 0) withData++;
}
console.log(`${exprs.length} queries valid PromQL: ${exprs.length - bad}; returning series now: ${withData}`);
process.exit(bad ? 1 : 0);
EOF
  else
    result FAIL "no Prometheus binary (apt-get download prometheus failed)"
  fi
fi

log "results"
printf '%s\n' "${RESULTS[@]}"
echo "$(( ${#RESULTS[@]} - FAILED )) passed, $FAILED failed"
$KEEP && echo "kept: $WORK (podman: CONTAINERS_CONF=$WORK/containers.conf CONTAINERS_STORAGE_CONF=$WORK/storage.conf podman ps -a)"
[ "$FAILED" = 0 ]
