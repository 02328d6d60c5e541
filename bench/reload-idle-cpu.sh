#!/usr/bin/env bash
# Idle CPU of `rr-tcp serve` watching a tree of PHP files for reloads, measured from /proc/<pid>/stat
# (utime + stime of the server JVM) over a quiet window. Prints one Markdown row per mode.
#   bench/reload-idle-cpu.sh [FILES (default 10000)] [SECONDS (default 60)] [MODES (default "off inotify poll")]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FILES=${1:-10000}
SECONDS_IDLE=${2:-60}
MODES=${3:-off inotify poll}
HZ=$(getconf CLK_TCK)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# the tree: 20 folders of 25 sub-folders, FILES spread evenly (10,000 files = 20 per folder, 520 folders)
per=$(( (FILES + 499) / 500 ))
n=0
for a in $(seq 1 20); do
  for b in $(seq 1 25); do
    d="$WORK/app/src/m$a/s$b"
    mkdir -p "$d"
    for c in $(seq 1 "$per"); do
      [ "$n" -ge "$FILES" ] && break
      printf '<?php\nfinal class C%d {}\n' "$n" > "$d/C$c.php"
      n=$((n + 1))
    done
  done
done
cp "$ROOT/test-workers/reload-worker.php" "$WORK/app/worker.php"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

echo "| mode | files | folders | CPU seconds in ${SECONDS_IDLE}s | % of one core |"
echo "|---|---|---|---|---|"
for mode in $MODES; do
  reload=""
  if [ "$mode" != off ]; then
    reload=$'reload:\n  interval: 1s\n  services:\n    tcp:\n      dirs: ["."]\n      recursive: true\n'
  fi
  cat > "$WORK/app/.rr.yaml" <<YAML
version: '3'
server:
  command: "php worker.php"
  env:
    TEST_WORKERS: "$ROOT/test-workers"
tcp:
  servers:
    main:
      addr: 127.0.0.1:0
  pool:
    num_workers: 1
$reload
YAML
  opts=""
  [ "$mode" = poll ] && opts="-Drrtcp.reload.watch=poll"
  log="$WORK/serve-$mode.log"
  RR_TCP_JAVA_OPTS="$opts" "$ROOT/bin/rr-tcp" -c "$WORK/app/.rr.yaml" serve >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do grep -q "rr-tcp started" "$log" && break; sleep 0.1; done
  sleep 5 # start-up work (JIT, class loading) is not idle time
  before=$(cpu_ticks "$pid")
  sleep "$SECONDS_IDLE"
  after=$(cpu_ticks "$pid")
  folders=$(grep -o 'folders=[0-9]*' "$log" | head -1 | cut -d= -f2 || true)
  kill -TERM "$pid"
  wait "$pid" || true
  ticks=$((after - before))
  awk -v t="$ticks" -v hz="$HZ" -v s="$SECONDS_IDLE" -v m="$mode" -v f="$n" -v d="${folders:--}" \
    'BEGIN { printf "| %s | %d | %s | %.2f | %.2f%% |\n", m, f, d, t / hz, 100 * t / hz / s }'
done
