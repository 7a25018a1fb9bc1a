"""Compute resources as Jobmon 3 scripts write them, turned into the server's ResourcesInput.

One place for the rules: cluster names, resource keys, memory and runtime formats, resource scales.
"""

from __future__ import annotations

import math
import re
from typing import Any, Dict, List, Mapping, Optional

from jobmon.client.exceptions import InvalidResourcesError

#: Cluster names a script may use, and the backend each means (``multiprocess`` is Jobmon 3's ``local``).
CLUSTERS: Dict[str, str] = {
    "local": "local",
    "multiprocess": "local",
    "sequential": "sequential",
    "dummy": "dummy",
    "slurm": "slurm",
}

_MEMORY_UNITS = {"k": 1 / 1024, "m": 1.0, "g": 1024.0, "t": 1024.0 * 1024.0}
_MEMORY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:([kKmMgGtT])(?:i?[bB])?)?\s*$")
_TIME_UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1}
_CLOCK = re.compile(r"^(?:(\d+)-)?(\d+)(?::(\d{1,2}))(?::(\d{1,2}))?$")
_UNITS = re.compile(r"^(?:\d+(?:\.\d+)?\s*[dhmsDHMS]\s*)+$")

#: Keys that become fields of ResourcesInput; every other key is carried to the backend in ``extra``.
_KEY_ALIASES = {
    "cores": "cores",
    "num_cores": "cores",
    "memory": "memory",
    "mem": "memory",
    "runtime": "runtime",
    "max_runtime_seconds": "runtime",
    "queue": "queue",
}
#: Jobmon 3's names of backend flags, as the Slurm backend reads them from ``extra``.
_EXTRA_ALIASES = {"project": "account", "account": "account", "constraints": "constraints"}


def cluster_backend(cluster_name: str, where: str) -> str:
    """The backend a cluster name means; an unknown name is a definition error naming ``where``."""
    backend = CLUSTERS.get(cluster_name)
    if backend is None:
        raise InvalidResourcesError(
            f"{where}: unknown cluster {cluster_name!r} (one of {', '.join(sorted(CLUSTERS))})"
        )
    return backend


def parse_memory_mb(value: Any) -> int:
    """MiB from a number of MiB or a size such as "1G", "512M", "512MB", "1.5GiB"."""
    if isinstance(value, bool):
        raise ValueError(f"invalid memory {value!r}: use MiB or a size such as '8G'")
    if isinstance(value, (int, float)):
        if not math.isfinite(value) or value <= 0:
            raise ValueError(f"invalid memory {value!r}: must be positive")
        return int(math.ceil(value))
    match = _MEMORY.match(str(value))
    if not match:
        raise ValueError(f"invalid memory {value!r}: use MiB or a size such as '8G' or '512M'")
    amount = float(match.group(1)) * _MEMORY_UNITS[(match.group(2) or "m").lower()]
    if amount <= 0:
        raise ValueError(f"invalid memory {value!r}: must be positive")
    return int(math.ceil(amount))


def parse_runtime_seconds(value: Any) -> int:
    """Seconds from seconds or a string: "1m", "2h", "1h30m", "45s", "1d", "HH:MM:SS", "D-HH:MM:SS"."""
    if isinstance(value, bool):
        raise ValueError(f"invalid runtime {value!r}: use seconds or e.g. '2h'")
    if isinstance(value, (int, float)):
        if not math.isfinite(value) or value <= 0:
            raise ValueError(f"invalid runtime {value!r}: must be positive")
        return int(math.ceil(value))
    text = str(value).strip()
    seconds: Optional[float] = None
    if re.match(r"^\d+(?:\.\d+)?$", text):
        seconds = float(text)
    elif _CLOCK.match(text):
        days, first, second, third = _CLOCK.match(text).groups()  # type: ignore[union-attr]
        parts = [int(p) for p in (first, second, third) if p is not None]
        while len(parts) < 3:
            parts.insert(0, 0)
        hours, minutes, secs = parts
        if minutes >= 60 or secs >= 60:
            raise ValueError(f"invalid runtime {value!r}: minutes and seconds must be below 60")
        seconds = int(days or 0) * 86400 + hours * 3600 + minutes * 60 + secs
    elif _UNITS.match(text):
        seconds = sum(
            float(amount) * _TIME_UNITS[unit.lower()]
            for amount, unit in re.findall(r"(\d+(?:\.\d+)?)\s*([dhmsDHMS])", text)
        )
    if seconds is None:
        raise ValueError(f"invalid runtime {value!r}: use seconds, '1m', '2h', '1h30m' or 'HH:MM:SS'")
    if seconds <= 0:
        raise ValueError(f"invalid runtime {value!r}: must be positive")
    return int(math.ceil(seconds))


def to_resources_input(
    cluster_name: Optional[str], resources: Mapping[str, Any], where: str
) -> Dict[str, Any]:
    """The ResourcesInput of a task's merged compute resources on ``cluster_name``.

    ``queue`` (and fallback queues) name Slurm partitions; on the machine's own backends (local,
    sequential, dummy) Jobmon 3 scripts name placeholder queues such as "null.q", so they are dropped:
    the task then runs on whichever distributor serves the server.
    """
    problems: List[str] = []
    out: Dict[str, Any] = {}
    extra: Dict[str, Any] = {}
    backend = cluster_backend(cluster_name, where) if cluster_name else None
    for raw_key, value in resources.items():
        if value is None:
            continue
        key = _KEY_ALIASES.get(raw_key)
        try:
            if key == "cores":
                if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                    raise ValueError(f"invalid cores {value!r}: must be a positive integer")
                out["cores"] = value
            elif key == "memory":
                out["memoryMb"] = parse_memory_mb(value)
            elif key == "runtime":
                out["runtimeSeconds"] = parse_runtime_seconds(value)
            elif key == "queue":
                if backend in (None, "slurm"):
                    out["queue"] = str(value)
            else:
                extra[_EXTRA_ALIASES.get(raw_key, raw_key)] = value
        except ValueError as error:
            problems.append(f"{where}: {error}")
    if extra:
        out["extra"] = extra
    if problems:
        raise InvalidResourcesError("; ".join(problems), problems)
    return out


def to_resource_scales(scales: Optional[Mapping[str, Any]], where: str) -> Optional[Dict[str, float]]:
    """ResourceScalesInput from Jobmon 3's {"memory": 0.5, "runtime": 0.5} (numbers only)."""
    if not scales:
        return None
    out: Dict[str, float] = {}
    problems: List[str] = []
    for key, value in scales.items():
        if key not in ("memory", "runtime"):
            continue  # Jobmon 3 scales only these two; others (e.g. cores) it ignores too
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            problems.append(
                f"{where}: resource scale {key!r} must be a non-negative number "
                f"(callables and iterators are not supported), got {value!r}"
            )
        else:
            out[key] = float(value)
    if problems:
        raise InvalidResourcesError("; ".join(problems), problems)
    return out or None


def merge_resources(*layers: Optional[Mapping[str, Any]]) -> Dict[str, Any]:
    """Key-wise merge, later layers winning (workflow < tool < template < task, as in Jobmon 3)."""
    merged: Dict[str, Any] = {}
    for layer in layers:
        if layer:
            merged.update(layer)
    return merged
