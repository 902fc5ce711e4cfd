#!/bin/sh
# Run Wireshark's ESP-NULL heuristic (RFC 5879 style: ICV 12/16/24/32, padding 1,2,3,..., a known Next
# Header, no IV) over every capture of the synthetic ESP corpus, without keys, and record per frame what it
# decided, so tests can compare the project's verdicts with Wireshark's.
#
# Output: captures/synthetic/esp/wireshark-heuristic.tsv, one row per frame of every outer capture:
#   file frame src dst src_port dst_port spi seq null_decoded next_header icv_len pad_len inner_protocols malformed
# null_decoded is 1 when tshark dissected the payload as ESP-NULL (then next_header/icv_len/pad_len are the
# values it chose; next_header is empty if the inner dissector threw before the trailer was shown); src/dst are
# the outer addresses; frames without ESP have an empty spi.
# Then prints a comparison with truth.jsonl (heuristic_summary.py" "$dir" || true
#
# Usage: tests/generators/wireshark_heuristic.sh [CORPUS_DIR]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-"$here/../../captures/synthetic/esp"}
out="$dir/wireshark-heuristic.tsv"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

printf 'file\tframe\tsrc\tdst\tsrc_port\tdst_port\tspi\tseq\tnull_decoded\tnext_header\ticv_len\tpad_len\tinner_protocols\tmalformed\n' >"$tmp"
for pcap in "$dir"/*.pcap; do
    case "$pcap" in *.inner.pcap) continue ;; esac
    name=$(basename "$pcap")
    # An empty configuration directory: no ESP SA table, so every packet goes through the heuristic.
    XDG_CONFIG_HOME=/nonexistent tshark -n -r "$pcap" \
        -o esp.enable_null_encryption_decode_heuristic:TRUE \
        -o esp.enable_encryption_decode:FALSE -o esp.enable_authentication_check:FALSE \
        -T fields -E separator=/t -E occurrence=f \
        -e frame.number -e ip.src -e ipv6.src -e ip.dst -e ipv6.dst -e udp.srcport -e udp.dstport \
        -e esp.spi -e esp.sequence -e esp.protocol -e esp.pad_len -e esp.icv -e frame.protocols -e _ws.malformed \
        2>/dev/null |
    awk -F '\t' -v OFS='\t' -v file="$name" '
    function hex(s,   i, v) {
        v = 0; s = tolower(s); sub(/^0x/, "", s)
        for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
        return v
    }
    {
        src = ($2 != "") ? $2 : $3; dst = ($4 != "") ? $4 : $5
        spi = $8; seq = $9; nh = $10; pad = $11; icv = $12; protos = $13; mal = ($14 != "") ? 1 : 0
        inner = ""; decoded = 0
        n = split(protos, p, ":")
        for (i = 1; i <= n; i++) if (p[i] == "esp") { for (j = i + 1; j <= n; j++) inner = inner (inner == "" ? "" : ":") p[j]; break }
        if (spi != "" && (nh != "" || inner != "")) decoded = 1
        icvlen = (icv != "" && decoded) ? length(icv) / 2 : ""
        if (nh != "") nh = hex(nh)
        if (spi == "") { seq = ""; nh = ""; pad = ""; icvlen = ""; inner = "" ; decoded = "" }
        print file, $1, src, dst, $6, $7, spi, seq, decoded, nh, icvlen, pad, inner, mal
    }' >>"$tmp"
done
mv "$tmp" "$out"
trap - EXIT
echo "wrote $out ($(($(wc -l <"$out") - 1)) frames)"
/usr/bin/python3 "$here/heuristic_summary.py" "$dir"
