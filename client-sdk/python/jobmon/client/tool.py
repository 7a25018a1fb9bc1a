"""A Tool: a named project that makes task templates and workflows, as in Jobmon 3."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Union

from jobmon.client._core_rules import DEFAULT_MAX_CONCURRENTLY_RUNNING
from jobmon.client.exceptions import WorkflowDefinitionError
from jobmon.client.resources import cluster_backend, to_resource_scales
from jobmon.client.task_template import TaskTemplate
from jobmon.client.workflow import Workflow

#: The default limit of tasks running at once in a workflow (the server's, as Jobmon 3's).
MAX_CONCURRENTLY_RUNNING = DEFAULT_MAX_CONCURRENTLY_RUNNING


class Tool:
    """``Tool(name)``: the templates of one pipeline and its default compute resources."""

    def __init__(self, name: str = "unknown") -> None:
        if not name or not str(name).strip():
            raise WorkflowDefinitionError("a tool needs a name")
        self.name = name
        self.default_cluster_name = ""
        self.default_compute_resources_set: Dict[str, Dict[str, Any]] = {}
        self.default_resource_scales_set: Dict[str, Dict[str, float]] = {}
        self.default_max_attempts: Optional[int] = None
        self.active_task_templates: Dict[str, TaskTemplate] = {}

    def set_default_compute_resources_from_dict(
        self, cluster_name: str, compute_resources: Dict[str, Any]
    ) -> None:
        """Default resources of every task of this tool on ``cluster_name`` (the default cluster)."""
        cluster_backend(cluster_name, f"tool {self.name!r}")
        self.default_compute_resources_set[cluster_name] = dict(compute_resources)
        self.default_cluster_name = cluster_name

    def update_default_compute_resources(self, cluster_name: str, **kwargs: Any) -> None:
        cluster_backend(cluster_name, f"tool {self.name!r}")
        self.default_compute_resources_set.setdefault(cluster_name, {}).update(kwargs)
        self.default_cluster_name = cluster_name

    def set_default_cluster_name(self, cluster_name: str) -> None:
        cluster_backend(cluster_name, f"tool {self.name!r}")
        self.default_cluster_name = cluster_name

    def set_default_resource_scales_from_dict(
        self, cluster_name: str, resource_scales: Dict[str, float]
    ) -> None:
        to_resource_scales(resource_scales, f"tool {self.name!r}")
        self.default_resource_scales_set[cluster_name] = dict(resource_scales)

    def set_default_max_attempts(self, value: int) -> None:
        self.default_max_attempts = value

    def get_task_template(
        self,
        template_name: str,
        command_template: str,
        node_args: Optional[Sequence[str]] = None,
        task_args: Optional[Sequence[str]] = None,
        op_args: Optional[Sequence[str]] = None,
        default_cluster_name: str = "",
        default_compute_resources: Optional[Dict[str, Any]] = None,
        default_resource_scales: Optional[Dict[str, float]] = None,
        default_max_attempts: Optional[int] = None,
        max_attempts: Optional[int] = None,
        **_: Any,
    ) -> TaskTemplate:
        """The tool's template of that name; asking again with a new definition replaces it."""
        template = TaskTemplate(
            self,
            template_name,
            command_template,
            node_args=node_args,
            task_args=task_args,
            op_args=op_args,
            default_cluster_name=default_cluster_name,
            default_compute_resources=default_compute_resources,
            default_resource_scales=default_resource_scales,
            default_max_attempts=default_max_attempts if default_max_attempts is not None else max_attempts,
        )
        self.active_task_templates[template_name] = template
        return template

    def create_workflow(
        self,
        workflow_args: str = "",
        name: str = "",
        description: str = "",
        workflow_attributes: Optional[Union[List[Any], Dict[str, Any]]] = None,
        max_concurrently_running: int = MAX_CONCURRENTLY_RUNNING,
        chunk_size: Optional[int] = None,
        default_cluster_name: str = "",
        default_compute_resources_set: Optional[Dict[str, Dict[str, Any]]] = None,
        default_resource_scales_set: Optional[Dict[str, Dict[str, float]]] = None,
        default_max_attempts: Optional[int] = None,
    ) -> Workflow:
        """A new workflow of this tool (``workflow_args`` identify it, with its tasks, for resume)."""
        return Workflow(
            self,
            workflow_args=workflow_args,
            name=name,
            description=description,
            workflow_attributes=workflow_attributes,
            max_concurrently_running=max_concurrently_running,
            chunk_size=chunk_size,
            default_cluster_name=default_cluster_name,
            default_compute_resources_set=default_compute_resources_set,
            default_resource_scales_set=default_resource_scales_set,
            default_max_attempts=default_max_attempts,
        )

    def __repr__(self) -> str:
        return f"Tool({self.name!r})"
