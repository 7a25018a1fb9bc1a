"""Jobmon 3's ``from jobmon.client.api import Tool``."""

from __future__ import annotations

from jobmon.client.tool import Tool  # noqa: F401
