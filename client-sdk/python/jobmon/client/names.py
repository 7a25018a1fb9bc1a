"""Names and keys as the server can store them: the core's rule (core/src/limits.ts: nameProblem), held
to it by core/conformance/names.json."""

from __future__ import annotations

from typing import Optional

from jobmon.client._core_rules import MAX_NAME_LENGTH


def name_problem(value: str, field: str, max_length: int = MAX_NAME_LENGTH) -> Optional[str]:
    """Why ``value`` cannot be a name (``field`` says which), or None: too long (in characters, as
    Python counts them: code points), or holding a NUL."""
    if len(value) > max_length:
        return f"{field} is longer than {max_length} characters"
    if "\0" in value:
        return f"{field} contains a NUL character"
    return None
