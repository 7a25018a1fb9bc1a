"""The errors of the client, named as Jobmon 3 names them where Jobmon 3 has one."""

from __future__ import annotations

from typing import List, Optional, Sequence

from jobmon.client._core_rules import ErrorCode


class WorkflowDefinitionError(ValueError):
    """A workflow the client refuses before sending anything; ``problems`` names each task at fault.

    ``code`` is the error code the server answers the same mistake with (BAD_USER_INPUT).
    """

    code: str = ErrorCode.BAD_USER_INPUT

    def __init__(self, message: str, problems: Optional[Sequence[str]] = None) -> None:
        super().__init__(message)
        self.problems: List[str] = list(problems) if problems else [message]


class CyclicGraphError(WorkflowDefinitionError):
    """The tasks' dependencies form a cycle."""


class NodeDependencyNotExistError(WorkflowDefinitionError):
    """A task's upstream task is not added to the workflow."""


class DuplicateNodeArgsError(WorkflowDefinitionError):
    """Two tasks of one template in a workflow have the same node args."""


class EmptyWorkflowError(WorkflowDefinitionError):
    """The workflow has no tasks."""


class InvalidResourcesError(WorkflowDefinitionError):
    """Compute resources, a cluster name or resource scales that cannot be used."""


class WorkflowAlreadyExists(Exception):
    """The same workflow (tool, workflow_args and tasks) exists: run(resume=True) resumes it."""


class WorkflowAlreadyComplete(Exception):
    """The workflow is DONE already."""


class WorkflowNotBound(RuntimeError):
    """The workflow has not been bound (bind() or run() first)."""


class WorkflowTimeoutError(RuntimeError):
    """run() waited ``seconds_until_timeout``; the workflow goes on on the server."""


class JobmonRequestError(RuntimeError):
    """The server refused a request; ``codes`` are its stable error codes (e.g. NOT_FOUND)."""

    def __init__(
        self,
        message: str,
        codes: Optional[Sequence[str]] = None,
        status: Optional[int] = None,
        problems: Optional[Sequence[str]] = None,
    ) -> None:
        super().__init__(message)
        self.codes: List[str] = list(codes or [])
        self.status = status
        self.problems: List[str] = list(problems or [])


class JobmonUnreachableError(JobmonRequestError):
    """The server could not be reached (refused, reset, timed out, or answered without JSON)."""

    def __init__(self, message: str, sent: bool = True, status: Optional[int] = None) -> None:
        super().__init__(message, status=status)
        # False when the connection was refused: the request never reached the server.
        self.sent = sent
