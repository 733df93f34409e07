"""A stack's settings, kept in stack.conf so that every later command on the stack (from a test,
in another process) sees the ports, profile and binaries the stack was brought up with."""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from pathlib import Path

from .services import SERVICES, variable_stem

HEADER = "# Written by ./dev; read by every ./dev stack command on this stack. Do not edit.\n"

# An identity provider's settings, passed from `./dev up`'s environment to the order service and
# the event monitor (docs/configuration.md#identity-providers).
IDENTITY_PROVIDER_VARIABLES = ("OIDC_ISSUER_URL", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET",
                               "OIDC_AUDIENCE", "OIDC_CA_FILE", "JWKS_FILE", "JWT_ROLES_CLAIM",
                               "JWT_SUBJECT_CLAIM",
                               "JWT_LEEWAY")


@dataclass
class StackConfig:
    profile: str = "default"
    port_mode: str = "fixed"  # fixed (the ./dev up stack) or free
    build_dir: Path = Path("build")
    log_level: str = "info"
    log_format: str = "text"
    pg_port: int = 0
    # One node: its client and monitoring ports. A cluster (nats_cluster): three of each, node 1
    # first, plus the cluster (route) ports.
    nats_cluster: bool = False
    nats_ports: list[int] = field(default_factory=list)
    nats_monitor_ports: list[int] = field(default_factory=list)
    nats_cluster_ports: list[int] = field(default_factory=list)
    service_ports: dict[str, int] = field(default_factory=dict)
    # A database per service on the one server (./dev up --split-databases), each reached only
    # by its service's URL; otherwise one database, `orders`, with every service's schema.
    split_databases: bool = False
    # IDENTITY_PROVIDER_VARIABLES the stack's services were given (the ./dev up stack only).
    identity_provider: dict[str, str] = field(default_factory=dict)

    @property
    def nats_port(self) -> int:
        return self.nats_ports[0]

    @property
    def nats_monitor_port(self) -> int:
        return self.nats_monitor_ports[0]

    def every_port(self) -> list[int]:
        return [self.pg_port, *self.nats_ports, *self.nats_monitor_ports,
                *self.nats_cluster_ports, *self.service_ports.values()]

    def to_text(self) -> str:
        values = {
            "STACK_PROFILE": self.profile, "STACK_PORT_MODE": self.port_mode,
            "STACK_BUILD_DIR": str(self.build_dir), "STACK_LOG_LEVEL": self.log_level,
            "STACK_LOG_FORMAT": self.log_format, "PG_PORT": str(self.pg_port),
            "NATS_PORT": str(self.nats_port), "NATS_MONITOR_PORT": str(self.nats_monitor_port),
            "NATS_CLUSTER": "yes" if self.nats_cluster else "no",
            "NATS_NODE_PORTS": " ".join(map(str, self.nats_ports)),
            "NATS_NODE_MONITOR_PORTS": " ".join(map(str, self.nats_monitor_ports)),
            "NATS_NODE_CLUSTER_PORTS": " ".join(map(str, self.nats_cluster_ports)),
            "SPLIT_DATABASES": "yes" if self.split_databases else "no",
        }
        for service in SERVICES:
            values[f"PORT_{variable_stem(service)}"] = str(self.service_ports.get(service, ""))
        for name, value in self.identity_provider.items():
            values[f"IDP_{name}"] = value
        return HEADER + "".join(f"{key}={shlex.quote(value)}\n" for key, value in values.items())

    @staticmethod
    def from_text(text: str) -> "StackConfig":
        values: dict[str, str] = {}
        for line in text.splitlines():
            line = line.strip()
            if not line or line.startswith("#") or "=" not in line:
                continue
            key, _, raw = line.partition("=")
            parts = shlex.split(raw) if raw else []
            values[key] = parts[0] if parts else ""

        def ports(key: str, fallback: str = "") -> list[int]:
            return [int(port) for port in (values.get(key) or fallback).split()]

        # A stack.conf written before clusters existed names only NATS_PORT and NATS_MONITOR_PORT.
        return StackConfig(
            profile=values.get("STACK_PROFILE", "default"),
            port_mode=values.get("STACK_PORT_MODE", "fixed"),
            build_dir=Path(values.get("STACK_BUILD_DIR", "build")),
            log_level=values.get("STACK_LOG_LEVEL", "info"),
            log_format=values.get("STACK_LOG_FORMAT", "text"),
            pg_port=int(values.get("PG_PORT") or 0),
            nats_cluster=values.get("NATS_CLUSTER") == "yes",
            nats_ports=ports("NATS_NODE_PORTS", values.get("NATS_PORT", "")),
            nats_monitor_ports=ports("NATS_NODE_MONITOR_PORTS", values.get("NATS_MONITOR_PORT",
                                                                           "")),
            nats_cluster_ports=ports("NATS_NODE_CLUSTER_PORTS"),
            split_databases=values.get("SPLIT_DATABASES") == "yes",
            service_ports={service: int(values[f"PORT_{variable_stem(service)}"])
                           for service in SERVICES
                           if values.get(f"PORT_{variable_stem(service)}")},
            identity_provider={name: values[f"IDP_{name}"]
                               for name in IDENTITY_PROVIDER_VARIABLES
                               if f"IDP_{name}" in values})

    def save(self, path: Path) -> None:
        partial = path.with_name(path.name + ".tmp")
        partial.write_text(self.to_text())
        partial.replace(path)

    @staticmethod
    def load(path: Path) -> "StackConfig":
        return StackConfig.from_text(path.read_text())
