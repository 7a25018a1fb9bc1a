"""Task templates: a command template with node, task and op args, as in Jobmon 3."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from jobmon.client._core_rules import PLACEHOLDER_NAME_PATTERN
from jobmon.client.exceptions import InvalidResourcesError, WorkflowDefinitionError
from jobmon.client.resources import cluster_backend, to_resource_scales
from jobmon.client.task import Task

if TYPE_CHECKING:
    from jobmon.client.tool import Tool

# The pattern as people read it in a message (the core's, whose source ends in "$").
_NAME_RULE = PLACEHOLDER_NAME_PATTERN.pattern.replace("\\Z", "$")


def _parse(template: str) -> Tuple[List[str], List[str], List[str]]:
    """The core's parse of a command template (core/src/command.ts), held to it by
    core/conformance/templates.json: (literals, names, problems), where the command is literals[0] +
    value(names[0]) + literals[1] + ...; {{ and }} are literal braces."""
    literals: List[str] = []
    names: List[str] = []
    problems: List[str] = []
    literal: List[str] = []
    i = 0
    n = len(template)
    while i < n:
        c = template[i]
        if c == "{":
            if template[i + 1 : i + 2] == "{":
                literal.append("{")
                i += 2
                continue
            close = template.find("}", i + 1)
            if close == -1:
                problems.append(f'unclosed "{{" at offset {i} (write {{{{ for a literal brace)')
                literal.append(template[i:])
                break
            name = template[i + 1 : close]
            if PLACEHOLDER_NAME_PATTERN.match(name):
                literals.append("".join(literal))
                names.append(name)
                literal = []
            else:
                problems.append(
                    f'invalid placeholder "{{{name}}}" at offset {i}: names must match {_NAME_RULE}'
                    " (write {{ and }} for literal braces)"
                )
                literal.append(template[i : close + 1])
            i = close + 1
        elif c == "}":
            if template[i + 1 : i + 2] == "}":
                literal.append("}")
                i += 2
                continue
            problems.append(f'unmatched "}}" at offset {i} (write }}}} for a literal brace)')
            literal.append("}")
            i += 1
        else:
            j = i + 1
            while j < n and template[j] not in "{}":
                j += 1
            literal.append(template[i:j])
            i = j
    literals.append("".join(literal))
    return literals, names, problems


def template_placeholders(command_template: str, where: str) -> List[str]:
    """The placeholder names of a command template in order of first appearance, each once."""
    _, names, problems = _parse(command_template)
    if problems:
        texts = [f"{where}: {problem}" for problem in problems]
        raise WorkflowDefinitionError("; ".join(texts), texts)
    return list(dict.fromkeys(names))


_ARG_GROUPS = ("nodeArgs", "taskArgs", "opArgs")


def template_arg_groups(
    command_template: str,
    node_args: Optional[Sequence[str]],
    task_args: Optional[Sequence[str]],
    op_args: Optional[Sequence[str]],
    where: str,
) -> Tuple[List[str], List[str], List[str]]:
    """The core's declaration checks (core/src/command.ts: validateTemplate), held to it by
    core/conformance/templates.json: the node, task and op args, each once. With none declared every
    placeholder is a node arg (an empty list counts as none: Jobmon 3 scripts write ``node_args=[]``);
    otherwise every placeholder must be declared, every declared arg must appear in the command, no arg
    may be in two groups and each must be a valid name. Raises WorkflowDefinitionError listing them."""
    placeholders = template_placeholders(command_template, where)
    given = [list(dict.fromkeys(group or [])) for group in (node_args, task_args, op_args)]
    if not any(given):
        return placeholders, [], []
    problems: List[str] = []
    group_of: Dict[str, str] = {}
    for group, args in zip(_ARG_GROUPS, given):
        for arg in args:
            if not isinstance(arg, str) or not PLACEHOLDER_NAME_PATTERN.match(arg):
                problems.append(
                    f'{where}: {group} argument "{arg}" is not a valid name (must match {_NAME_RULE})'
                )
                continue
            if arg in group_of:
                problems.append(
                    f'{where}: argument "{arg}" is declared in both {group_of[arg]} and {group}'
                )
                continue
            group_of[arg] = group
            if arg not in placeholders:
                problems.append(
                    f'{where}: {group} argument "{arg}" does not appear in the command template'
                )
    for name in placeholders:
        if name not in group_of:
            problems.append(
                f"{where}: placeholder {{{name}}} is not declared in nodeArgs, taskArgs or opArgs"
            )
    if problems:
        raise WorkflowDefinitionError("; ".join(problems), problems)
    return given[0], given[1], given[2]


def render_command(command_template: str, args: Mapping[str, str]) -> Dict[str, Any]:
    """The core's rendering: {"command": ...}, or {"missing": [names without a value, each once]}."""
    literals, names, problems = _parse(command_template)
    if problems:
        raise WorkflowDefinitionError("; ".join(problems), problems)
    parts = [literals[0]]
    missing: List[str] = []
    for name, after in zip(names, literals[1:]):
        value = args.get(name)
        if value is None:
            if name not in missing:
                missing.append(name)
            continue
        parts.append(value)
        parts.append(after)
    return {"missing": missing} if missing else {"command": "".join(parts)}


def arg_text(value: Any) -> str:
    """The text of an argument value. Deliberately not the core's rule (core/src/command.ts: argText,
    where 2.0 is "2" and True is "true"): as Jobmon 3 renders it (str.format), 2.0 stays "2.0" and True
    is "True", and any value is written; core/conformance/templates.json skips those cases here."""
    return value if isinstance(value, str) else str(value)


class TaskTemplate:
    """A command template of a tool. Made by ``Tool.get_task_template``."""

    def __init__(
        self,
        tool: Tool,
        template_name: str,
        command_template: str,
        node_args: Optional[Sequence[str]] = None,
        task_args: Optional[Sequence[str]] = None,
        op_args: Optional[Sequence[str]] = None,
        default_cluster_name: str = "",
        default_compute_resources: Optional[Dict[str, Any]] = None,
        default_resource_scales: Optional[Dict[str, Any]] = None,
        default_max_attempts: Optional[int] = None,
    ) -> None:
        where = f"task template {template_name!r}"
        if not template_name or not str(template_name).strip():
            raise WorkflowDefinitionError("a task template needs a name")
        self.tool = tool
        self.template_name = template_name
        self.command_template = command_template
        self.node_args, self.task_args, self.op_args = template_arg_groups(
            command_template, node_args, task_args, op_args, where
        )
        if default_cluster_name:
            cluster_backend(default_cluster_name, where)
        self.default_cluster_name = default_cluster_name
        self.default_compute_resources_set: Dict[str, Dict[str, Any]] = {}
        if default_compute_resources:
            self.default_compute_resources_set[default_cluster_name] = dict(default_compute_resources)
        self.default_resource_scales = dict(default_resource_scales or {})
        to_resource_scales(self.default_resource_scales, where)
        self.default_max_attempts = default_max_attempts

    @property
    def template_args(self) -> List[str]:
        return self.node_args + self.task_args + self.op_args

    def set_default_compute_resources_from_dict(
        self, cluster_name: str, compute_resources: Dict[str, Any]
    ) -> None:
        cluster_backend(cluster_name, f"task template {self.template_name!r}")
        self.default_compute_resources_set[cluster_name] = dict(compute_resources)
        if not self.default_cluster_name:
            self.default_cluster_name = cluster_name

    def set_default_cluster_name(self, cluster_name: str) -> None:
        cluster_backend(cluster_name, f"task template {self.template_name!r}")
        self.default_cluster_name = cluster_name

    def set_default_resource_scales_from_dict(self, resource_scales: Dict[str, Any]) -> None:
        to_resource_scales(resource_scales, f"task template {self.template_name!r}")
        self.default_resource_scales = dict(resource_scales)

    def set_default_max_attempts(self, value: int) -> None:
        self.default_max_attempts = value

    def _split_args(self, kwargs: Dict[str, Any], label: str, allow_lists: bool) -> List[str]:
        problems: List[str] = []
        missing = [a for a in self.template_args if a not in kwargs or kwargs[a] is None]
        unknown = [a for a in kwargs if a not in self.template_args]
        if missing:
            problems.append(
                f"{label}: missing argument{'s' if len(missing) > 1 else ''} "
                + ", ".join(repr(m) for m in missing)
                + f" of template {self.template_name!r}"
            )
        for name in unknown:
            problems.append(f"{label}: unknown argument {name!r} for template {self.template_name!r}")
        if not allow_lists:
            for name in self.template_args:
                if isinstance(kwargs.get(name), (list, tuple, set)):
                    problems.append(
                        f"{label}: argument {name!r} is a list: use create_tasks to expand node args"
                    )
        return problems

    def create_task(
        self,
        name: str = "",
        upstream_tasks: Optional[Sequence[Task]] = None,
        task_attributes: Optional[Union[List[Any], Dict[str, Any]]] = None,
        max_attempts: Optional[int] = None,
        compute_resources: Optional[Dict[str, Any]] = None,
        resource_scales: Optional[Dict[str, Any]] = None,
        cluster_name: str = "",
        fallback_queues: Optional[List[str]] = None,
        **kwargs: Any,
    ) -> Task:
        """A task of this template; every argument of the template is required, no other."""
        label = f"task {name!r} of template {self.template_name!r}" if name else (
            f"a task of template {self.template_name!r}"
        )
        problems = self._split_args(kwargs, label, allow_lists=False)
        if problems:
            raise WorkflowDefinitionError("; ".join(problems), problems)
        if cluster_name:
            cluster_backend(cluster_name, label)
        if resource_scales:
            to_resource_scales(resource_scales, label)
        if compute_resources is not None and not isinstance(compute_resources, dict):
            raise InvalidResourcesError(f"{label}: compute_resources must be a dict")
        return Task(
            template=self,
            node_args={a: arg_text(kwargs[a]) for a in self.node_args},
            task_args={a: arg_text(kwargs[a]) for a in self.task_args},
            op_args={a: arg_text(kwargs[a]) for a in self.op_args},
            name=name or None,
            upstream_tasks=upstream_tasks,
            compute_resources=compute_resources,
            cluster_name=cluster_name,
            max_attempts=max_attempts,
            resource_scales=resource_scales,
            fallback_queues=fallback_queues,
            task_attributes=task_attributes,
        )

    def create_tasks(
        self,
        max_attempts: Optional[int] = None,
        upstream_tasks: Optional[Sequence[Task]] = None,
        compute_resources: Optional[Dict[str, Any]] = None,
        resource_scales: Optional[Dict[str, Any]] = None,
        cluster_name: str = "",
        fallback_queues: Optional[List[str]] = None,
        name: Optional[str] = None,
        **kwargs: Any,
    ) -> List[Task]:
        """Tasks for the cartesian product of the node args given as lists (Jobmon 3's array tasks).

        Task and op args are the same for every task; a node arg given as a single value is used as is.
        """
        label = f"tasks of template {self.template_name!r}"
        problems = self._split_args(kwargs, label, allow_lists=True)
        for arg in self.task_args + self.op_args:
            if isinstance(kwargs.get(arg), (list, tuple, set)):
                problems.append(f"{label}: task/op arg {arg!r} cannot be a list (only node args expand)")
        if problems:
            raise WorkflowDefinitionError("; ".join(problems), problems)
        if cluster_name:
            cluster_backend(cluster_name, label)
        if resource_scales:
            to_resource_scales(resource_scales, label)
        axes = []
        for arg in self.node_args:
            value = kwargs[arg]
            values = list(value) if isinstance(value, (list, tuple, range)) else [value]
            axes.append([arg_text(v) for v in values])
        # Checked once above for all of them: the tasks are made directly (100k tasks in linear time).
        task_args = {a: arg_text(kwargs[a]) for a in self.task_args}
        op_args = {a: arg_text(kwargs[a]) for a in self.op_args}
        return [
            Task(
                template=self,
                node_args=dict(zip(self.node_args, combination)),
                task_args=task_args,
                op_args=op_args,
                upstream_tasks=upstream_tasks,
                compute_resources=compute_resources,
                cluster_name=cluster_name,
                max_attempts=max_attempts,
                resource_scales=resource_scales,
                fallback_queues=fallback_queues,
            )
            for combination in itertools.product(*axes)
        ]

    def __repr__(self) -> str:
        return f"TaskTemplate({self.template_name!r})"
