"""The Jobmon 3 client surface on the Jobmon GraphQL server: standard library only.

``from jobmon.client.tool import Tool`` is where a script starts; see docs/python.md.
"""

from __future__ import annotations

__version__ = "0.1.0"
