"""Status codes as Jobmon 3 names them; ``Workflow.run()`` returns a WorkflowRunStatus code."""

from __future__ import annotations


class WorkflowRunStatus:
    """Statuses of a workflow run (run() returns DONE, ERROR or STOPPED)."""

    REGISTERED = "G"
    LINKING = "L"
    BOUND = "B"
    ABORTED = "A"
    RUNNING = "R"
    DONE = "D"
    STOPPED = "S"
    ERROR = "E"
    COLD_RESUME = "C"
    HOT_RESUME = "H"
    TERMINATED = "T"
    INSTANTIATED = "I"
    LAUNCHED = "O"


class WorkflowStatus:
    """Statuses of a workflow."""

    REGISTERING = "G"
    QUEUED = "Q"
    ABORTED = "A"
    INSTANTIATING = "I"
    LAUNCHED = "O"
    RUNNING = "R"
    DONE = "D"
    HALTED = "H"
    FAILED = "F"
