#!/usr/bin/env bash
# Records tshark's view of every capture under captures/ as the oracle of the golden tests:
#   <capture>.protocols  one line per frame: frame.protocols, ip.flags.mf, ip.frag_offset, ipv6.fraghdr.offset, ipv6.fraghdr.more
#                      (tshark -n -T fields -E occurrence=f -e ...)
#   <capture>.conv       the TCP and UDP conversation counts (tshark -q -z conv,tcp -z conv,udp)
# Run from anywhere after adding a capture: tests/Visibility.Captures.Tests/Oracle/record.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
cd "$root/captures"
find . -type f \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.cap' \) ! -name '*.inner.pcap' | sed 's|^\./||' | sort | while read -r f; do
  out="$here/$f"
  mkdir -p "$(dirname "$out")"
  tshark -n -r "$f" -T fields -E occurrence=f -e frame.protocols -e ip.flags.mf -e ip.frag_offset -e ipv6.fraghdr.offset -e ipv6.fraghdr.more > "$out.protocols" 2>/dev/null || true
  tcp=$(tshark -n -r "$f" -q -z conv,tcp 2>/dev/null | grep -c '<->' || true)
  udp=$(tshark -n -r "$f" -q -z conv,udp 2>/dev/null | grep -c '<->' || true)
  printf 'tcp\t%s\nudp\t%s\n' "$tcp" "$udp" > "$out.conv"
done
tshark --version | head -n 1 > "$here/TSHARK_VERSION"
