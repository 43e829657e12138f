#!/usr/bin/env bash
# bench/run.sh: the end-to-end benchmark of Carbon Ledger (docs/PERFORMANCE.md).
#
# On one machine it starts the server (-Xmx512m) on a fresh database of the local PostgreSQL, prepares a
# registry through the GraphQL API, drives concurrent transfers, then reads (a mix, then serial lookups and
# balances alone), then inclusion and consistency proofs, measures PostgreSQL's own single-row insert rate with
# pgbench at the same concurrency as the baseline (and, for comparison, pgbench writing a transfer's rows), times the offline verifier against a plain SHA-256 of the
# same entry bytes (its log checks alone, then with its registry replay), times a restart of the server on the log it made, and writes a report to
# bench/results/<timestamp>.txt. Everything it creates (server, database, data directory) is removed at the
# end, also on Ctrl-C.
#
#   bench/run.sh [--accounts N] [--units N] [--blocks N] [--clients N] [--seconds N] [--warmup N] [--quick]
#
# Environment: BENCH_PG_URL (default postgresql://postgres@127.0.0.1:5432/postgres) names a database the
# benchmark may connect to as a role that can CREATE DATABASE; only 127.0.0.1 or a local Unix-domain socket
# (postgresql://postgres@/postgres?host=/var/run/postgresql) is ever contacted, by the server and pgbench
# alike. BENCH_JAR (default target/carbon-ledger.jar) runs another build, to compare two versions on the same
# machine.
set -euo pipefail

accounts=10000 units=1000000 blocks=100000 clients=16 seconds=30 warmup=60
while [ $# -gt 0 ]; do
  case "$1" in
    --accounts) accounts=$2; shift 2 ;;
    --units) units=$2; shift 2 ;;
    --blocks) blocks=$2; shift 2 ;;
    --clients) clients=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --quick) accounts=500 units=20000 blocks=2000 seconds=10 warmup=2; shift ;;
    -h|--help) sed -n '2,/^set -euo pipefail/{/^#/p}' "$0"; exit 0 ;;
    *) echo "bench/run.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
jar=${BENCH_JAR:-target/carbon-ledger.jar}
pg_admin_url=${BENCH_PG_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
case "$pg_admin_url" in
  *@127.0.0.1:*|*@127.0.0.1/*|*@/*\?host=/*) ;;
  *) echo "BENCH_PG_URL must point at 127.0.0.1 or a local socket directory (postgresql://user@/db?host=/var/run/postgresql)" >&2; exit 2 ;;
esac
stamp=$(date -u +%Y%m%dT%H%M%SZ)
db=carbonledger_bench_$(date -u +%Y%m%d%H%M%S)
pg_admin_base=${pg_admin_url%%\?*}                       # without ?host=... (a socket path has slashes too)
pg_url=${pg_admin_base%/*}/$db${pg_admin_url#"$pg_admin_base"}
work=$(mktemp -d /tmp/carbonledger-bench.XXXXXX)
mkdir -p bench/results
report=bench/results/$stamp.txt
server_pid= sampler_pid=

cleanup() {
  set +e
  [ -n "$sampler_pid" ] && kill "$sampler_pid" 2>/dev/null && wait "$sampler_pid" 2>/dev/null
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    stop_server
  fi
  psql -q "$pg_admin_url" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 \
    || echo "bench: could not drop database $db; drop it by hand" >&2
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { echo "$*" | tee -a "$report"; }
now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc -l; }
value() { sed -n "s/^$1=//p" "$2" | tail -1; }
r() { echo "scale=3; $1" | bc -l; }

if [ ! -f "$jar" ]; then
  [ -z "${BENCH_JAR:-}" ] || { echo "bench: BENCH_JAR $jar does not exist" >&2; exit 2; }
  echo "bench: building $jar"
  mvn -B -q package -Dmaven.test.skip=true
fi

: > "$report"
say "# Carbon Ledger benchmark $stamp"
say "command: bench/run.sh --accounts $accounts --units $units --blocks $blocks --clients $clients --seconds $seconds --warmup $warmup"
say "machine: nproc=$(nproc) mem_total_mb=$(free -m | awk '/^Mem:/{print $2}') cpu=\"$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)\""
say "software: $(java -version 2>&1 | head -1); $(psql -At "$pg_admin_url" -c 'select version()' | cut -d, -f1); git $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo '+dirty')"
say "load: loadavg=\"$(cut -d" " -f1-3 /proc/loadavg)\" other java processes: $(pgrep -c java || true) (anything else running shares the 2 CPUs)"
say "postgres: synchronous_commit=$(psql -At "$pg_admin_url" -c 'show synchronous_commit') fsync=$(psql -At "$pg_admin_url" -c 'show fsync') shared_buffers=$(psql -At "$pg_admin_url" -c 'show shared_buffers') autovacuum=$(psql -At "$pg_admin_url" -c 'show autovacuum') connection=$(case "$pg_admin_url" in *host=/*) echo unix-socket ;; *) echo tcp ;; esac)"

psql -q "$pg_admin_url" -c "CREATE DATABASE $db" >/dev/null

# ---- the server ----
# BENCH_SERVER_JAVA_OPTS adds JVM options to the server, e.g. a JFR recording to profile it.
# The writer's metrics give each phase's batches; a build older than /metrics (BENCH_JAR) runs without them.
metrics_option=
java -jar "$jar" serve --help 2>&1 | grep -q -- '--metrics' && metrics_option="--metrics true"
# The rate limit as high as it goes: the bench measures capacity, and the verifier and the bundle download read
# /log from one address, which the default limit holds to 200 tiles a second.
limits_option="--rate-limit 1000000 --rate-limit-burst 10000000"
start_server() { # log file, GC log file, extra JVM options: starts the server on the bench database, sets server_pid and url
  java -Xmx512m -Xlog:gc:file="$2" $3 -jar "$jar" serve --pg-url "$pg_url" --data-dir "$work/data" \
    --http-port 0 --graphiql false $metrics_option $limits_option > "$1" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 3000); do
    grep -q 'server.started' "$1" && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$1" >&2; return 1; }
    sleep 0.1
  done
  url=$(sed -n 's/.*server.started graphql=\(http:\/\/127\.0\.0\.1:[0-9]*\)\/graphql.*/\1/p' "$1" | head -1)
  [ -n "$url" ] || { cat "$1" >&2; return 1; }
}
stop_server() { # SIGTERM, then SIGKILL after 30 s
  kill -TERM "$server_pid"
  for _ in $(seq 1 60); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$server_pid" 2>/dev/null && kill -KILL "$server_pid"
  wait "$server_pid" 2>/dev/null
}
start_server "$work/server.log" "$work/gc.log" "${BENCH_SERVER_JAVA_OPTS:-}" || exit 1
admin_key=$(cat "$work/data/admin-api-key")
say "server: $url pid=$server_pid -Xmx512m database=$db jar=$jar"

# Peak resident memory of the server, sampled once a second (VmHWM at the end is the kernel's own peak).
( while kill -0 "$server_pid" 2>/dev/null; do sed -n 's/^VmRSS:\s*//p' "/proc/$server_pid/status" >> "$work/rss.txt"; sleep 1; done ) &
sampler_pid=$!

memory() { # phase name
  local rss hwm heap
  rss=$(sed -n 's/^VmRSS:\s*\([0-9]*\).*/\1/p' "/proc/$server_pid/status")
  hwm=$(sed -n 's/^VmHWM:\s*\([0-9]*\).*/\1/p' "/proc/$server_pid/status")
  heap=$(jcmd "$server_pid" GC.heap_info 2>/dev/null | sed -n 's/.*garbage-first heap.*used \([0-9]*K\).*/\1/p' | head -1)
  say "memory.$1: rss_mb=$((rss / 1024)) rss_peak_mb=$((hwm / 1024)) heap_used=${heap:-?}"
}

lg() { java -cp "$jar" bench/LoadGenerator.java "$@" --url "$url"; }

# CPU time (ms) used so far by the server, and by the PostgreSQL backends serving the bench database. Wall-clock
# rates depend on whatever else shares the CPUs; CPU time per request does much less.
tick_ms=$((1000 / $(getconf CLK_TCK)))
cpu_ms() { # pid...
  local total=0 p
  for p in "$@"; do
    [ -r "/proc/$p/stat" ] && total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo $((total * tick_ms))
}
server_cpu_ms() { cpu_ms "$server_pid"; }
postgres_cpu_ms() { cpu_ms $(pgrep -f "postgres: .* $db " || true); }

# ---- 1. prepare ----
say ""
say "## 1. setup through the API (accounts=$accounts units=$units blocks=$blocks)"
lg setup --admin-key "$admin_key" --accounts "$accounts" --units "$units" --blocks "$blocks" --clients "$clients" \
  --state "$work/state.json" | tee -a "$report"
say "setup.log_size=$(curl -s "$url/log/checkpoint" | sed -n 2p)"
say "setup.active_blocks=$(psql -At "$pg_url" -c "select count(*) from blocks where state = 'ACTIVE'" 2>/dev/null || echo '?')"
# The setup's splits leave a dead row version in blocks and account_balances per transfer, and no table has
# statistics yet. Autovacuum would see to both in production; where it is off (as on the CI machines), the
# phases below would measure the setup's leftovers, so vacuum and analyze once here.
vacuum_start=$(now)
psql -q "$pg_url" -c "VACUUM ANALYZE"
say "setup.vacuum_analyze_seconds=$(printf %.1f "$(elapsed "$vacuum_start" "$(now)")")"
memory after_setup

# ---- 2. load ----
# One measured phase: the load generator in MODE, and the CPU the server and PostgreSQL spent in its measured
# window (from the generator's "measuring" line to its end; the warm-up, JIT compilation included, is left out).
metrics_now() { # the server's /metrics now (nothing without metrics)
  if [ -n "$metrics_option" ]; then curl -s "$url/metrics" || true; fi
}
metric() { # name, a scrape: the sample's value (0 if absent)
  local v
  v=$(printf '%s\n' "$2" | sed -n "s/^$1 //p")
  echo "${v:-0}"
}
phase() { # mode [load generator options, which win over the defaults here...]
  local s0=0 p0=0 m0 m1 lg_pid
  lg "$1" --state "$work/state.json" --clients "$clients" --seconds "$seconds" --warmup-seconds "$warmup" "${@:2}" > "$work/$1.txt" 2>&1 &
  lg_pid=$!
  while kill -0 "$lg_pid" 2>/dev/null && ! grep -q "^$1.measuring=1" "$work/$1.txt"; do sleep 0.05; done
  s0=$(server_cpu_ms); p0=$(postgres_cpu_ms); m0=$(metrics_now)
  wait "$lg_pid" || { cat "$work/$1.txt" >&2; exit 1; }
  printf -v "$1_server_cpu_ms" %d $(( $(server_cpu_ms) - s0 ))
  printf -v "$1_postgres_cpu_ms" %d $(( $(postgres_cpu_ms) - p0 ))
  m1=$(metrics_now)
  grep -v "^$1.measuring=" "$work/$1.txt" | tee -a "$report"
  say "$1.cpu: server_ms=$(( $1_server_cpu_ms )) postgres_ms=$(( $1_postgres_cpu_ms )) (measured window only)"
  local batches=$(( $(metric carbonledger_writer_batches_committed_total "$m1") - $(metric carbonledger_writer_batches_committed_total "$m0") ))
  local ended=$(( $(metric carbonledger_writer_batch_duration_seconds_count "$m1") - $(metric carbonledger_writer_batch_duration_seconds_count "$m0") ))
  if [ "$batches" -gt 0 ] && [ "$ended" -gt 0 ]; then
    say "$1.writer: batches=$batches commands_per_batch=$(r "($(metric carbonledger_writer_batch_commands_total "$m1") - $(metric carbonledger_writer_batch_commands_total "$m0")) / $batches") batch_ms_mean=$(r "1000 * ($(metric carbonledger_writer_batch_duration_seconds_sum "$m1") - $(metric carbonledger_writer_batch_duration_seconds_sum "$m0")) / $ended") (measured window, from /metrics)"
  fi
  memory "after_$1"
}
say ""
say "## 2. transfers: $clients clients, ${seconds}s after ${warmup}s warm-up, one transferUnits of 1 unit each"
phase transfers
say ""
say "## 3. reads: $clients clients, ${seconds}s after ${warmup}s warm-up, resolveSerial / account balance / chainOfCustody in equal shares"
phase reads
say ""
# The target names serial lookups and balances: the same clients without chainOfCustody. The reads have just
# run the same code, so a short warm-up does.
say "## 3a. lookups: $clients clients, ${seconds}s after 10s warm-up, resolveSerial / account balance in equal shares"
phase lookups --warmup-seconds 10
say ""
proof_size=$(curl -s "$url/log/checkpoint" | sed -n 2p)
# One client: the target is a proof's own latency, not a queue's.
say "## 3b. proofs: 1 client, ${seconds}s after ${warmup}s warm-up, inclusionProof / consistencyProof in equal shares, at tree size $proof_size"
phase proofs --log-size "$proof_size" --clients 1

# ---- 3. the baseline: PostgreSQL's own single-row inserts, same database, same clients, same time ----
say ""
say "## 4. pgbench baseline: single-row INSERT, one per transaction, $clients clients, ${seconds}s"
psql -q "$pg_url" -c "CREATE TABLE bench_pgbench_insert (id bigserial PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now(), body text NOT NULL)"
# A row about the size of a transfer entry (~400 bytes), like the ledger's inserts.
echo "INSERT INTO bench_pgbench_insert (body) VALUES (repeat('x', 400));" > "$work/insert.sql"
pgbench -n -M prepared -c "$clients" -j 2 -T "$seconds" -f "$work/insert.sql" "$pg_url" > "$work/pgbench.txt" 2>&1
grep -E 'latency average|tps|transactions actually processed' "$work/pgbench.txt" | sed 's/^/pgbench: /' | tee -a "$report"
pg_tps=$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p' "$work/pgbench.txt")
psql -q "$pg_url" -c "DROP TABLE bench_pgbench_insert"

# A second baseline, for comparison only (the target is against the one above): what PostgreSQL needs for the
# rows one transfer writes, one transaction per transfer, when nothing orders the transactions. Copies of the
# registry's tables with their indexes, checks and exclusion constraint, but without the entries' chain
# trigger, the foreign keys and the sequencer lock. Each transaction is one statement (one round trip, the
# best case for PostgreSQL): it writes an entry, a tree node, a movement and a transfer, deletes one block and
# inserts one (about a transfer's mean, 1.04 block rows) and updates two balances. Transaction n deletes block n:
# one of the --blocks made beforehand while n <= --blocks, after that the one transaction n - --blocks inserted,
# committed long before (at most --clients are in flight), so every transaction deletes exactly one row.
say ""
say "## 4b. pgbench, a transfer's rows: one statement and transaction per transfer, $clients clients, ${seconds}s (comparison only)"
psql -q "$pg_url" <<SQL
CREATE TABLE bench_entries (LIKE entries INCLUDING ALL);
CREATE TABLE bench_tree_nodes (LIKE tree_nodes INCLUDING ALL);
CREATE TABLE bench_blocks (LIKE blocks INCLUDING ALL);
CREATE TABLE bench_movements (LIKE movements INCLUDING ALL);
CREATE TABLE bench_transfers (LIKE transfers INCLUDING ALL);
CREATE TABLE bench_balances (LIKE account_balances INCLUDING ALL);
CREATE SEQUENCE bench_seq;
INSERT INTO bench_blocks SELECT g * 10, g * 10 + 9, 'I', 'A' || (g % $accounts), 'ACTIVE', 0 FROM generate_series(1, $blocks) g;
INSERT INTO bench_balances SELECT 'A' || g, 1000000000000 FROM generate_series(0, $accounts - 1) g;
VACUUM ANALYZE bench_blocks, bench_balances;
SQL
cat > "$work/transfer.sql" <<SQL
\\set from random(0, $accounts - 1)
\\set to random(0, $accounts - 1)
WITH s AS (SELECT seq, 10 * ($blocks + seq) AS serial FROM (SELECT nextval('bench_seq') AS seq) drawn),
  e AS (INSERT INTO bench_entries SELECT seq, sha256(int8send(seq)), sha256(int8send(seq - 1)), 'UNITS_TRANSFERRED', now(),
                                         convert_to(repeat('x', 400), 'UTF8') FROM s),
  n AS (INSERT INTO bench_tree_nodes SELECT 1, seq, sha256(int8send(seq)) FROM s),
  d AS (DELETE FROM bench_blocks WHERE serial_start = 10 * (SELECT seq FROM s)),
  b AS (INSERT INTO bench_blocks SELECT serial, serial + 9, 'I', 'A' || :to, 'ACTIVE', seq FROM s),
  m AS (INSERT INTO bench_movements SELECT seq, 0, 'TRANSFER', serial, serial + 9, 'I', 'A' || :from, 'A' || :to FROM s),
  t AS (INSERT INTO bench_transfers SELECT seq, 'A' || :from, 'A' || :to, 10, NULL FROM s)
UPDATE bench_balances SET active = active + CASE WHEN account_id = 'A' || :to THEN 10 ELSE -10 END
 WHERE account_id IN ('A' || :from, 'A' || :to);
SQL
pgbench -n -M prepared -c "$clients" -j 2 -T "$seconds" -f "$work/transfer.sql" "$pg_url" > "$work/pgbench-transfer.txt" 2>&1 \
  || { cat "$work/pgbench-transfer.txt" >&2; say "pgbench transfer rows: FAILED"; }
grep -E 'latency average|tps|transactions actually processed' "$work/pgbench-transfer.txt" | sed 's/^/pgbench transfer rows: /' | tee -a "$report" || true
pg_transfer_tps=$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p' "$work/pgbench-transfer.txt")
say "pgbench transfer rows: transactions $(psql -At "$pg_url" -c "select count(*) from bench_transfers"), blocks deleted $(psql -At "$pg_url" -c "select $blocks + (select count(*) from bench_transfers) - count(*) from bench_blocks") (one each)"
psql -q "$pg_url" -c "DROP TABLE bench_entries, bench_tree_nodes, bench_blocks, bench_movements, bench_transfers, bench_balances; DROP SEQUENCE bench_seq"

# ---- 4. the offline verifier against a plain SHA-256 of the same bytes ----
say ""
say "## 5. offline verifier (java -jar $jar verify) against sha256sum of the same entry bundles"
vkey=$(curl -s "$url/log/key")
# The log's own checks (chain, signature, root, tiles) are what the target and the SHA-256 ratio are about; the
# registry replay (every entry applied to a rebuilt registry) is timed on its own after them.
registry_option=
java -jar "$jar" verify --help 2>&1 | grep -q -- '--registry' && registry_option="--registry false"
t0=$(now)
java -jar "$jar" verify --url "$url" --key "$vkey" $registry_option > "$work/verify.txt" 2>&1 || { cat "$work/verify.txt" >&2; say "verify: FAILED"; }
t1=$(now)
tail -3 "$work/verify.txt" | sed 's/^/verify: /' | tee -a "$report"
verify_registry_s=
if [ -n "$registry_option" ]; then
  t5=$(now)
  java -jar "$jar" verify --url "$url" --key "$vkey" > "$work/verify-registry.txt" 2>&1 || { cat "$work/verify-registry.txt" >&2; say "verify with the registry: FAILED"; }
  verify_registry_s=$(elapsed "$t5" "$(now)")
  tail -2 "$work/verify-registry.txt" | sed 's/^/verify with the registry: /' | tee -a "$report"
fi
t2=$(now)
lg bundles --out "$work/bundles.bin" | tee "$work/bundles.txt" | tee -a "$report"
t3=$(now)
sha256sum "$work/bundles.bin" > /dev/null
t4=$(now)
entries=$(value bundles.entries "$work/bundles.txt")
verify_s=$(elapsed "$t0" "$t1"); fetch_s=$(elapsed "$t2" "$t3"); sha_s=$(elapsed "$t3" "$t4")
say "verify.seconds=$(printf %.2f "$verify_s") (whole command: JVM start, fetching every tile and bundle over HTTP, checking)"
[ -n "$verify_registry_s" ] && say "verify_registry.seconds=$(printf %.2f "$verify_registry_s") (the same, and replaying every entry into a rebuilt registry)"
say "bundles.fetch_seconds=$(printf %.2f "$fetch_s") (only downloading the same entry bundles)"
say "sha256.seconds=$(printf %.3f "$sha_s")"
memory after_verify
heap_peak=$(grep -o '[0-9]*M->[0-9]*M' "$work/gc.log" | sed 's/M->.*//' | sort -n | tail -1)
heap_live=$(grep -o '[0-9]*M->[0-9]*M' "$work/gc.log" | sed 's/.*->//; s/M//' | sort -n | tail -1)
rss_peak=$(sort -n "$work/rss.txt" | tail -1 | awk '{print int($1/1024)}')
gcs=$(grep -c 'Pause' "$work/gc.log" || true)
final_size=$(curl -s "$url/log/checkpoint" | sed -n 2p)

# ---- restart: how long a server takes to replay the log it finds before it serves ----
say ""
say "## 6. restart: SIGTERM, then a new server on the same database (it replays the log into its registry before serving)"
# Without BENCH_SERVER_JAVA_OPTS, so that a recording of the measured server is not overwritten.
stop_server || true
t0=$(now)
if start_server "$work/restart.log" "$work/gc-restart.log" ""; then
  restart_s=$(printf %.1f "$(elapsed "$t0" "$(now)")")
  say "restart.seconds=$restart_s (JVM start to serving, $final_size entries)"
  say "restart.$(grep -o 'writer.registry_loaded.*' "$work/restart.log" | head -1 || echo 'writer.registry_loaded=?')"
else
  restart_s=FAILED
  say "restart: FAILED"
fi

# ---- report ----
t_ok=$(value transfers.transfer.ok_per_second "$work/transfers.txt")
say ""
say "## summary"
say "log entries at the end: $final_size; server GC pauses: $gcs; heap before GC max: ${heap_peak:-?} MB; heap after GC max: ${heap_live:-?} MB (of 512); RSS max: ${rss_peak:-?} MB"
say "transfers committed/s: $t_ok   pgbench inserts/s: $pg_tps   ratio: $(r "$t_ok / $pg_tps")   (target >= 0.5)"
[ -n "${pg_transfer_tps:-}" ] && say "transfers committed/s against pgbench writing a transfer's rows ($pg_transfer_tps/s): $(r "$t_ok / $pg_transfer_tps")   (comparison only)"
t_all=$(value transfers.all.requests "$work/transfers.txt")
t_cpu_ms=$(r "($transfers_server_cpu_ms + $transfers_postgres_cpu_ms) / $t_all")
say "CPU ceiling: $(nproc) CPUs / $t_cpu_ms ms of server and PostgreSQL CPU per transfer = $(r "$(nproc) * 1000 / $t_cpu_ms") transfers/s, ratio $(r "$(nproc) * 1000 / $t_cpu_ms / $pg_tps") (with no CPU for the load generator and none idle)"
say "transfer latency ms: p50 $(value transfers.transfer.p50_ms "$work/transfers.txt")  p95 $(value transfers.transfer.p95_ms "$work/transfers.txt")  p99 $(value transfers.transfer.p99_ms "$work/transfers.txt")   (target p99 < 50)"
for k in serial balance custody; do
  say "reads $k/s: $(value reads.$k.ok_per_second "$work/reads.txt")  p50 $(value reads.$k.p50_ms "$work/reads.txt")  p99 $(value reads.$k.p99_ms "$work/reads.txt") ms"
done
say "reads all/s: $(value reads.all.requests_per_second "$work/reads.txt")"
say "lookups (serial + balance, no custody) all/s: $(value lookups.all.requests_per_second "$work/lookups.txt")  p50 $(value lookups.all.p50_ms "$work/lookups.txt")  p99 $(value lookups.all.p99_ms "$work/lookups.txt") ms   (target >= 5000/s)"
say "proofs at $proof_size entries, ms: inclusion p50 $(value proofs.inclusion.p50_ms "$work/proofs.txt")  p99 $(value proofs.inclusion.p99_ms "$work/proofs.txt")   consistency p50 $(value proofs.consistency.p50_ms "$work/proofs.txt")  p99 $(value proofs.consistency.p99_ms "$work/proofs.txt")   (target median < 2 at a million entries)"
r_all=$(value reads.all.requests "$work/reads.txt")
l_all=$(value lookups.all.requests "$work/lookups.txt")
say "CPU per request, ms (server / PostgreSQL): transfer $(r "$transfers_server_cpu_ms / $t_all") / $(r "$transfers_postgres_cpu_ms / $t_all")   read $(r "$reads_server_cpu_ms / $r_all") / $(r "$reads_postgres_cpu_ms / $r_all")   lookup $(r "$lookups_server_cpu_ms / $l_all") / $(r "$lookups_postgres_cpu_ms / $l_all")"
say "restart with $final_size entries: $restart_s s to serving"
say "verifier entries/s: $(r "$entries / $verify_s")   plain SHA-256 entries/s: $(r "$entries / $sha_s")   ratio verifier/sha256: $(r "$sha_s / $verify_s")   (target verifier >= 100000/s)"
[ -n "$verify_registry_s" ] && say "verifier with the registry replay entries/s: $(r "$entries / $verify_registry_s")"
say "report: $report"
