"""A Workflow: the DAG of tasks, bound to the server (in chunks when large) and followed while it runs."""

from __future__ import annotations

import getpass
import sys
import time
import uuid
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple, Union

from jobmon.client._core_rules import (
    DEFAULT_MAX_CONCURRENTLY_RUNNING,
    DEFAULT_MAX_ITEMS_PER_REQUEST,
    DEFAULT_MAX_TASKS_PER_REQUEST,
    TASK_ACTIVE_STATUSES,
    TASK_INSTANCE_FAILED_STATUSES,
    WORKFLOW_ENDED_STATUSES,
    ErrorCode,
    TaskInstanceStatus,
    TaskStatus,
    WorkflowRunStatus,
    WorkflowStatus,
)
from jobmon.client._graphql import GraphQLClient
from jobmon.client.exceptions import (
    CyclicGraphError,
    DuplicateNodeArgsError,
    EmptyWorkflowError,
    JobmonRequestError,
    JobmonUnreachableError,
    NodeDependencyNotExistError,
    WorkflowAlreadyComplete,
    WorkflowAlreadyExists,
    WorkflowDefinitionError,
    WorkflowNotBound,
    WorkflowTimeoutError,
)
from jobmon.client.names import name_problem
from jobmon.client.resources import (
    cluster_backend,
    merge_resources,
    to_resource_scales,
    to_resources_input,
)
from jobmon.client.task import Task, attribute_text

if TYPE_CHECKING:
    from jobmon.client.task_template import TaskTemplate
    from jobmon.client.tool import Tool

# DEFAULT_MAX_TASKS_PER_REQUEST (the core's): tasks per request when the server allows more.
# DEFAULT_MAX_ITEMS_PER_REQUEST (the core's): items (tasks + upstream keys) per request when the server
# does not say (one older than serverLimits.maxItemsPerRequest).


def request_chunks(
    tasks: Sequence[Dict[str, Any]], max_tasks: int, max_items: int
) -> List[List[Dict[str, Any]]]:
    """Cuts a submission's tasks, in order, into requests of at most max_tasks tasks and max_items items.

    An item is a task or one of its upstream keys (the server's maxItemsPerRequest counts so). One chunk:
    a single SubmitWorkflow. A task alone over max_items cannot be sent (the server would refuse it).
    """
    chunks: List[List[Dict[str, Any]]] = []
    chunk: List[Dict[str, Any]] = []
    items = 0
    for task in tasks:
        cost = 1 + len(task.get("upstream") or ())
        if cost > max_items:
            raise WorkflowDefinitionError(
                f'task "{task["key"]}" lists {cost - 1} upstream keys: one request carries at most '
                f"{max_items} items (tasks + upstream keys), so a task may list at most {max_items - 1}"
            )
        if chunk and (len(chunk) >= max_tasks or items + cost > max_items):
            chunks.append(chunk)
            chunk, items = [], 0
        chunk.append(task)
        items += cost
    if chunk or not chunks:
        chunks.append(chunk)
    return chunks

#: How often run() asks the server for the workflow's state (one small query).
DEFAULT_STATUS_CHECK_SECONDS = 1.0

TERMINAL_STATUSES = WORKFLOW_ENDED_STATUSES
#: What run() returns for a workflow that ended, as Jobmon 3's WorkflowRunStatus codes.
RUN_STATUS_CODES = {WorkflowStatus.DONE: "D", WorkflowStatus.FAILED: "E", WorkflowStatus.HALTED: "S"}
#: A cold resume's old run while its kills are confirmed: the workflow looks HALTED but a new run follows.
_BETWEEN_RUNS = (WorkflowRunStatus.COLD_RESUME,)


def run_is_over(latest_run: Optional[Dict[str, Any]], run_id: Optional[str]) -> bool:
    """The workflow's newest run has ended for good and is the awaited run (or a later one)."""
    if not latest_run:
        return run_id is None
    if latest_run["status"] in _BETWEEN_RUNS:
        return False
    return run_id is None or int(latest_run["id"]) >= int(run_id)


def find_cycle(keys: Sequence[str], upstream_of: Callable[[str], Iterable[str]]) -> Optional[List[str]]:
    """One cycle among ``keys`` as a path in run order closed on its first key, or None for a DAG.

    The core's rule (core/src/dag.ts: findCycle), held to it by core/conformance/dag.json: Kahn's
    algorithm on indexes; upstream keys that are not in ``keys`` are ignored.
    """
    index: Dict[str, int] = {}
    for key in keys:
        index.setdefault(key, len(index))
    names = list(index)
    ups: List[List[int]] = [[] for _ in names]
    downs: List[List[int]] = [[] for _ in names]
    for down, key in enumerate(names):
        for up_key in upstream_of(key):
            up = index.get(up_key)
            if up is not None:
                ups[down].append(up)
                downs[up].append(down)
    pending = [len(u) for u in ups]
    ready = [v for v, count in enumerate(pending) if count == 0]
    while ready:
        v = ready.pop()
        for w in downs[v]:
            pending[w] -= 1
            if pending[w] == 0:
                ready.append(w)
    left = [v for v, count in enumerate(pending) if count > 0]
    if not left:
        return None
    # Every node left has an upstream left: walking upstream must revisit one, which is on a cycle.
    seen: Dict[int, int] = {}
    path: List[int] = []
    v = left[0]
    while v not in seen:
        seen[v] = len(path)
        path.append(v)
        v = next(u for u in ups[v] if pending[u] > 0)
    cycle = path[seen[v] :] + [v]
    cycle.reverse()
    return [names[i] for i in cycle]


def format_progress(workflow_id: str, workflow: Dict[str, Any]) -> str:
    counts = workflow["statusCounts"]
    running = sum(counts[status] for status in TASK_ACTIVE_STATUSES)
    done = counts[TaskStatus.DONE]
    failed = counts[TaskStatus.ERROR_FATAL]
    waiting = counts["total"] - done - running - failed
    return (
        f"workflow {workflow_id}: {workflow['status']} {done}/{counts['total']} done, "
        f"{running} running, {waiting} waiting, {failed} failed"
    )



def _client_user() -> Optional[str]:
    """This process's operating-system user, as Jobmon's client records it (None when it cannot be told)."""
    try:
        return getpass.getuser() or None
    except Exception:  # noqa: BLE001 - no user name (e.g. a uid without a passwd entry) is no error
        return None

class Workflow:
    """A DAG of tasks of one tool. Made by ``Tool.create_workflow``."""

    def __init__(
        self,
        tool: Tool,
        workflow_args: str = "",
        name: str = "",
        description: str = "",
        workflow_attributes: Optional[Union[List[Any], Dict[str, Any]]] = None,
        max_concurrently_running: int = DEFAULT_MAX_CONCURRENTLY_RUNNING,
        chunk_size: Optional[int] = None,
        default_cluster_name: str = "",
        default_compute_resources_set: Optional[Dict[str, Dict[str, Any]]] = None,
        default_resource_scales_set: Optional[Dict[str, Dict[str, float]]] = None,
        default_max_attempts: Optional[int] = None,
        client: Optional[GraphQLClient] = None,
    ) -> None:
        self.tool = tool
        # Without workflow_args a workflow cannot be found again (Jobmon 3 makes a random one too).
        self.workflow_args = workflow_args or str(uuid.uuid4())
        self.name = name
        self.description = description
        if workflow_attributes is None:
            self.workflow_attributes: Dict[str, Any] = {}
        elif isinstance(workflow_attributes, dict):
            self.workflow_attributes = {str(k): attribute_text(v) for k, v in workflow_attributes.items()}
        elif isinstance(workflow_attributes, list):
            self.workflow_attributes = {str(k): None for k in workflow_attributes}
        else:
            raise WorkflowDefinitionError("workflow_attributes must be a list or a dict")
        self.max_concurrently_running = max_concurrently_running
        self.chunk_size = chunk_size
        if default_cluster_name:
            cluster_backend(default_cluster_name, f"workflow {self.workflow_args!r}")
        self.default_cluster_name = default_cluster_name
        self.default_compute_resources_set: Dict[str, Dict[str, Any]] = dict(
            default_compute_resources_set or {}
        )
        self.default_resource_scales_set: Dict[str, Dict[str, float]] = dict(
            default_resource_scales_set or {}
        )
        self.default_max_attempts = default_max_attempts
        self.tasks: Dict[str, Task] = {}
        self._by_template: Dict[str, List[Task]] = {}
        self._client = client
        self._workflow_id: Optional[str] = None
        self._run_id: Optional[str] = None
        self._newly_created = False
        self._status: Optional[str] = None
        self._fail_fast = False
        self.last_workflow_run_id: Optional[int] = None

    # --- building -------------------------------------------------------------------------------

    @property
    def client(self) -> GraphQLClient:
        if self._client is None:
            self._client = GraphQLClient()
        return self._client

    def add_task(self, task: Task) -> Task:
        """Adds a task; two tasks of one template with the same node args are an error."""
        other = self.tasks.get(task.key)
        if other is task:
            return task
        if other is not None:
            raise DuplicateNodeArgsError(
                f"task {task.key!r}: another task of template {task.template.template_name!r} has "
                f"the same node args {task.node_args} (node args must be unique per template)"
            )
        self.tasks[task.key] = task
        self._by_template.setdefault(task.template.template_name, []).append(task)
        task.workflow = self
        return task

    def add_tasks(self, tasks: Iterable[Task]) -> None:
        for task in tasks:
            self.add_task(task)

    def get_tasks_by_node_args(self, task_template_name: str, **kwargs: Any) -> List[Task]:
        """The workflow's tasks of that template whose node args have the given values."""
        if task_template_name not in self._by_template:
            raise ValueError(
                f"task_template_name={task_template_name} not found on workflow. Known "
                f"template_names are {list(self._by_template)}."
            )
        tasks = self._by_template[task_template_name]
        node_args = tasks[0].template.node_args if tasks else []
        unknown = [k for k in kwargs if k not in node_args]
        if unknown:
            raise ValueError(f"{unknown} are not node args of template {task_template_name!r}")
        wanted = {k: v if isinstance(v, str) else str(v) for k, v in kwargs.items()}
        return [t for t in tasks if all(t.node_args[k] == v for k, v in wanted.items())]

    def set_default_compute_resources_from_dict(
        self, cluster_name: str, compute_resources: Dict[str, Any]
    ) -> None:
        cluster_backend(cluster_name, f"workflow {self.workflow_args!r}")
        self.default_compute_resources_set[cluster_name] = dict(compute_resources)
        if not self.default_cluster_name:
            self.default_cluster_name = cluster_name

    def set_default_resource_scales_from_dict(
        self, cluster_name: str, resource_scales: Dict[str, float]
    ) -> None:
        to_resource_scales(resource_scales, f"workflow {self.workflow_args!r}")
        self.default_resource_scales_set[cluster_name] = dict(resource_scales)

    def set_default_cluster_name(self, cluster_name: str) -> None:
        cluster_backend(cluster_name, f"workflow {self.workflow_args!r}")
        self.default_cluster_name = cluster_name

    def set_default_max_attempts(self, value: int) -> None:
        self.default_max_attempts = value

    def add_attributes(self, workflow_attributes: Dict[str, Any]) -> None:
        self.workflow_attributes.update({str(k): attribute_text(v) for k, v in workflow_attributes.items()})

    # --- the submission -------------------------------------------------------------------------

    def _task_input(
        self, task: Task, cache: Dict[Tuple[int, Optional[str]], Tuple[Dict[str, Any], Any, Dict[str, Any]]]
    ) -> Dict[str, Any]:
        template = task.template
        # The task's cluster, else its template's, the tool's, the workflow's (as in Jobmon 3).
        cluster = (
            task.cluster_name
            or template.default_cluster_name
            or self.tool.default_cluster_name
            or self.default_cluster_name
            or None
        )
        # Tasks without resources of their own share their template's resolved defaults.
        cache_key = (id(template), cluster)
        cached = cache.get(cache_key)
        if cached is None:
            label = f"task template {template.template_name!r}"
            defaults = merge_resources(
                self.default_compute_resources_set.get(cluster or "", {}),
                self.tool.default_compute_resources_set.get(cluster or "", {}),
                template.default_compute_resources_set.get(cluster or "", {}),
            )
            scales = merge_resources(
                self.default_resource_scales_set.get(cluster or "", {}),
                self.tool.default_resource_scales_set.get(cluster or "", {}),
                template.default_resource_scales,
            )
            # Resolved once per template and cluster (an error in the defaults names the template).
            cached = (
                defaults,
                to_resource_scales(scales, label),
                to_resources_input(cluster, defaults, label),
            )
            cache[cache_key] = cached
        defaults, scales, resolved = cached
        label = f"task {task.name!r}"
        if task.compute_resources:
            resources = to_resources_input(
                cluster, merge_resources(defaults, task.compute_resources), label
            )
        else:
            resources = resolved
        if task.resource_scales:
            scales = to_resource_scales(merge_resources(scales or {}, task.resource_scales), label)
        entry: Dict[str, Any] = {
            "key": task.key,
            "template": template.template_name,
            "args": {**task.node_args, **task.task_args, **task.op_args},
        }
        if task.name != task.key:
            entry["name"] = task.name
        if task._upstream:
            entry["upstream"] = [up.key for up in task._upstream]
        if resources:
            entry["resources"] = resources
        max_attempts = task.max_attempts if task.max_attempts is not None else template.default_max_attempts
        if max_attempts is not None:
            entry["maxAttempts"] = max_attempts
        if scales:
            entry["resourceScales"] = scales
        if task.fallback_queues and (cluster is None or cluster_backend(cluster, label) == "slurm"):
            entry["fallbackQueues"] = task.fallback_queues
        if task.task_attributes:
            entry["attributes"] = task.task_attributes
        return entry

    def _name_problems(self, tasks: List[Task], templates: Dict[str, TaskTemplate]) -> List[str]:
        """Names and keys the server could not store (the core's rule), each naming its owner."""
        problems: List[str] = []

        def shown(kind: str, name: str) -> str:
            return f"{kind} {name[:40]!r}" + ("..." if len(name) > 40 else "")

        def check(value: Optional[str], owner: Tuple[str, str], field: str) -> None:
            # The owner's label is made only for a problem: a submission may hold a million tasks.
            problem = name_problem(value, field) if value else None
            if problem:
                problems.append(f"{shown(*owner)}: {problem}" if owner[0] else problem)

        check(self.tool.name, ("", ""), "tool")
        check(self.name, ("", ""), "workflow name")
        for template in templates.values():
            owner = ("task template", template.template_name)
            check(template.template_name, owner, "name")
            for arg in template.template_args:
                check(arg, owner, "argument name")
        for task in tasks:
            check(task.key, ("task", task.key), "key")
            if task.name != task.key:
                check(task.name, ("task", task.key), "name")
        return problems

    def _submission(self, fail_fast: bool = False) -> Dict[str, Any]:
        """The WorkflowSubmission; every definition problem found is raised before anything is sent."""
        tasks = list(self.tasks.values())
        if not tasks:
            raise EmptyWorkflowError(f"workflow {self.workflow_args!r} has no tasks")
        problems: List[Tuple[type, str]] = []
        templates: Dict[str, TaskTemplate] = {}
        for task in tasks:
            seen = templates.setdefault(task.template.template_name, task.template)
            if seen is not task.template and (
                seen.command_template != task.template.command_template
                or seen.template_args != task.template.template_args
            ):
                problems.append(
                    (
                        WorkflowDefinitionError,
                        f"task {task.key!r}: template {task.template.template_name!r} is defined twice",
                    )
                )
            for up in task._upstream:
                if self.tasks.get(up.key) is not up:
                    problems.append(
                        (
                            NodeDependencyNotExistError,
                            f"task {task.key!r}: upstream task {up.key!r} is not added to the workflow",
                        )
                    )
        problems.extend((WorkflowDefinitionError, p) for p in self._name_problems(tasks, templates))
        cycle = find_cycle(
            list(self.tasks),
            # Only upstream tasks of this workflow (one outside it is refused above, whatever its key).
            lambda key: [up.key for up in self.tasks[key]._upstream if self.tasks.get(up.key) is up],
        )
        if cycle:
            problems.append((CyclicGraphError, "cycle between tasks: " + " -> ".join(cycle)))
        task_inputs: List[Dict[str, Any]] = []
        cache: Dict[Tuple[int, Optional[str]], Tuple[Dict[str, Any], Any, Dict[str, Any]]] = {}
        for task in tasks:
            try:
                task_inputs.append(self._task_input(task, cache))
            except WorkflowDefinitionError as error:
                problems.extend((type(error), p) for p in error.problems)
        if problems:
            kind = problems[0][0]
            texts = [text for _, text in problems]
            raise kind(f"Invalid workflow {self.workflow_args!r}: " + "; ".join(texts), texts)
        submission: Dict[str, Any] = {
            "tool": self.tool.name,
            "workflowArgs": self.workflow_args,
            "maxConcurrentlyRunning": self.max_concurrently_running,
            "failFast": fail_fast,
            "taskTemplates": [
                {
                    "name": t.template_name,
                    "commandTemplate": t.command_template,
                    "nodeArgs": t.node_args,
                    "taskArgs": t.task_args,
                    "opArgs": t.op_args,
                }
                for t in templates.values()
            ],
            "tasks": task_inputs,
        }
        if self.name:
            submission["name"] = self.name
        if self.description:
            submission["description"] = self.description
        default_attempts = self.default_max_attempts or self.tool.default_max_attempts
        if default_attempts is not None:
            submission["maxAttempts"] = default_attempts
        if self.workflow_attributes:
            submission["attributes"] = self.workflow_attributes
        return submission

    # --- binding and running ------------------------------------------------------------------

    @property
    def workflow_id(self) -> int:
        if self._workflow_id is None:
            raise AttributeError("workflow_id cannot be accessed before the workflow is bound")
        return int(self._workflow_id)

    @property
    def is_bound(self) -> bool:
        return self._workflow_id is not None

    def bind(self, fail_fast: bool = False) -> None:
        """Sends the workflow (in chunks when it is larger than one request may carry).

        The same tool, workflow_args and tasks find the existing workflow instead. On the server a bound
        workflow is runnable at once: run() follows it (and resumes an existing one when asked).
        """
        if self._workflow_id is not None:
            return
        submission = self._submission(fail_fast)
        self._fail_fast = fail_fast
        limits = self.client.server_limits()
        chunk_size = self.chunk_size or DEFAULT_MAX_TASKS_PER_REQUEST
        per_request = max(1, min(limits["maxTasksPerSubmission"], chunk_size))
        max_items = limits.get("maxItemsPerRequest") or DEFAULT_MAX_ITEMS_PER_REQUEST
        chunks = request_chunks(submission["tasks"], per_request, max_items)
        if len(chunks) <= 1:
            # Who submits, as Jobmon's client says it (an open-mode server records it; a token wins).
            user = _client_user()
            if user:
                submission = {**submission, "user": user}
            # A submission that never reached the server (refused: it is restarting) is sent again.
            result = self.client.execute_retrying(
                "SubmitWorkflow", {"input": submission}, unsent_only=True
            )["submitWorkflow"]
        else:
            result = self._bind_in_chunks(submission, chunks)
        self._workflow_id = result["workflow"]["id"]
        self._run_id = result["workflowRun"]["id"]
        self._newly_created = bool(result["created"])
        self._status = result["workflow"]["status"]

    def _bind_in_chunks(
        self, submission: Dict[str, Any], chunks: List[List[Dict[str, Any]]]
    ) -> Dict[str, Any]:
        fields = {k: v for k, v in submission.items() if k != "tasks"}
        begun = self.client.execute_retrying("BeginWorkflowBinding", {"input": fields}, unsent_only=True)
        binding_id = begun["beginWorkflowBinding"]["bindingId"]
        try:
            # Upstream keys may name tasks of any chunk: the server resolves them at commit.
            for chunk in chunks:
                self.client.execute("AddWorkflowTasks", {"bindingId": binding_id, "tasks": chunk})
            committed = self.client.execute("CommitWorkflowBinding", {"bindingId": binding_id})
            return committed["commitWorkflowBinding"]  # type: ignore[no-any-return]
        except BaseException:
            # All or nothing: the binding would expire on its own; aborting frees it now.
            try:
                self.client.execute("AbortWorkflowBinding", {"bindingId": binding_id})
            except JobmonRequestError:
                pass
            raise

    def run(
        self,
        fail_fast: bool = False,
        seconds_until_timeout: int = 36000,
        resume: bool = False,
        reset_running_jobs: bool = True,
        status_check_interval: Optional[float] = None,
        **_: Any,
    ) -> str:
        """Binds the workflow and follows it to its end: "D" done, "E" tasks failed, "S" stopped.

        ``resume=True`` on a workflow that exists (not DONE) starts a new run of its unfinished tasks
        (``reset_running_jobs``: kill running ones first). After ``seconds_until_timeout`` it raises
        WorkflowTimeoutError (a RuntimeError); the workflow goes on on the server.
        """
        deadline = time.monotonic() + seconds_until_timeout
        self.bind(fail_fast)
        assert self._workflow_id is not None
        run_id = self._run_id
        if not self._newly_created:
            if self._status == WorkflowStatus.DONE:
                raise WorkflowAlreadyComplete(
                    f"Workflow ({self._workflow_id}) is already in done state and cannot be resumed"
                )
            if not resume:
                raise WorkflowAlreadyExists(
                    f"Workflow ({self._workflow_id}) already exists. If you are trying to resume a "
                    "workflow, please set the resume flag. If you are not trying to resume a workflow, "
                    "make sure the workflow args are unique or the tasks are unique"
                )
            mode = "COLD" if reset_running_jobs else "HOT"
            state = self.client.execute("ResumeWorkflow", {"id": self._workflow_id, "mode": mode})
            latest = state["resumeWorkflow"]["latestRun"]
            run_id = latest["id"] if latest else None
        interval = status_check_interval or DEFAULT_STATUS_CHECK_SECONDS
        status = self._follow(run_id, deadline, seconds_until_timeout, interval)
        # A later run() of this object is a rerun of an existing workflow.
        self._newly_created = False
        self._status = status
        self._run_id = run_id
        self.last_workflow_run_id = int(run_id) if run_id else None
        return RUN_STATUS_CODES[status]

    def _follow(
        self, run_id: Optional[str], deadline: float, timeout: float, interval: float
    ) -> str:
        workflow_id = self._workflow_id
        print(f"workflow {workflow_id}: following run {run_id} on {self.client.endpoint}", file=sys.stderr)
        last_line = None
        unreachable_noted = False

        def note(error: JobmonUnreachableError, wait: float) -> None:
            nonlocal unreachable_noted
            if not unreachable_noted:
                print(f"workflow {workflow_id}: {error}; retrying", file=sys.stderr)
                unreachable_noted = True

        while True:
            try:
                data = self.client.execute_retrying(
                    "WorkflowRunState", {"id": workflow_id}, deadline=deadline, on_retry=note
                )
            except JobmonUnreachableError:
                data = None  # the deadline passed while the server was away
            except JobmonRequestError as error:
                # A 5xx that is not the server's answer to this query (a restarting server, a proxy):
                # ask again at the next tick; a refusal (4xx, NOT_FOUND) ends run().
                if error.status is None or error.status < 500 or ErrorCode.NOT_FOUND in error.codes:
                    raise
                print(f"workflow {workflow_id}: {error}; retrying", file=sys.stderr)
                data = None
            if data is not None:
                unreachable_noted = False
                workflow = data["workflow"]
                if workflow is None:
                    raise JobmonRequestError(f"workflow {workflow_id} not found", [ErrorCode.NOT_FOUND])
                line = format_progress(str(workflow_id), workflow)
                if line != last_line:
                    print(line, file=sys.stderr, flush=True)
                    last_line = line
                if workflow["status"] in TERMINAL_STATUSES and run_is_over(workflow["latestRun"], run_id):
                    return str(workflow["status"])
            left = deadline - time.monotonic()
            if left <= 0:
                raise WorkflowTimeoutError(
                    f"Not all tasks completed within the given workflow timeout length ({timeout} "
                    "seconds). Submitted tasks will still run, but the workflow will need to be restarted."
                )
            time.sleep(min(interval, left))

    # --- after a run --------------------------------------------------------------------------

    def _require_bound(self) -> str:
        if self._workflow_id is None:
            raise WorkflowNotBound("the workflow has not been bound: call bind() or run() first")
        return self._workflow_id

    def _pages(self, operation: str, variables: Dict[str, Any]) -> Iterable[Dict[str, Any]]:
        workflow_id = self._require_bound()
        first = self.client.server_limits()["maxPageSize"]
        after: Optional[str] = None
        while True:
            try:
                data = self.client.execute_retrying(
                    operation, {**variables, "id": workflow_id, "first": first, "after": after}
                )
            except JobmonRequestError as error:
                # A page of tasks with their attempts can cost more than the server allows: the server
                # prices nested lists, so ask for smaller pages until one fits.
                if ErrorCode.QUERY_TOO_COMPLEX not in error.codes or first <= 1:
                    raise
                first = max(1, first // 2)
                continue
            if data["workflow"] is None:
                raise JobmonRequestError(f"workflow {workflow_id} not found", [ErrorCode.NOT_FOUND])
            connection = data["workflow"]["tasks"]
            for node in connection["nodes"]:
                yield node
            if not connection["pageInfo"]["hasNextPage"]:
                return
            after = connection["pageInfo"]["endCursor"]

    def _load_task_ids(self) -> None:
        for node in self._pages("WorkflowTaskIds", {}):
            task = self.tasks.get(node["key"])
            if task is not None:
                task._task_id = int(node["id"])

    def get_errors(self, limit: Optional[int] = 1000) -> Dict[int, Dict[str, Any]]:
        """Failed attempts by task id: {"task_instance_id": newest failed, "error_log": [...]}."""
        errors: Dict[int, Dict[str, Any]] = {}
        for node in self._pages("WorkflowTaskAttempts", {"status": None}):
            failed = [i for i in node["instances"] if i["status"] in TASK_INSTANCE_FAILED_STATUSES]
            if not failed:
                continue
            errors[int(node["id"])] = {
                "task_instance_id": int(failed[-1]["id"]),
                "error_log": [
                    {
                        "task_instance_id": int(i["id"]),
                        "attempt": i["attempt"],
                        "status": i["status"],
                        "error_kind": i["errorKind"],
                        "description": i["errorMessage"] or i["stderrTail"] or "",
                        "exit_code": i["exitCode"],
                        "error_time": i["finishedAt"],
                    }
                    for i in failed
                ],
            }
            if limit is not None and len(errors) >= limit:
                break
        return errors

    def get_resource_usage(self) -> List[Dict[str, Any]]:
        """Per task: attempts, what its newest attempt asked for and used (MiB, seconds), and where."""
        rows = []
        for node in self._pages("WorkflowTaskAttempts", {"status": None}):
            instances = node["instances"]
            done = [i for i in instances if i["status"] == TaskInstanceStatus.DONE]
            last = done[-1] if done else (instances[-1] if instances else None)
            usage = (last or {}).get("usage") or {}
            requested = (last or {}).get("resources") or {}
            rows.append(
                {
                    "task_id": int(node["id"]),
                    "task_name": node["name"],
                    "template_name": node["template"]["name"],
                    "status": node["status"],
                    "num_attempts": node["numAttempts"],
                    "nodename": (last or {}).get("hostname"),
                    "requested_memory_mb": requested.get("memoryMb"),
                    "requested_cores": requested.get("cores"),
                    "requested_runtime_seconds": requested.get("runtimeSeconds"),
                    "max_rss_mb": usage.get("maxRssMb"),
                    "wall_seconds": usage.get("wallSeconds"),
                    "cpu_seconds": usage.get("cpuSeconds"),
                }
            )
        return rows

    def __repr__(self) -> str:
        return f"Workflow({self.workflow_args!r}, tasks={len(self.tasks)}, id={self._workflow_id})"
