#!/bin/sh
# Rebuilds the derived captures in captures/public and the tshark oracle files (*.tsv) beside this script,
# which CaptureFileReaderGoldenTests compare the reader against. Run after adding a capture to CAPTURES.
# Needs /usr/bin/python3, editcap and mergecap (wireshark-common) and tshark. Recorded with tshark 4.0.17.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
public=$(cd "$here/../../../../captures/public" && pwd)

CAPTURES="
tcpdump__tests__tcp-handshake-nano.pcap
nDPI__tests__cfgs__default__pcap__esp.pcapng
tcpdump__tests__ikev2pI2-segfault.pcapng
tcpdump__tests__isakmp-no-none-np.pcapng
tcpdump__tests__esp_truncated.pcap
tcpdump__tests__isakmp-rfc3948-oobr.pcap
zeek__testing__btest__Traces__linux_dlt_sll2.pcap
tcpdump__tests__LINKTYPE_IPV4.pcap
tcpdump__tests__ikev2four.pcap
suricata-verify__ikev2-weak-dh__IKEv2_SA_INIT_2-8-weak.pcap
synthetic__pcapng-sections-interfaces.pcapng
synthetic__big-endian-ikev2four.pcap
synthetic__big-endian-tcp-handshake-nano.pcap
synthetic__mergecap-sll-ethernet.pcapng
"

/usr/bin/python3 "$here/make_synthetic_captures.py" "$public"

# Two interfaces with different link types, records interleaved: the Linux SLL handshake is moved in time
# into the middle of the Ethernet IKE/ESP capture before merging.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
editcap -t 169195353.7 "$public/tcpdump__tests__tcp-handshake-nano.pcap" "$scratch/handshake-shifted.pcap"
mergecap -F pcapng -w "$public/synthetic__mergecap-sll-ethernet.pcapng" \
    "$scratch/handshake-shifted.pcap" "$public/nDPI__tests__cfgs__default__pcap__esp.pcapng"

for capture in $CAPTURES; do
    {
        echo "# tshark -r $capture -T fields -e frame.number -e frame.time_epoch -e frame.len -e frame.cap_len -e frame.interface_id -e frame.encap_type"
        tshark -r "$public/$capture" -T fields -e frame.number -e frame.time_epoch -e frame.len \
            -e frame.cap_len -e frame.interface_id -e frame.encap_type 2>/dev/null
    } > "$here/$capture.tsv"
done
