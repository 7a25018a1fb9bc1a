"""Pure unit tests (no server): definition errors, cartesian expansion, resource parsing."""

from __future__ import annotations

import datetime
import json
import unittest

from jobmon.client.exceptions import (
    CyclicGraphError,
    DuplicateNodeArgsError,
    EmptyWorkflowError,
    InvalidResourcesError,
    NodeDependencyNotExistError,
    WorkflowDefinitionError,
)
from jobmon.client.resources import parse_memory_mb, parse_runtime_seconds, to_resources_input
from jobmon.client.tool import Tool
from jobmon.client.workflow import Workflow, request_chunks


class _NoServer:
    """Stands in for the server: any request is a failure of the test (nothing may be sent)."""

    endpoint = "http://nowhere.invalid/graphql"

    def __getattr__(self, name: str) -> None:
        raise AssertionError(f"the client sent a request ({name}) for a workflow it should refuse")


def workflow(tool: Tool, args: str = "wf") -> Workflow:
    wf = tool.create_workflow(workflow_args=args)
    wf._client = _NoServer()  # type: ignore[assignment]
    return wf


class DefinitionErrorsTest(unittest.TestCase):
    def setUp(self) -> None:
        self.tool = Tool("unit")
        self.fit = self.tool.get_task_template(
            template_name="fit",
            command_template="python fit.py --loc {location} --year {year} --v {version}",
            node_args=["location", "year"],
            task_args=["version"],
        )

    def test_missing_and_unknown_args_name_the_task_and_template(self) -> None:
        with self.assertRaises(WorkflowDefinitionError) as caught:
            self.fit.create_task(name="kenya", location="kenya", colour="red")
        problems = caught.exception.problems
        self.assertEqual(
            problems,
            [
                "task 'kenya' of template 'fit': missing arguments 'year', 'version' of template 'fit'",
                "task 'kenya' of template 'fit': unknown argument 'colour' for template 'fit'",
            ],
        )

    def test_template_args_must_match_the_command(self) -> None:
        with self.assertRaises(WorkflowDefinitionError) as caught:
            self.tool.get_task_template(
                template_name="t", command_template="echo {a} {b}", node_args=["a", "c"]
            )
        self.assertEqual(
            caught.exception.problems,
            [
                "task template 't': nodeArgs argument \"c\" does not appear in the command template",
                "task template 't': placeholder {b} is not declared in nodeArgs, taskArgs or opArgs",
            ],
        )

    def test_names_the_server_cannot_store_are_refused_before_anything_is_sent(self) -> None:
        wf = workflow(self.tool)
        wf.name = "w" * 256
        long_key = self.fit.create_task(location="x" * 300, year=1, version="v")
        nul_name = self.fit.create_task(name="bad\0name", location="a", year=1, version="v")
        wf.add_tasks([long_key, nul_name])
        with self.assertRaises(WorkflowDefinitionError) as caught:
            wf.bind()
        problems = caught.exception.problems
        self.assertIn("workflow name is longer than 255 characters", problems)
        self.assertIn(f"task {long_key.key[:40]!r}...: key is longer than 255 characters", problems)
        self.assertIn("task 'fit[location=a,year=1]': name contains a NUL character", problems)
        self.assertEqual(caught.exception.code, "BAD_USER_INPUT")

    def test_a_cycle_is_refused_before_anything_is_sent(self) -> None:
        wf = workflow(self.tool)
        a = self.fit.create_task(location="a", year=1, version="v")
        b = self.fit.create_task(location="b", year=1, version="v", upstream_tasks=[a])
        c = self.fit.create_task(location="c", year=1, version="v", upstream_tasks=[b])
        a.add_upstream(c)
        wf.add_tasks([a, b, c])
        with self.assertRaises(CyclicGraphError) as caught:
            wf.bind()
        message = str(caught.exception)
        self.assertIn("cycle between tasks:", message)
        for key in ("fit[location=a,year=1]", "fit[location=b,year=1]", "fit[location=c,year=1]"):
            self.assertIn(key, message)
        with self.assertRaises(CyclicGraphError):
            wf.run()

    def test_an_upstream_task_not_in_the_workflow_is_named(self) -> None:
        wf = workflow(self.tool)
        outside = self.fit.create_task(location="x", year=1, version="v")
        inside = self.fit.create_task(location="y", year=1, version="v")
        inside.add_upstream(outside)
        wf.add_task(inside)
        with self.assertRaises(NodeDependencyNotExistError) as caught:
            wf.bind()
        self.assertEqual(
            caught.exception.problems,
            [
                "task 'fit[location=y,year=1]': upstream task 'fit[location=x,year=1]' "
                "is not added to the workflow"
            ],
        )

    def test_duplicate_node_args_and_empty_workflows(self) -> None:
        wf = workflow(self.tool)
        wf.add_task(self.fit.create_task(location="a", year=1, version="v1"))
        with self.assertRaises(DuplicateNodeArgsError):
            wf.add_task(self.fit.create_task(location="a", year=1, version="v2"))
        with self.assertRaises(EmptyWorkflowError):
            workflow(self.tool, "empty").bind()

    def test_unknown_cluster_and_bad_resources_are_named(self) -> None:
        with self.assertRaises(InvalidResourcesError) as caught:
            self.tool.set_default_compute_resources_from_dict("nowhere", {"memory": "1G"})
        self.assertIn("unknown cluster 'nowhere'", str(caught.exception))
        wf = workflow(self.tool)
        wf.add_task(
            self.fit.create_task(
                name="hungry",
                location="a",
                year=1,
                version="v",
                cluster_name="local",
                compute_resources={"memory": "lots", "runtime": "forever", "cores": 0},
            )
        )
        with self.assertRaises(InvalidResourcesError) as caught:
            wf.bind()
        self.assertEqual(len(caught.exception.problems), 3)
        for problem in caught.exception.problems:
            self.assertTrue(problem.startswith("task 'hungry': invalid "), problem)


class ExpansionTest(unittest.TestCase):
    def test_create_tasks_expands_list_node_args_to_their_cartesian_product(self) -> None:
        tool = Tool("unit")
        template = tool.get_task_template(
            template_name="fit",
            command_template="fit {location} {year} {version}",
            node_args=["location", "year"],
            task_args=["version"],
        )
        up = tool.get_task_template(template_name="prep", command_template="prep").create_task()
        tasks = template.create_tasks(
            location=["kenya", "peru", "chad"], year=[2020, 2021], version="v3", upstream_tasks=[up]
        )
        self.assertEqual(
            [(t.node_args["location"], t.node_args["year"]) for t in tasks],
            [(loc, year) for loc in ("kenya", "peru", "chad") for year in ("2020", "2021")],
        )
        self.assertEqual({t.task_args["version"] for t in tasks}, {"v3"})
        self.assertEqual([t.command for t in tasks][:1], ["fit kenya 2020 v3"])
        self.assertTrue(all(t.upstream_tasks == [up] for t in tasks))
        self.assertEqual(len(up.downstream_tasks), 6)
        wf = workflow(tool)
        wf.add_tasks([up] + tasks)
        self.assertEqual(wf.get_tasks_by_node_args("fit", location="peru"), tasks[2:4])
        self.assertEqual(wf.get_tasks_by_node_args("fit", location="peru", year=2021), [tasks[3]])
        with self.assertRaises(ValueError):
            wf.get_tasks_by_node_args("nope", location="peru")

    def test_task_args_cannot_be_lists(self) -> None:
        template = Tool("unit").get_task_template(
            template_name="fit", command_template="fit {a} {b}", node_args=["a"], task_args=["b"]
        )
        with self.assertRaises(WorkflowDefinitionError):
            template.create_tasks(a=[1, 2], b=["x", "y"])


class AttributesTest(unittest.TestCase):
    def test_attribute_values_are_sent_as_strings_as_jobmon3_records_them(self) -> None:
        tool = Tool("unit")
        wf = tool.create_workflow(
            workflow_args="attrs", workflow_attributes={"released": datetime.date(2020, 1, 2), "n": 3}
        )
        template = tool.get_task_template(template_name="t", command_template="true")
        wf.add_task(template.create_task(task_attributes={"weight": 1.5, "tag": None}))
        submission = json.loads(json.dumps(wf._submission()))
        self.assertEqual(submission["attributes"], {"released": "2020-01-02", "n": "3"})
        self.assertEqual(submission["tasks"][0]["attributes"], {"weight": "1.5", "tag": None})


class ImportsTest(unittest.TestCase):
    def test_jobmon3_import_paths_and_status_codes(self) -> None:
        from jobmon.client.api import Tool as ApiTool
        from jobmon.core.constants import WorkflowRunStatus
        from jobmon.core.exceptions import WorkflowAlreadyExists as CoreAlreadyExists
        from jobmon.client.exceptions import WorkflowAlreadyExists
        from jobmon.client.workflow import RUN_STATUS_CODES

        self.assertIs(ApiTool, Tool)
        self.assertIs(CoreAlreadyExists, WorkflowAlreadyExists)
        self.assertEqual(
            RUN_STATUS_CODES,
            {
                "DONE": WorkflowRunStatus.DONE,
                "FAILED": WorkflowRunStatus.ERROR,
                "HALTED": WorkflowRunStatus.STOPPED,
            },
        )


class ResourcesTest(unittest.TestCase):
    def test_memory(self) -> None:
        self.assertEqual(parse_memory_mb("1G"), 1024)
        self.assertEqual(parse_memory_mb("512M"), 512)
        self.assertEqual(parse_memory_mb("1.5GiB"), 1536)
        self.assertEqual(parse_memory_mb(300), 300)
        self.assertEqual(parse_memory_mb("2T"), 2 * 1024 * 1024)
        for bad in ("lots", "0G", -1, True):
            with self.assertRaises(ValueError):
                parse_memory_mb(bad)

    def test_runtime(self) -> None:
        self.assertEqual(parse_runtime_seconds("1m"), 60)
        self.assertEqual(parse_runtime_seconds("2h"), 7200)
        self.assertEqual(parse_runtime_seconds("1h30m"), 5400)
        self.assertEqual(parse_runtime_seconds(90), 90)
        self.assertEqual(parse_runtime_seconds("01:00:05"), 3605)
        self.assertEqual(parse_runtime_seconds("1-00:00:00"), 86400)
        for bad in ("soon", "0s", "1:75", 0):
            with self.assertRaises(ValueError):
                parse_runtime_seconds(bad)

    def test_keys_map_to_the_server_and_the_rest_goes_to_the_backend(self) -> None:
        resources = {
            "cores": 2,
            "memory": "2G",
            "runtime": "10m",
            "queue": "all.q",
            "project": "proj_x",
            "constraints": "archive",
            "qos": "long",
        }
        self.assertEqual(
            to_resources_input("slurm", resources, "t"),
            {
                "cores": 2,
                "memoryMb": 2048,
                "runtimeSeconds": 600,
                "queue": "all.q",
                "extra": {"account": "proj_x", "constraints": "archive", "qos": "long"},
            },
        )
        # The machine's own clusters have no named queues: Jobmon 3's "null.q" is dropped.
        self.assertNotIn("queue", to_resources_input("multiprocess", resources, "t"))

    def test_resources_merge_workflow_tool_template_task(self) -> None:
        tool = Tool("unit")
        tool.set_default_compute_resources_from_dict("local", {"memory": "1G", "cores": 1, "runtime": 60})
        template = tool.get_task_template(
            template_name="t",
            command_template="echo {x}",
            default_cluster_name="local",
            default_compute_resources={"cores": 2},
            default_resource_scales={"memory": 0.5},
            default_max_attempts=5,
        )
        wf = workflow(tool)
        wf.set_default_compute_resources_from_dict("local", {"memory": "4G", "runtime": "1h"})
        wf.add_task(template.create_task(x=1, compute_resources={"runtime": "2m"}))
        task = wf._submission()["tasks"][0]
        self.assertEqual(task["resources"], {"memoryMb": 1024, "runtimeSeconds": 120, "cores": 2})
        self.assertEqual(task["resourceScales"], {"memory": 0.5})
        self.assertEqual(task["maxAttempts"], 5)


class RequestChunkTests(unittest.TestCase):
    """A submission is cut by the server's items (tasks + upstream keys), not only by tasks."""

    @staticmethod
    def _tasks(edges_per_task: int, count: int) -> list:
        ups = [{"key": f"u{i}", "upstream": []} for i in range(edges_per_task)]
        downs = [{"key": f"d{i}", "upstream": [u["key"] for u in ups]} for i in range(count)]
        return ups + downs

    def test_many_edges_few_tasks_are_cut_by_items(self) -> None:
        tasks = self._tasks(edges_per_task=40, count=20)  # 60 tasks, 800 edges: 860 items
        chunks = request_chunks(tasks, max_tasks=1000, max_items=100)
        self.assertGreater(len(chunks), 8)
        for chunk in chunks:
            self.assertLessEqual(sum(1 + len(task["upstream"]) for task in chunk), 100)
        self.assertEqual([task["key"] for chunk in chunks for task in chunk], [t["key"] for t in tasks])

    def test_tasks_are_still_cut_by_the_task_limit(self) -> None:
        tasks = [{"key": f"t{i}"} for i in range(10)]
        self.assertEqual([len(c) for c in request_chunks(tasks, max_tasks=4, max_items=1000)], [4, 4, 2])

    def test_a_submission_within_both_limits_is_one_request(self) -> None:
        tasks = self._tasks(edges_per_task=3, count=3)  # 3 + 3 × 4 = 15 items
        self.assertEqual(len(request_chunks(tasks, max_tasks=1000, max_items=15)), 1)

    def test_a_task_with_more_upstream_keys_than_a_request_carries_is_refused(self) -> None:
        with self.assertRaisesRegex(WorkflowDefinitionError, "may list at most 99"):
            request_chunks(self._tasks(edges_per_task=100, count=1), max_tasks=1000, max_items=100)


if __name__ == "__main__":
    unittest.main()
