"""GraphQL over HTTP with the standard library, and the operations kept in graphql/*.graphql."""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import time
import urllib.error
import urllib.request
from typing import Any, Callable, Dict, List, Optional

from jobmon.client._core_rules import DEFAULT_SERVER_URL, SERVER_BUSY_RETRY_SECONDS, ErrorCode
from jobmon.client.exceptions import JobmonRequestError, JobmonUnreachableError

# SERVER_BUSY_RETRY_SECONDS: how long a server busy reading other large bodies (503) is asked again.

#: How long an unreachable server is asked again, unless the caller gives its own deadline.
UNREACHABLE_RETRY_SECONDS = 120.0

_OPERATIONS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "graphql")
_DEFINITION = re.compile(r"^(query|mutation|subscription|fragment)\s+([A-Za-z_][A-Za-z0-9_]*)", re.M)
_SPREAD = re.compile(r"\.\.\.\s*([A-Za-z_][A-Za-z0-9_]*)")


def graphql_endpoint(server_url: str) -> str:
    """The /graphql endpoint of a server given by its base URL or by the endpoint itself (the core's
    graphqlEndpoint, held to it by core/conformance/endpoint.json)."""
    trimmed = server_url.rstrip("/")
    return trimmed if trimmed.endswith("/graphql") else trimmed + "/graphql"


def _split_definitions(text: str) -> Dict[str, str]:
    """Top-level definitions of a document by name (operations and fragments), each as its text."""
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    definitions: Dict[str, str] = {}
    for match in _DEFINITION.finditer(text):
        depth = 0
        end = match.end()
        started = False
        # The definition ends at the brace closing its selection set (variables use parentheses).
        for i in range(match.end(), len(text)):
            if text[i] == "{":
                depth += 1
                started = True
            elif text[i] == "}":
                depth -= 1
                if started and depth == 0:
                    end = i + 1
                    break
        definitions[match.group(2)] = text[match.start() : end]
    return definitions


def load_operations(directory: str = _OPERATIONS_DIR) -> Dict[str, str]:
    """Every operation of the .graphql files of ``directory``, each with the fragments it uses."""
    definitions: Dict[str, str] = {}
    for name in sorted(os.listdir(directory)):
        if name.endswith(".graphql"):
            with open(os.path.join(directory, name), encoding="utf-8") as handle:
                definitions.update(_split_definitions(handle.read()))
    fragments = {n: d for n, d in definitions.items() if d.startswith("fragment")}
    operations: Dict[str, str] = {}
    for name, definition in definitions.items():
        if name in fragments:
            continue
        needed: List[str] = []
        pending = _SPREAD.findall(definition)
        while pending:
            fragment = pending.pop()
            if fragment in fragments and fragment not in needed:
                needed.append(fragment)
                pending.extend(_SPREAD.findall(fragments[fragment]))
        operations[name] = "\n".join([definition] + [fragments[f] for f in needed])
    return operations


class GraphQLClient:
    """One Jobmon server: ``JOBMON_SERVER_URL`` (default http://localhost:4000), ``JOBMON_TOKEN``."""

    def __init__(
        self,
        server_url: Optional[str] = None,
        token: Optional[str] = None,
        timeout_seconds: float = 300.0,
    ) -> None:
        self.endpoint = graphql_endpoint(
            server_url or os.environ.get("JOBMON_SERVER_URL") or DEFAULT_SERVER_URL
        )
        self.token = token if token is not None else (os.environ.get("JOBMON_TOKEN") or None)
        self.timeout_seconds = timeout_seconds
        self.operations = load_operations()
        self._limits: Optional[Dict[str, int]] = None

    def execute(
        self,
        operation: str,
        variables: Optional[Dict[str, Any]] = None,
        document: Optional[str] = None,
    ) -> Dict[str, Any]:
        """Runs a named operation; a busy server (503 SERVER_BUSY) is asked again after Retry-After."""
        give_up_at = time.monotonic() + SERVER_BUSY_RETRY_SECONDS
        while True:
            try:
                return self._execute_once(operation, variables, document)
            except JobmonRequestError as error:
                if ErrorCode.SERVER_BUSY not in error.codes or time.monotonic() >= give_up_at:
                    raise
                time.sleep(max(0.1, min(getattr(error, "retry_after", 1.0), 10.0)))

    def execute_retrying(
        self,
        operation: str,
        variables: Optional[Dict[str, Any]] = None,
        deadline: Optional[float] = None,
        on_retry: Optional[Callable[[JobmonUnreachableError, float], None]] = None,
        unsent_only: bool = False,
    ) -> Dict[str, Any]:
        """An operation asked again with backoff while the server is unreachable, until ``deadline``
        (a time.monotonic() value; default UNREACHABLE_RETRY_SECONDS from now), then re-raised.

        ``unsent_only``: retry only requests that never reached the server (connection refused), for
        mutations whose repetition would not mean the same (a chunk added twice).
        """
        if deadline is None:
            deadline = time.monotonic() + UNREACHABLE_RETRY_SECONDS
        delay = 0.25
        while True:
            try:
                return self.execute(operation, variables)
            except JobmonUnreachableError as error:
                left = deadline - time.monotonic()
                if left <= 0 or (unsent_only and error.sent):
                    raise
                wait = min(delay, left)
                if on_retry is not None:
                    on_retry(error, wait)
                time.sleep(wait)
                delay = min(delay * 2, 10.0)

    def _execute_once(
        self, operation: str, variables: Optional[Dict[str, Any]], document: Optional[str]
    ) -> Dict[str, Any]:
        query = document if document is not None else self.operations[operation]
        body = json.dumps(
            {"query": query, "operationName": operation, "variables": variables or {}},
            separators=(",", ":"),
        ).encode("utf-8")
        headers = {"content-type": "application/json", "accept": "application/json"}
        if self.token:
            headers["authorization"] = "Bearer " + self.token
        request = urllib.request.Request(self.endpoint, data=body, headers=headers, method="POST")
        status: Optional[int] = None
        retry_after: Optional[str] = None
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_seconds) as response:
                status = response.status
                raw = response.read()
        except urllib.error.HTTPError as error:
            # GraphQL errors come with 4xx/5xx statuses too: their body says what went wrong.
            status = error.code
            try:
                raw = error.read()
            except (OSError, http.client.HTTPException):
                raw = b""
            retry_after = error.headers.get("retry-after") if error.headers else None
            if not raw:
                raise JobmonUnreachableError(
                    f"{self.endpoint} answered HTTP {status} without a body", status=status
                ) from None
        except urllib.error.URLError as error:
            reason = error.reason
            refused = isinstance(reason, ConnectionRefusedError)
            raise JobmonUnreachableError(
                f"cannot reach {self.endpoint}: {reason}", sent=not refused
            ) from None
        except (OSError, http.client.HTTPException, socket.timeout) as error:
            refused = isinstance(error, ConnectionRefusedError)
            raise JobmonUnreachableError(
                f"cannot reach {self.endpoint}: {error!r}", sent=not refused
            ) from None
        return self._parse(raw, status, retry_after)

    def _parse(self, raw: bytes, status: Optional[int], retry_after: Optional[str]) -> Dict[str, Any]:
        try:
            body = json.loads(raw.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            if status is not None and 400 <= status < 500:
                # Refused before GraphQL (e.g. 413: a body over the server's limit): not a dropped line.
                raise JobmonRequestError(
                    f"{self.endpoint} refused the request: HTTP {status}", [f"HTTP_{status}"], status
                ) from None
            raise JobmonUnreachableError(
                f"{self.endpoint} answered HTTP {status} without JSON", status=status
            ) from None
        errors = body.get("errors") if isinstance(body, dict) else None
        if errors:
            codes: List[str] = []
            problems: List[str] = []
            retry_seconds = float(retry_after) if retry_after and retry_after.isdigit() else 1.0
            for error in errors:
                extensions = error.get("extensions") or {}
                codes.append(str(extensions.get("code", "UNKNOWN")))
                problems.extend(str(p) for p in extensions.get("problems") or [])
                if "retryAfterSeconds" in extensions:
                    retry_seconds = float(extensions["retryAfterSeconds"])
            failure = JobmonRequestError(
                "; ".join(str(error.get("message")) for error in errors), codes, status, problems
            )
            setattr(failure, "retry_after", retry_seconds)
            raise failure
        data = body.get("data") if isinstance(body, dict) else None
        if data is None:
            raise JobmonUnreachableError(
                f"{self.endpoint} answered HTTP {status} without data", status=status
            )
        return data  # type: ignore[no-any-return]

    def server_limits(self) -> Dict[str, int]:
        """The server's request limits (asked once per client)."""
        if self._limits is None:
            self._limits = self.execute_retrying("ServerLimits")["serverLimits"]
        return self._limits
