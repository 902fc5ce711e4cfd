#!/usr/bin/env bash
# End-to-end replay benchmark: `visibility replay` (without rules, with the 16-rule benchmark set, with EVE)
# against `tshark -n -r F -q` on the same file, each pinned to one core, best of RUNS, with wall and user CPU time
# and the load average at each run (the figures mean little on a busy machine: compare user CPU, and rerun when
# the load is high).
# `tshark -q` alone does not dissect (nothing is printed, filtered or tapped), so it only reads the file; --dissect
# adds one run of tshark dissecting every packet with Wireshark's NULL-ESP heuristic on (minutes on the 2 M-packet
# capture), the work comparable to a replay.
#   usage: replay-vs-tshark.sh [--runs N] [--dissect] --capture FILE
#          replay-vs-tshark.sh [--runs N] [--dissect] GENERATOR [PACKETS]
#   --capture FILE: replay an existing capture; the packet count is read from its summary.
#   GENERATOR: a script run as `python3 GENERATOR OUT.pcap PACKETS` that writes the benchmark capture into a
#   temporary folder (PACKETS: 2000000 by default); the capture is deleted afterwards, never committed.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
capture=""
runs=3
dissect=0
while [ $# -gt 0 ]; do
  case "$1" in
    --capture) capture=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --dissect) dissect=1; shift ;;
    *) break ;;
  esac
done
if [ -z "$capture" ] && [ $# -eq 0 ]; then
  echo "usage: $0 [--runs N] [--dissect] --capture FILE | [--runs N] [--dissect] GENERATOR [PACKETS]" >&2
  exit 1
fi
gen=${1:-}
packets=${2:-2000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ -z "$capture" ]; then
  echo "bench: generating $packets packets into $work"
  capture="$work/bench.pcap"
  /usr/bin/python3 "$gen" "$capture" "$packets" 2> "$work/truth.json"
fi
ls -l "$capture"
mkdir -p "$work/norules"

echo "bench: building Release"
dotnet build "$root/src/Visibility.Cli" -c Release -nologo -v quiet > /dev/null
exe="$root/src/Visibility.Cli/bin/Release/net10.0/visibility"

# Warm the page cache so every tool reads from memory.
cat "$capture" > /dev/null

# run NAME COMMAND...: RUNS runs; prints "best-wall best-user" (seconds) and logs each run.
run() {
  local name=$1; shift
  local i wall user best_wall="" best_user=""
  for i in $(seq "$runs"); do
    /usr/bin/time -f "%e %U" -o "$work/$name.time" "$@" > "$work/$name.out" 2> "$work/$name.err"
    read -r wall user < "$work/$name.time"
    echo "  $name run $i: ${wall}s wall, ${user}s user, load $(cut -d' ' -f1 /proc/loadavg)" >&2
    if [ -z "$best_wall" ] || [ "$(echo "$wall < $best_wall" | bc)" = 1 ]; then best_wall=$wall; fi
    if [ -z "$best_user" ] || [ "$(echo "$user < $best_user" | bc)" = 1 ]; then best_user=$user; fi
  done
  echo "$best_wall $best_user"
}

replay=(taskset -c 0 "$exe" replay "$capture" --rules "$work/norules" --summary json)
replay16=(taskset -c 0 "$exe" replay "$capture" --rules "$root/tests/Visibility.Benchmarks/Rules/bench16.rules" --summary json)
read -r w_plain u_plain < <(run plain "${replay[@]}")
packets=$(grep -m1 -o '"packets": [0-9]*' "$work/plain.out" | grep -o '[0-9]*$')
read -r w_rules u_rules < <(run rules "${replay16[@]}")
read -r w_eve u_eve < <(run eve "${replay[@]}" --eve "$work/eve.json")
read -r w_tshark u_tshark < <(run tshark taskset -c 0 tshark -n -r "$capture" -q)
if [ "$dissect" = 1 ]; then
  read -r w_dissect u_dissect < <(runs=1 run dissect taskset -c 0 tshark -n -r "$capture" -q \
    -o esp.enable_null_encryption_decode_heuristic:TRUE -z io,stat,0)
fi

line() { # label wall user
  printf '%-28s %6.2fs wall %6.2fs user  %9d packets/s\n' "$1" "$2" "$3" "$(echo "$packets / $2" | bc)"
}
echo "capture: $capture ($packets packets), best of $runs, one core"
line "visibility replay" "$w_plain" "$u_plain"
line "visibility replay, 16 rules" "$w_rules" "$u_rules"
line "visibility replay --eve" "$w_eve" "$u_eve"
echo "  ($(wc -l < "$work/eve.json") EVE records, $(stat -c %s "$work/eve.json") bytes)"
line "tshark -q (reads only)" "$w_tshark" "$u_tshark"
if [ "$dissect" = 1 ]; then
  line "tshark -q, dissecting" "$w_dissect" "$u_dissect"
fi
echo "against tshark reading only (wall): $(echo "scale=2; $w_tshark / $w_plain" | bc)x without EVE, $(echo "scale=2; $w_tshark / $w_eve" | bc)x with EVE"
if [ "$dissect" = 1 ]; then
  echo "against tshark dissecting (wall): $(echo "scale=0; $w_dissect / $w_plain" | bc)x without EVE, $(echo "scale=0; $w_dissect / $w_eve" | bc)x with EVE"
fi
