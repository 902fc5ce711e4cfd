#!/usr/bin/python3
"""One real TCP exchange through the bridge, from the kernel's own stack: serve or fetch.

Usage: inline_tcp.py serve ADDRESS PORT   # accept one connection, read until EOF, send back the SHA-256 of it
       inline_tcp.py fetch ADDRESS PORT N # connect, send N bytes, print the hex digest received and whether it matches
"""
import hashlib
import socket
import sys

mode, address, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
if mode == "serve":
    with socket.create_server((address, port)) as server:
        print("listening", flush=True)
        server.settimeout(30)
        connection, _ = server.accept()
        with connection:
            digest = hashlib.sha256()
            while chunk := connection.recv(65536):
                digest.update(chunk)
            connection.sendall(digest.hexdigest().encode())
else:
    data = bytes(i % 251 for i in range(int(sys.argv[4])))
    with socket.create_connection((address, port), timeout=30) as connection:
        connection.sendall(data)
        connection.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := connection.recv(4096):
            answer += chunk
    print("match" if answer.decode() == hashlib.sha256(data).hexdigest() else "mismatch " + answer.decode())
