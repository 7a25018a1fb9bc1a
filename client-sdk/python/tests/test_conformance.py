"""The core's conformance cases (core/conformance/*.json): this client's rules must agree with the core's.

The same files are run against the TypeScript core (core/src/conformance.test.ts) and the R package.
"""

from __future__ import annotations

import json
import os
import unittest
from typing import Any, Callable, Dict, List

from jobmon.client._core_rules import ErrorCode
from jobmon.client._graphql import graphql_endpoint
from jobmon.client.exceptions import WorkflowDefinitionError
from jobmon.client.names import name_problem
from jobmon.client.resources import (
    is_cores,
    parse_memory_mb,
    parse_runtime_seconds,
    resource_scales_problems,
)
from jobmon.client.task_template import (
    arg_text,
    render_command,
    template_arg_groups,
    template_placeholders,
)
from jobmon.client.workflow import find_cycle

CONFORMANCE_DIR = os.environ.get("JOBMON_CONFORMANCE_DIR") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "core", "conformance"
)


def load(name: str) -> Dict[str, Any]:
    with open(os.path.join(CONFORMANCE_DIR, f"{name}.json"), encoding="utf-8") as handle:
        return json.load(handle)  # type: ignore[no-any-return]


def outcome(fn: Callable[[], Any]) -> Dict[str, Any]:
    """What the fixtures state: the value, or the stable error code of the refusal."""
    try:
        return {"value": fn()}
    except WorkflowDefinitionError as error:
        return {"error": error.code}


class ResourcesConformanceTest(unittest.TestCase):
    def test_memory(self) -> None:
        for case in load("resources")["memory"]:
            with self.subTest(input=case["input"]):
                expected = {"error": case["error"]} if "error" in case else {"value": case["mib"]}
                self.assertEqual(outcome(lambda: parse_memory_mb(case["input"])), expected)

    def test_runtime(self) -> None:
        for case in load("resources")["runtime"]:
            with self.subTest(input=case["input"]):
                expected = {"error": case["error"]} if "error" in case else {"value": case["seconds"]}
                self.assertEqual(outcome(lambda: parse_runtime_seconds(case["input"])), expected)

    def test_cores(self) -> None:
        for case in load("resources")["cores"]:
            with self.subTest(input=case["input"]):
                got = {"ok": True} if is_cores(case["input"]) else {"error": ErrorCode.BAD_USER_INPUT}
                self.assertEqual(got, {"error": case["error"]} if "error" in case else {"ok": True})

    def test_scales(self) -> None:
        for case in load("resources")["scales"]:
            with self.subTest(input=case["input"]):
                if "python" in case.get("skip", {}):
                    continue  # deliberately different here: the case says why
                problems = resource_scales_problems(case["input"], "task")
                got = {"error": ErrorCode.BAD_USER_INPUT} if problems else {"ok": True}
                self.assertEqual(got, {"error": case["error"]} if "error" in case else {"ok": True})

    def test_refusals_carry_the_servers_code(self) -> None:
        self.assertEqual(ErrorCode.BAD_USER_INPUT, "BAD_USER_INPUT")


class TemplatesConformanceTest(unittest.TestCase):
    def test_placeholders(self) -> None:
        for case in load("templates")["placeholders"]:
            with self.subTest(template=case["template"]):
                expected = (
                    {"error": case["error"]} if "error" in case else {"value": case["placeholders"]}
                )
                self.assertEqual(outcome(lambda: template_placeholders(case["template"], "t")), expected)

    def test_render(self) -> None:
        for case in load("templates")["render"]:
            with self.subTest(template=case["template"]):
                expected = (
                    {"command": case["command"]} if "command" in case else {"missing": case["missing"]}
                )
                self.assertEqual(render_command(case["template"], case["args"]), expected)

    def test_declarations(self) -> None:
        for case in load("templates")["declarations"]:
            with self.subTest(case=case):
                if "python" in case.get("skip", {}):
                    # Deliberately different here; the case says why.
                    continue
                expected = {"error": case["error"]} if "error" in case else {"value": case["groups"]}

                def groups() -> Dict[str, List[str]]:
                    node, task, op = template_arg_groups(
                        case["template"],
                        case.get("nodeArgs"),
                        case.get("taskArgs"),
                        case.get("opArgs"),
                        "t",
                    )
                    return {"nodeArgs": node, "taskArgs": task, "opArgs": op}

                self.assertEqual(outcome(groups), expected)

    def test_arg_values(self) -> None:
        for case in load("templates")["argValues"]:
            with self.subTest(value=case["value"]):
                if "python" in case.get("skip", {}):
                    continue  # deliberately different here (Jobmon 3's str()): the case says why
                expected = {"error": case["error"]} if "error" in case else {"value": case["text"]}
                self.assertEqual(outcome(lambda: arg_text(case["value"])), expected)

    def test_skipped_declarations_say_why(self) -> None:
        # A skipped case must still say why, so that the difference is deliberate and documented.
        for case in load("templates")["declarations"]:
            for reason in case.get("skip", {}).values():
                self.assertTrue(reason.strip())


class CyclesConformanceTest(unittest.TestCase):
    def test_cycles(self) -> None:
        for case in load("dag")["cases"]:
            with self.subTest(case["name"]):
                upstream: Dict[str, List[str]] = {key: ups for key, ups in case["tasks"]}
                cycle = find_cycle([key for key, _ in case["tasks"]], lambda key: upstream.get(key, []))
                if case["cycle"] is None:
                    self.assertIsNone(cycle)
                    continue
                assert cycle is not None
                # Closed on its first key, each key upstream of the next, through exactly the cycle's tasks.
                self.assertEqual(cycle[-1], cycle[0])
                for before, after in zip(cycle, cycle[1:]):
                    self.assertIn(before, upstream[after])
                self.assertEqual(sorted(set(cycle)), sorted(case["cycle"]))
                self.assertEqual(len(cycle), len(case["cycle"]) + 1)


class EndpointConformanceTest(unittest.TestCase):
    def test_endpoint(self) -> None:
        for case in load("endpoint")["cases"]:
            with self.subTest(case["serverUrl"]):
                self.assertEqual(graphql_endpoint(case["serverUrl"]), case["endpoint"])


class NamesConformanceTest(unittest.TestCase):
    def test_names(self) -> None:
        for case in load("names")["cases"]:
            value = case["text"] * case.get("repeat", 1)
            with self.subTest(text=case["text"], repeat=case.get("repeat", 1)):
                problem = name_problem(value, "name")
                got = {"ok": True} if problem is None else {"error": ErrorCode.BAD_USER_INPUT}
                self.assertEqual(got, {"error": case["error"]} if "error" in case else {"ok": True})


if __name__ == "__main__":
    unittest.main()
