"""A real RFC 3161 time-stamp authority on loopback for the tests: OpenSSL's ``openssl ts -reply``
behind a small HTTP handler, with a test CA (root + TSA certificate with the critical
timeStamping EKU) made at test time with ``cryptography``.

``TSA.down = True`` makes it answer 503, ``TSA.delay`` makes it slow, ``TSA.requests`` counts
the requests it answered (so tests can see batching and double stamps).
"""
from __future__ import annotations

import datetime
import subprocess
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

OPENSSL_CONF = """
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = {dir}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
other_policies = 1.2.3.4.5
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "KaDun test"),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _pem(cert) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def make_ca(directory: Path, label: str = "KaDun Test TSA") -> dict:
    """A root CA and a TSA certificate under it, written to ``directory``; returns the paths."""
    directory.mkdir(parents=True, exist_ok=True)
    now = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=1)
    root_key = ec.generate_private_key(ec.SECP256R1())
    root = (x509.CertificateBuilder().subject_name(_name(f"{label} Root")).issuer_name(_name(f"{label} Root"))
            .public_key(root_key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
            .sign(root_key, hashes.SHA256()))
    tsa_key = ec.generate_private_key(ec.SECP256R1())
    tsa = (x509.CertificateBuilder().subject_name(_name(label)).issuer_name(root.subject)
           .public_key(tsa_key.public_key()).serial_number(x509.random_serial_number())
           .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=3650))
           .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
           .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
           .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
           .sign(root_key, hashes.SHA256()))
    (directory / "root.pem").write_bytes(_pem(root))
    (directory / "tsa.pem").write_bytes(_pem(tsa))
    (directory / "chain.pem").write_bytes(_pem(tsa) + _pem(root))
    (directory / "tsa.key").write_bytes(tsa_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    (directory / "serial").write_text("01\n")
    (directory / "openssl.cnf").write_text(OPENSSL_CONF.format(dir=directory))
    return {"root": directory / "root.pem", "tsa": directory / "tsa.pem", "chain": directory / "chain.pem",
            "dir": directory}


class TSA:
    """``openssl ts -reply`` on 127.0.0.1:<port>; ``url`` is what KADUN_TSA_URL takes."""

    def __init__(self, directory: Path, label: str = "KaDun Test TSA", chain: bool = True):
        self.ca = make_ca(directory, label)
        self.label = label
        self.down = False
        self.delay = 0.0
        self.requests = 0
        self.started = 0  # requests received (answered or not yet)
        self.lock = threading.Lock()
        self.include_chain = chain
        tsa = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                tsa.started += 1
                if tsa.down:
                    self.send_error(503, "TSA down")
                    return
                if tsa.delay:
                    threading.Event().wait(tsa.delay)
                try:
                    reply = tsa.reply(body)
                except subprocess.CalledProcessError:
                    self.send_error(400, "bad request")
                    return
                with tsa.lock:
                    tsa.requests += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/tsr"

    def reply(self, query: bytes) -> bytes:
        with tempfile.TemporaryDirectory(prefix="kadun-tsa-") as tmp, self.lock:
            query_path, reply_path = Path(tmp) / "q.tsq", Path(tmp) / "r.tsr"
            query_path.write_bytes(query)
            cmd = ["openssl", "ts", "-reply", "-config", str(self.ca["dir"] / "openssl.cnf"), "-queryfile",
                   str(query_path), "-out", str(reply_path)]
            if self.include_chain:  # the token carries the TSA certificate and the root
                cmd += ["-chain", str(self.ca["chain"])]
            subprocess.run(cmd, check=True, capture_output=True, timeout=30)
            return reply_path.read_bytes()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def openssl_verify(reply: bytes, digest_hex: str, ca: dict, tmp: Path) -> subprocess.CompletedProcess:
    """``openssl ts -verify`` of a reply against the test root (an independent check)."""
    path = tmp / f"check-{digest_hex[:12]}.tsr"
    path.write_bytes(reply)
    return subprocess.run(["openssl", "ts", "-verify", "-in", str(path), "-digest", digest_hex,
                           "-CAfile", str(ca["root"]), "-untrusted", str(ca["tsa"])],
                          capture_output=True, text=True, timeout=30)
