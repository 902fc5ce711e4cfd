#!/usr/bin/python3
"""Turns off transmit checksum offload on IFACE (ETHTOOL_STXCSUM, as `ethtool -K IFACE tx off` does).

Usage: disable_tx_checksum.py IFACE

A veth end with the offload on hands its frames on with the TCP/UDP checksum left for hardware that never computes
it; a bridge that captures and re-injects such a frame delivers it with a bad checksum and the receiver drops it.
On real interfaces the checksum is complete on the wire, so this is for the test's veth pairs only.
"""
import ctypes
import fcntl
import socket
import struct
import sys

SIOCETHTOOL = 0x8946
ETHTOOL_STXCSUM = 0x00000017

value = ctypes.create_string_buffer(struct.pack("II", ETHTOOL_STXCSUM, 0))
request = struct.pack("16sP", sys.argv[1].encode(), ctypes.addressof(value))
with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
    fcntl.ioctl(s.fileno(), SIOCETHTOOL, request)
