"""Implicit TLS client for rr-tcp's tests: sends 'ctx', prints the negotiated version and the server's answer.

usage: tls_client.py PORT CA_FILE [CLIENT_CERT CLIENT_KEY]
"""
import socket
import ssl
import sys

port, ca = int(sys.argv[1]), sys.argv[2]
context = ssl.create_default_context(cafile=ca)
if len(sys.argv) > 4:
    context.load_cert_chain(sys.argv[3], sys.argv[4])
with socket.create_connection(("127.0.0.1", port), timeout=20) as raw:
    with context.wrap_socket(raw, server_hostname="localhost") as tls:
        tls.sendall(b"ctx\n")
        answer = b""
        while not answer.endswith(b"\n"):
            chunk = tls.recv(4096)
            if not chunk:
                break
            answer += chunk
        print("version", tls.version())
        print("answer", answer.decode().strip())
