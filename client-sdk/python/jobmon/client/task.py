"""A node of a workflow's DAG: a task of a template with its arguments, as in Jobmon 3."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Optional, Union

if TYPE_CHECKING:
    from jobmon.client.task_template import TaskTemplate
    from jobmon.client.workflow import Workflow

ArgValue = Union[str, int, float, bool]


def attribute_text(value: Any) -> Optional[str]:
    """An attribute value as Jobmon 3 records it (a string; None when only the name is given)."""
    return None if value is None else str(value)


class Task:
    """One command of a workflow. Made by ``TaskTemplate.create_task``; not meant to be built directly."""

    def __init__(
        self,
        template: TaskTemplate,
        node_args: Dict[str, ArgValue],
        task_args: Dict[str, ArgValue],
        op_args: Dict[str, ArgValue],
        name: Optional[str] = None,
        upstream_tasks: Optional[Iterable[Task]] = None,
        compute_resources: Optional[Dict[str, Any]] = None,
        cluster_name: str = "",
        max_attempts: Optional[int] = None,
        resource_scales: Optional[Dict[str, Any]] = None,
        fallback_queues: Optional[List[str]] = None,
        task_attributes: Optional[Union[List[Any], Dict[str, Any]]] = None,
    ) -> None:
        self.template = template
        self.node_args = node_args
        self.task_args = task_args
        self.op_args = op_args
        # Unique in the workflow: the template and its node args, e.g. "fit[location=kenya,year=2020]".
        self.key = template.template_name + "[" + ",".join(
            f"{k}={v}" for k, v in node_args.items()
        ) + "]"
        self.name = name or self.key
        self.compute_resources = dict(compute_resources or {})
        self.cluster_name = cluster_name
        self.max_attempts = max_attempts
        self.resource_scales = dict(resource_scales) if resource_scales else None
        self.fallback_queues = list(fallback_queues) if fallback_queues else None
        if isinstance(task_attributes, dict):
            self.task_attributes: Dict[str, Any] = {str(k): attribute_text(v) for k, v in task_attributes.items()}
        else:
            self.task_attributes = {str(k): None for k in task_attributes or []}
        # Insertion-ordered sets (a join of 100k tasks must not cost a list scan per edge).
        self._upstream: Dict[Task, None] = {}
        self._downstream: Dict[Task, None] = {}
        self.workflow: Optional[Workflow] = None
        self._task_id: Optional[int] = None
        for task in upstream_tasks or []:
            self.add_upstream(task)

    @property
    def command(self) -> str:
        """The command as the server renders it from the template."""
        from jobmon.client.task_template import render_command  # a cycle at import time otherwise

        args = {k: str(v) for k, v in {**self.node_args, **self.task_args, **self.op_args}.items()}
        rendered = render_command(self.template.command_template, args)
        if "missing" in rendered:
            raise KeyError(", ".join(rendered["missing"]))
        return str(rendered["command"])

    @property
    def upstream_tasks(self) -> List[Task]:
        """Tasks this one waits for, in the order added."""
        return list(self._upstream)

    @property
    def downstream_tasks(self) -> List[Task]:
        """Tasks that wait for this one, in the order added."""
        return list(self._downstream)

    def add_upstream(self, ancestor: Task) -> None:
        """This task runs after ``ancestor`` is DONE."""
        self._upstream[ancestor] = None
        ancestor._downstream[self] = None

    def add_upstreams(self, ancestors: Iterable[Task]) -> None:
        for ancestor in ancestors:
            self.add_upstream(ancestor)

    def add_downstream(self, descendant: Task) -> None:
        """``descendant`` runs after this task is DONE."""
        descendant.add_upstream(self)

    def add_downstreams(self, descendants: Iterable[Task]) -> None:
        for descendant in descendants:
            self.add_downstream(descendant)

    def add_attributes(self, task_attributes: Dict[str, Any]) -> None:
        self.task_attributes.update({str(k): attribute_text(v) for k, v in task_attributes.items()})

    @property
    def task_id(self) -> int:
        """The server's id of the task (once its workflow is bound)."""
        if self._task_id is None:
            if self.workflow is None:
                raise AttributeError("task_id cannot be accessed before the workflow is bound")
            self.workflow._load_task_ids()
        if self._task_id is None:
            raise AttributeError("task_id cannot be accessed before the workflow is bound")
        return self._task_id

    def get_errors(self) -> Optional[Dict[str, Any]]:
        """The task's failed attempts: {"task_instance_id": newest, "error_log": [...]}, None if none."""
        if self.workflow is None:
            return None
        return self.workflow.get_errors().get(self.task_id)

    def resource_usage(self) -> Dict[str, Any]:
        """Usage of the task's newest attempt: attempts, node, runtime (s) and memory (MiB)."""
        if self.workflow is None:
            raise AttributeError("the task is not in a workflow")
        for row in self.workflow.get_resource_usage():
            if row["task_id"] == self.task_id:
                return {
                    "num_attempts": row["num_attempts"],
                    "nodename": row["nodename"],
                    "runtime": row["wall_seconds"],
                    "memory": row["max_rss_mb"],
                }
        raise KeyError(f"task {self.key} not found on the server")

    def __repr__(self) -> str:
        return f"Task({self.key!r})"
