#!/usr/bin/env bash
# Regenerates captures/synthetic/ike/<scenario>/: a capture of visibility-peer's scripted exchange between two
# in-process peers (127.0.0.1 initiator, 127.0.0.2 responder; IKE_SA_INIT, IKE_AUTH, 2 pings through the Child SA,
# an empty INFORMATIONAL and a Delete), the Wireshark key files it exported (ikev2_decryption_table, esp_sa) and the
# peer's own record of every SA (sa.jsonl: SPIs, algorithms, expected ESP verdict).
# Run as root so the peers use UDP 500/4500. SPIs and keys are random: after regenerating, re-run
# tests/Visibility.Captures.Tests/Oracle/record.sh and tests/Visibility.Captures.Tests/Ike/Oracle/record_ike.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dotnet build "$root/src/Visibility.IkePeer" -c Release >/dev/null
peer="$root/src/Visibility.IkePeer/bin/Release/net10.0/visibility-peer.dll"
for scenario in null-sha256 aes128gcm16 cookie invalid-ke; do
  out="$root/captures/synthetic/ike/$scenario"
  tmp=$(mktemp -d)
  dotnet "$peer" scenario "$scenario" --out "$tmp" --send-ping 2
  mkdir -p "$out"
  cp "$tmp/capture.pcap" "$tmp/ikev2_decryption_table" "$tmp/esp_sa" "$tmp/sa.jsonl" "$out/"
  rm -rf "$tmp"
done
