"""The order service verifying an identity provider's tokens: a real HTTPS issuer started here
(discovery and a JWKS, a test CA and keys made with OpenSSL through Python's cryptography, tokens
signed by PyJWT), and order-service binaries started by hand against a running stack's database
and NATS with nothing but the OIDC settings.

Run by `./dev test` (phase "identity provider (OIDC)") on its test stack; by hand:

    (set -a; . .stack-test/env; set +a; ORDER_SERVICE_BINARY=build/order-service/order-service \\
     /usr/bin/python3 -m pytest tests/oidc -v)
"""

from __future__ import annotations

import base64
import datetime
import json
import os
import socket
import ssl
import struct
import subprocess
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import jwt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

REPO = Path(__file__).resolve().parents[2]
BINARY = os.environ.get("ORDER_SERVICE_BINARY",
                        str(REPO / "build" / "order-service" / "order-service"))
MONITOR_BINARY = str(Path(BINARY).parents[1] / "event-monitor" / "event-monitor")
CLIENT_ID = "orders-api"
REFRESH_SECONDS = 2  # JWKS_REFRESH_INTERVAL of the service under test
SETTLE_SECONDS = 60.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def poll(condition, what: str, timeout: float = SETTLE_SECONDS):
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.1)


# --- the identity provider ---------------------------------------------------------------------

class IssuerCa:
    """A CA and a server certificate for 127.0.0.1 and localhost signed by it."""

    def __init__(self, folder: Path):
        now = datetime.datetime.now(datetime.timezone.utc)
        ca_key = ec.generate_private_key(ec.SECP256R1())
        ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "choreo test CA")])
        ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
              .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
              .not_valid_before(now - datetime.timedelta(minutes=5))
              .not_valid_after(now + datetime.timedelta(days=1))
              .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
              .sign(ca_key, hashes.SHA256()))
        server_key = ec.generate_private_key(ec.SECP256R1())
        server = (x509.CertificateBuilder()
                  .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
                  .issuer_name(ca_name).public_key(server_key.public_key())
                  .serial_number(x509.random_serial_number())
                  .not_valid_before(now - datetime.timedelta(minutes=5))
                  .not_valid_after(now + datetime.timedelta(days=1))
                  .add_extension(x509.SubjectAlternativeName([
                      x509.DNSName("localhost"),
                      x509.IPAddress(__import__("ipaddress").ip_address("127.0.0.1"))]),
                      critical=False)
                  .sign(ca_key, hashes.SHA256()))
        self.ca_file = folder / "ca.pem"
        self.ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
        self.cert_file = folder / "server.pem"
        self.cert_file.write_bytes(server.public_bytes(serialization.Encoding.PEM))
        self.key_file = folder / "server-key.pem"
        self.key_file.write_bytes(server_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()))


class SigningKey:
    def __init__(self, kid: str, kind: str):
        self.kid = kid
        if kind == "RS256":
            self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            self.jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.private.public_key()))
        else:
            self.private = ec.generate_private_key(ec.SECP256R1())
            self.jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(self.private.public_key()))
        self.algorithm = kind
        self.jwk.update({"kid": kid, "use": "sig"})

    def public_pem(self) -> bytes:
        return self.private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


class Issuer:
    """Discovery and a JWKS over HTTPS (or plain HTTP), as Keycloak serves them; what it
    publishes can change, and it can be stopped."""

    def __init__(self, ca: IssuerCa | None, realm: str = "test"):
        self.port = free_port()
        scheme = "https" if ca else "http"
        self.url = f"{scheme}://127.0.0.1:{self.port}/realms/{realm}"
        self.keys: list[SigningKey] = []
        self.jwks_fetches = 0
        self.lock = threading.Lock()
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (the stdlib's name)
                prefix = f"/realms/{realm}"
                if self.path == f"{prefix}/.well-known/openid-configuration":
                    body = {"issuer": issuer.url, "jwks_uri": f"{issuer.url}/protocol/certs"}
                elif self.path == f"{prefix}/protocol/certs":
                    with issuer.lock:
                        issuer.jwks_fetches += 1
                        body = {"keys": [key.jwk for key in issuer.keys]}
                else:
                    self.send_error(404)
                    return
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Cache-Control", "max-age=300")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        if ca:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(ca.cert_file, ca.key_file)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def publish(self, *keys: SigningKey) -> None:
        with self.lock:
            self.keys = list(keys)

    def fetches(self) -> int:
        with self.lock:
            return self.jwks_fetches

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def token(key: SigningKey, issuer: Issuer, *, kid: str | None = None, sub: str = "demo",
          audience: str = CLIENT_ID, expires_in: int = 600, iss: str | None = None,
          roles: tuple[str, ...] = ("user",)) -> str:
    now = int(time.time())
    claims = {"sub": sub, "iss": iss or issuer.url, "aud": audience, "iat": now,
              "exp": now + expires_in, "realm_access": {"roles": list(roles)}}
    return jwt.encode(claims, key.private, algorithm=key.algorithm,
                      headers={"kid": kid or key.kid})


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


# --- the service under test ---------------------------------------------------------------------

class OrderService:
    """A service binary started by hand: the order service, or (`binary`, `database_url`) another
    one that verifies tokens."""

    def __init__(self, env: dict[str, str], log: Path, binary: str = BINARY,
                 database_url: str | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        base = {"PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/"),
                "LISTEN_ADDR": f"127.0.0.1:{self.port}",
                "DATABASE_URL": database_url or os.environ["ORDER_SERVICE_DATABASE_URL"],
                "NATS_URL": os.environ["NATS_URL"]}
        self.log = log
        self.output = open(log, "w")
        self.process = subprocess.Popen([binary], env={**base, **env}, stdout=self.output,
                                        stderr=subprocess.STDOUT)
        poll(self.ready, f"{Path(binary).name} on {self.url} to be ready (log: {log})")

    def ready(self) -> bool:
        if self.process.poll() is not None:
            pytest.fail(f"the order service exited {self.process.returncode}: "
                        f"{self.log.read_text()[-2000:]}")
        try:
            return httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def query(self, bearer: str) -> httpx.Response:
        return httpx.post(f"{self.url}/graphql", json={"query": "{ products { sku } }"},
                          headers={"Authorization": f"Bearer {bearer}"}, timeout=15)

    def accepted(self, bearer: str) -> bool:
        response = self.query(bearer)
        if response.status_code == 200:
            assert "errors" not in response.json(), response.text
            return True
        assert response.status_code == 401, response.text
        return False

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.output.close()


def websocket_init(url: str, bearer: str) -> str:
    """GraphQL over WebSocket's connection_init with the token: the server's first answer,
    'connection_ack' or 'close <code>'."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        key = b64(os.urandom(16)) + "=="
        connection.sendall((f"GET /graphql HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\n"
                            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                            "Sec-WebSocket-Version: 13\r\n"
                            "Sec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n").encode())
        reply = b""
        while b"\r\n\r\n" not in reply:
            reply += connection.recv(4096)
        assert b" 101 " in reply.split(b"\r\n")[0], reply
        rest = reply.split(b"\r\n\r\n", 1)[1]
        payload = json.dumps({"type": "connection_init",
                              "payload": {"Authorization": f"Bearer {bearer}"}}).encode()
        mask = os.urandom(4)
        header = bytes([0x81]) + (bytes([0x80 | 126]) + struct.pack("!H", len(payload))
                                  if len(payload) > 125 else bytes([0x80 | len(payload)]))
        connection.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
        data = rest
        while len(data) < 2 or len(data) < 2 + (data[1] & 0x7F):
            data += connection.recv(4096)
        opcode, length = data[0] & 0x0F, data[1] & 0x7F
        offset = 2
        if length == 126:
            while len(data) < 4:
                data += connection.recv(4096)
            length, offset = struct.unpack("!H", data[2:4])[0], 4
        while len(data) < offset + length:
            data += connection.recv(4096)
        body = data[offset:offset + length]
        if opcode == 0x8:
            return f"close {struct.unpack('!H', body[:2])[0]}"
        return json.loads(body)["type"]


# --- fixtures -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def folder():
    """Where the certificates and the services' logs go: OIDC_TEST_DIR (./dev test gives one in
    its stack's folder, so the logs outlive a failure), else a temporary folder."""
    if os.environ.get("OIDC_TEST_DIR"):
        path = Path(os.environ["OIDC_TEST_DIR"])
        path.mkdir(parents=True, exist_ok=True)
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="choreo-oidc-") as path:
        yield Path(path)


@pytest.fixture(scope="module")
def ca(folder):
    return IssuerCa(folder)


@pytest.fixture(scope="module")
def keys():
    return {"rsa": SigningKey("rsa-1", "RS256"), "ec": SigningKey("ec-1", "ES256"),
            "rotated": SigningKey("rsa-2", "RS256")}


@pytest.fixture(scope="module")
def issuer(ca, keys):
    served = Issuer(ca)
    served.publish(keys["rsa"], keys["ec"])
    yield served
    served.stop()


@pytest.fixture(scope="module")
def service(issuer, ca, folder):
    started = OrderService({"OIDC_ISSUER_URL": issuer.url, "OIDC_CLIENT_ID": CLIENT_ID,
                            "OIDC_CA_FILE": str(ca.ca_file),
                            "JWKS_REFRESH_INTERVAL": f"{REFRESH_SECONDS}s",
                            "JWKS_CACHE_MIN": f"{REFRESH_SECONDS}s",
                            "JWT_ROLES_CLAIM": "realm_access.roles"},
                           folder / "order-service-https.log")
    yield started
    started.stop()


# --- the tests, in order: the rotation and the outage change the issuer -----------------------

def test_valid_rs256_and_es256_tokens_are_accepted(service, issuer, keys):
    assert service.accepted(token(keys["rsa"], issuer))
    assert service.accepted(token(keys["ec"], issuer, sub="ec-user"))
    assert websocket_init(service.url, token(keys["rsa"], issuer)) == "connection_ack"


def test_bad_tokens_are_refused_with_401(service, issuer, keys):
    rsa_key = keys["rsa"]
    refused = {
        "unknown kid": token(rsa_key, issuer, kid="nobody"),
        "wrong issuer": token(rsa_key, issuer, iss="https://elsewhere.test/realms/test"),
        "wrong audience": token(rsa_key, issuer, audience="another-client"),
        "expired": token(rsa_key, issuer, expires_in=-3600),
        "signed by another key": token(keys["rotated"], issuer, kid="rsa-1"),
    }
    good = token(rsa_key, issuer)
    head, payload, signature = good.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = "someone-else"
    refused["tampered"] = ".".join([head, b64(json.dumps(claims).encode()), signature])
    refused["alg none"] = ".".join([b64(b'{"alg":"none","typ":"JWT"}'),
                                    b64(json.dumps(claims).encode()), ""])
    # HS256 with the provider's public key as the HMAC secret (algorithm confusion). PyJWT
    # refuses to sign that with a PEM, so the signature is made by hand.
    import hashlib
    import hmac
    confused_head = b64(json.dumps({"alg": "HS256", "kid": "rsa-1", "typ": "JWT"}).encode())
    confused_body = b64(json.dumps({**claims, "sub": "demo"}).encode())
    mac = hmac.new(rsa_key.public_pem(), f"{confused_head}.{confused_body}".encode(),
                   hashlib.sha256).digest()
    refused["HS256 with the RSA key"] = f"{confused_head}.{confused_body}.{b64(mac)}"
    for what, bad in refused.items():
        response = service.query(bad)
        assert response.status_code == 401, f"{what}: {response.status_code} {response.text}"
    assert websocket_init(service.url, refused["wrong audience"]) == "close 4403"


def test_the_event_monitor_takes_the_providers_operator_tokens(issuer, ca, keys, folder):
    monitor = OrderService({"OIDC_ISSUER_URL": issuer.url, "OIDC_CLIENT_ID": CLIENT_ID,
                            "OIDC_CA_FILE": str(ca.ca_file),
                            "JWT_ROLES_CLAIM": "realm_access.roles"},
                           folder / "event-monitor-https.log", binary=MONITOR_BINARY,
                           database_url=os.environ["EVENT_MONITOR_DATABASE_URL"])
    try:
        def overview(bearer: str) -> int:
            return httpx.get(f"{monitor.url}/api/overview", timeout=15,
                             headers={"Authorization": f"Bearer {bearer}"}).status_code

        assert overview(token(keys["rsa"], issuer, sub="ops", roles=("operator",))) == 200
        assert overview(token(keys["ec"], issuer, sub="shopper")) == 403, "no operator role"
        assert overview(token(keys["rsa"], issuer, roles=("operator",), audience="x")) == 401
    finally:
        monitor.stop()


def test_a_burst_of_unknown_kids_is_rate_limited(service, issuer, keys):
    before = issuer.fetches()
    started = time.monotonic()
    for _ in range(40):
        assert service.query(token(keys["rsa"], issuer, kid=f"forged-{uuid.uuid4()}")) \
            .status_code == 401
    elapsed = time.monotonic() - started
    allowed = int(elapsed // REFRESH_SECONDS) + 2
    fetched = issuer.fetches() - before
    assert fetched <= allowed, f"{fetched} JWKS fetches for 40 unknown kids in {elapsed:.1f} s"


def test_a_rotated_key_is_picked_up_without_a_restart(service, issuer, keys):
    issuer.publish(keys["rotated"], keys["ec"])  # rsa-1 removed, rsa-2 new
    new = token(keys["rotated"], issuer, sub="rotated-user")
    started = time.monotonic()
    poll(lambda: service.accepted(new), "the new key to be accepted", timeout=30)
    assert time.monotonic() - started < 30
    assert service.query(token(keys["rsa"], issuer)).status_code == 401, "the removed key"


def test_known_keys_keep_working_while_the_issuer_is_down(service, issuer, keys):
    known = token(keys["ec"], issuer, sub="while-down")
    assert service.accepted(known)
    issuer.stop()
    # An unknown kid makes the service try the issuer, which no longer answers.
    service.query(token(keys["ec"], issuer, kid="unknown-while-down"))

    def reports_down():
        service.query(token(keys["ec"], issuer, kid=f"u-{uuid.uuid4()}"))
        ready = httpx.get(f"{service.url}/readyz", timeout=5)
        return ready.status_code == 200 and \
            ready.json()["checks"].get("identity_provider") == "down" and ready

    ready = poll(reports_down, "/readyz to report the identity provider down (and stay 200)")
    assert ready.json()["status"] == "ready"
    assert service.accepted(known), "a known key verifies while the issuer is down"
    assert service.accepted(token(keys["ec"], issuer, sub="fresh-token-while-down"))
    metrics = httpx.get(f"{service.url}/metrics", timeout=5).text
    assert "choreo_oidc_keys_reachable 0" in metrics


def test_only_the_seeds_variables_are_needed(folder, keys):
    """DATABASE_URL, NATS_URL, LISTEN_ADDR, OIDC_ISSUER_URL and OIDC_CLIENT_ID, nothing else
    (a plain-http issuer on loopback, since the test CA is not in the system's store)."""
    plain = Issuer(None, realm="seed")
    plain.publish(keys["rsa"])
    try:
        started = OrderService({"OIDC_ISSUER_URL": plain.url, "OIDC_CLIENT_ID": CLIENT_ID},
                               folder / "order-service-seed.log")
        try:
            assert started.accepted(token(keys["rsa"], plain))
            assert started.query(token(keys["rsa"], plain, audience="x")).status_code == 401
        finally:
            started.stop()
    finally:
        plain.stop()
