"""Jobmon 3's exception names (``from jobmon.core.exceptions import ...``), the client's own classes."""

from __future__ import annotations

from jobmon.client.exceptions import (  # noqa: F401
    CyclicGraphError,
    DuplicateNodeArgsError,
    EmptyWorkflowError,
    InvalidResourcesError,
    JobmonRequestError,
    JobmonUnreachableError,
    NodeDependencyNotExistError,
    WorkflowAlreadyComplete,
    WorkflowAlreadyExists,
    WorkflowDefinitionError,
    WorkflowNotBound,
    WorkflowTimeoutError,
)
