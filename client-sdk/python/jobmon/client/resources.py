"""Compute resources as Jobmon 3 scripts write them, turned into the server's ResourcesInput.

One place for the client's rules: cluster names, resource keys, resource scales. Memory and runtime are
read by the core's rule (core/src/resources.ts), from its tables and patterns in ``_core_rules`` and held
to it by core/conformance/resources.json.
"""

from __future__ import annotations

import math
from typing import Any, Dict, List, Mapping, Optional

from jobmon.client._core_rules import (
    AMOUNT_PATTERN,
    BACKEND_NAMES,
    CLOCK_PATTERN,
    DURATION_PART_PATTERN,
    MAX_RESOURCE_AMOUNT,
    MAX_SCALE_FACTORS,
    MEMORY_PATTERN,
    MEMORY_UNITS,
    SECONDS_PER_UNIT,
    SERVER_BACKEND_NAMES,
)
from jobmon.client.exceptions import InvalidResourcesError

#: Cluster names a script may use, and the backend each means (``multiprocess`` is Jobmon 3's ``local``).
CLUSTERS: Dict[str, str] = {
    **{name: name for name in SERVER_BACKEND_NAMES},
    "multiprocess": "local",
}
#: The backends of this machine, where a queue means nothing.
LOCAL_BACKENDS = frozenset(BACKEND_NAMES)

_UNIT_ORDER = "".join(SECONDS_PER_UNIT)

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


def _positive_whole(amount: float) -> Optional[int]:
    # Round up: a task must get at least what it asked for.
    if isinstance(amount, int):  # exact, however large (a float would overflow)
        return amount if 0 < amount <= MAX_RESOURCE_AMOUNT else None
    if not (amount > 0 and math.isfinite(amount)):
        return None
    whole = math.ceil(amount)
    return whole if whole <= MAX_RESOURCE_AMOUNT else None


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def parse_memory_mb(value: Any) -> int:
    """Whole MiB (rounded up) from a number of MiB or a size such as "8G", "512M", "512MB", "1.5GiB"."""
    mib: Optional[int] = None
    if _is_number(value):
        mib = _positive_whole(value)
    elif isinstance(value, str):
        match = MEMORY_PATTERN.match(value.strip())
        if match:
            mib = _positive_whole(float(match.group(1)) * MEMORY_UNITS[(match.group(2) or "m").lower()])
    if mib is None:
        raise InvalidResourcesError(
            f"invalid memory {value!r}: expected a positive amount such as 512M, 8G or 1.5T"
        )
    return mib


def _unit_duration(text: str) -> Optional[float]:
    """Seconds of "1h30m", "90s", "1.5h": parts in decreasing unit order, each unit at most once."""
    total = 0.0
    last_rank = -1
    position = 0
    while position < len(text):
        match = DURATION_PART_PATTERN.match(text, position)
        if not match:
            return None
        unit = match.group(2).lower()
        rank = _UNIT_ORDER.index(unit)
        if rank <= last_rank:
            return None
        last_rank = rank
        total += float(match.group(1)) * SECONDS_PER_UNIT[unit]
        position = match.end()
    return total


def _clock(text: str) -> Optional[int]:
    """Slurm's "MM:SS", "HH:MM:SS", "D-HH", "D-HH:MM", "D-HH:MM:SS"; the leading field is unbounded."""
    match = CLOCK_PATTERN.match(text)
    if not match:
        return None
    days, first, second, third = match.groups()
    if days is None:
        if second is None:
            return None  # a bare number is seconds, read by the caller
        hours = 0 if third is None else int(first)
        minutes = int(first) if third is None else int(second)
        seconds = int(third if third is not None else second)
        if (third is not None and minutes >= 60) or seconds >= 60:
            return None
        return hours * 3600 + minutes * 60 + seconds
    hours = int(first)
    minutes = int(second or 0)
    seconds = int(third or 0)
    if hours >= 24 or minutes >= 60 or seconds >= 60:
        return None
    return int(days) * 86400 + hours * 3600 + minutes * 60 + seconds


def parse_runtime_seconds(value: Any) -> int:
    """Whole seconds (rounded up) from seconds or "90s", "30m", "2h", "1d", "1h30m", "HH:MM:SS", "D-HH:MM:SS"."""
    seconds: Optional[int] = None
    if _is_number(value):
        seconds = _positive_whole(value)
    elif isinstance(value, str):
        text = value.strip()
        amount: Optional[float] = None
        if AMOUNT_PATTERN.match(text):
            amount = float(text)
        elif ":" in text or "-" in text:
            amount = _clock(text)
        elif text:
            amount = _unit_duration(text)
        if amount is not None:
            seconds = _positive_whole(amount)
    if seconds is None:
        raise InvalidResourcesError(
            f"invalid runtime {value!r}: expected a positive duration such as 3600, 90s, 30m, 1h30m, "
            "2:30:00 or 1-12:00:00"
        )
    return seconds


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
                if not is_cores(value):
                    raise ValueError(f"invalid cores {value!r}: must be a positive integer")
                out["cores"] = int(value)
            elif key == "memory":
                out["memoryMb"] = parse_memory_mb(value)
            elif key == "runtime":
                out["runtimeSeconds"] = parse_runtime_seconds(value)
            elif key == "queue":
                if backend not in LOCAL_BACKENDS:
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


def is_cores(value: Any) -> bool:
    """The core's rule for cores (core/src/resources.ts: validateResources), held to it by
    core/conformance/resources.json: a whole number from 1 to MAX_RESOURCE_AMOUNT (2.0 is 2)."""
    if not _is_number(value) or (isinstance(value, float) and not value.is_integer()):
        return False
    return bool(1 <= value <= MAX_RESOURCE_AMOUNT)


def _is_scale(value: Any) -> bool:
    return _is_number(value) and math.isfinite(value) and value >= 0


_SCALE_KEYS = ("memory", "runtime", "memoryFactors", "runtimeFactors")


def resource_scales_problems(scales: Mapping[str, Any], where: str) -> List[str]:
    """The core's checks on resource scales (core/src/resources.ts: validateScales), held to it by
    core/conformance/resources.json: memory and runtime each a finite number >= 0, memoryFactors and
    runtimeFactors each a list of 1 to MAX_SCALE_FACTORS of them. Other keys are not scales (Jobmon 3
    ignores them too, e.g. cores)."""
    problems: List[str] = []
    for field in ("memory", "runtime"):
        value = scales.get(field)
        if value is not None and not _is_scale(value):
            problems.append(
                f"{where}: {field} scale must be a finite number >= 0 (got {value!r}; "
                "callables and iterators are not supported)"
            )
        factors = scales.get(f"{field}Factors")
        if factors is None:
            continue
        if not isinstance(factors, (list, tuple)) or not 1 <= len(factors) <= MAX_SCALE_FACTORS:
            problems.append(
                f"{where}: {field}Factors must be a list of 1 to {MAX_SCALE_FACTORS} scales"
            )
        elif not all(_is_scale(factor) for factor in factors):
            problems.append(f"{where}: {field}Factors must hold finite numbers >= 0 (got {factors!r})")
    return problems


def to_resource_scales(scales: Optional[Mapping[str, Any]], where: str) -> Optional[Dict[str, Any]]:
    """ResourceScalesInput from Jobmon 3's {"memory": 0.5, "runtime": 0.5}, or per-failure lists
    ({"memoryFactors": [0.5, 1]}); raises InvalidResourcesError for what the core refuses."""
    if not scales:
        return None
    problems = resource_scales_problems(scales, where)
    if problems:
        raise InvalidResourcesError("; ".join(problems), problems)
    out: Dict[str, Any] = {}
    for key in _SCALE_KEYS:
        value = scales.get(key)
        if value is not None:
            out[key] = float(value) if key in ("memory", "runtime") else [float(v) for v in value]
    return out or None


def merge_resources(*layers: Optional[Mapping[str, Any]]) -> Dict[str, Any]:
    """Key-wise merge, later layers winning (workflow < tool < template < task, as in Jobmon 3)."""
    merged: Dict[str, Any] = {}
    for layer in layers:
        if layer:
            merged.update(layer)
    return merged
