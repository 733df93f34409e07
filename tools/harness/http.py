"""Plain HTTP reads of the services' own endpoints (/readyz, /metrics)."""

from __future__ import annotations

import urllib.error
import urllib.request

from .ui import Fatal


def get_status(url: str, timeout: float = 2) -> int:
    """The HTTP status of a GET, or 0 when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (OSError, ValueError):
        return 0


def get_text(url: str, timeout: float = 10) -> str:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read().decode(errors="replace")
    except (OSError, ValueError) as error:
        raise Fatal(f"GET {url} failed: {error}") from None


def metric_value(metrics_text: str, series: str) -> float:
    """The value of one Prometheus series (its full text, labels included), or -1 when absent."""
    for line in metrics_text.splitlines():
        if line.startswith(series + " "):
            return float(line[len(series) + 1:].split()[0])
    return -1.0
