#!/bin/sh
# Regenerates the IKE test oracle: the synthetic SK vectors, then tshark's view of every capture.
# Needs the Debian python with scapy and cryptography, and tshark.
set -e
cd "$(dirname "$0")"
/usr/bin/python3 make_sk_vectors.py
/usr/bin/python3 make_oracle.py
