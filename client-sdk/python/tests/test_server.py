"""Against a real Jobmon server (JOBMON_SERVER_URL; started by e2e/src/python-client.e2e.test.ts).

Skipped without JOBMON_SERVER_URL, so that ``python3 -m unittest discover`` alone runs the unit tests.
"""

from __future__ import annotations

import getpass
import os
import subprocess
import sys
import tempfile
import unittest
import uuid
from typing import Any, Dict, List

from jobmon.client._graphql import GraphQLClient, load_operations
from jobmon.client.exceptions import (
    WorkflowAlreadyComplete,
    WorkflowAlreadyExists,
    WorkflowTimeoutError,
)
from jobmon.client.tool import Tool
from jobmon.client.workflow import Workflow

SERVER = os.environ.get("JOBMON_SERVER_URL")
HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE_ROOT = os.path.dirname(HERE)
TEST_OPERATIONS = load_operations(os.path.join(HERE, "graphql"))


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def attempts_by_key(workflow: Workflow) -> Dict[str, List[Dict[str, Any]]]:
    """Each task's attempts as the server has them."""
    return {
        node["key"]: node["instances"]
        for node in workflow._pages("WorkflowTaskAttempts", {"status": None})
    }


def workflow_dag(client: GraphQLClient, workflow_id: int) -> Dict[str, Any]:
    data = client.execute(
        "TestWorkflowDag", {"id": str(workflow_id)}, document=TEST_OPERATIONS["TestWorkflowDag"]
    )
    return data["workflow"]  # type: ignore[no-any-return]


@unittest.skipUnless(SERVER, "JOBMON_SERVER_URL is not set")
class ServerTest(unittest.TestCase):
    def setUp(self) -> None:
        self.dir = tempfile.mkdtemp(prefix="jobmon-py-")

    def test_quickstart_example_runs_as_a_user_script(self) -> None:
        env = {**os.environ, "PYTHONPATH": PACKAGE_ROOT}
        result = subprocess.run(
            [sys.executable, os.path.join(PACKAGE_ROOT, "examples", "quickstart.py")],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertRegex(result.stdout, r"workflow \d+ finished with status D")
        # Progress lines while it ran, the last one final.
        self.assertRegex(result.stderr, r"DONE 5/5 done, 0 running, 0 waiting, 0 failed\n$")

    def test_fork_and_join_runs_in_dependency_order(self) -> None:
        log = os.path.join(self.dir, "order.log")
        tool = Tool(unique("forkjoin"))
        tool.set_default_compute_resources_from_dict("local", {"cores": 1, "memory": "256M"})
        fork = tool.get_task_template(
            template_name="fork",
            command_template="echo {location} >> {log}",
            node_args=["location"],
            op_args=["log"],
        )
        join = tool.get_task_template(
            template_name="join", command_template="echo join >> {log}", op_args=["log"]
        )
        wf = tool.create_workflow(workflow_args=unique("fj"))
        locations = ["a", "b", "c"]
        wf.add_tasks(fork.create_tasks(location=locations, log=log))
        last = join.create_task(log=log)
        for location in locations:
            for task in wf.get_tasks_by_node_args("fork", location=location):
                task.add_downstream(last)
        wf.add_task(last)
        self.assertEqual(wf.run(seconds_until_timeout=300), "D")
        with open(log) as handle:
            lines = handle.read().split()
        self.assertEqual(sorted(lines[:3]), locations)
        self.assertEqual(lines[3:], ["join"])
        dag = workflow_dag(wf.client, wf.workflow_id)
        self.assertEqual(len(dag["dag"]["edges"]), 1)
        self.assertIsInstance(last.task_id, int)
        # An open-mode server records who submitted, as the client says (getpass.getuser()).
        self.assertEqual(dag["createdBy"], getpass.getuser())

    def _resumable(self, tool_name: str, args: str, marker: str) -> Workflow:
        """A workflow as a user's script builds it: two roots, a check that needs ``marker``, a tail."""
        tool = Tool(tool_name)
        tool.set_default_compute_resources_from_dict("local", {"cores": 1, "memory": "256M"})
        ok = tool.get_task_template(template_name="ok", command_template="echo {n}", node_args=["n"])
        check = tool.get_task_template(
            template_name="check", command_template="test -e {marker}", node_args=["marker"]
        )
        wf = tool.create_workflow(workflow_args=args)
        roots = ok.create_tasks(n=[1, 2])
        gate = check.create_task(marker=marker, upstream_tasks=roots, max_attempts=1)
        tail = ok.create_task(n=3, upstream_tasks=[gate])
        wf.add_tasks(roots + [gate, tail])
        return wf

    def test_failed_workflow_is_fixed_and_resumed_rerunning_only_unfinished_tasks(self) -> None:
        tool_name, args = unique("resume"), unique("wf")
        marker = os.path.join(self.dir, "fixed")
        first = self._resumable(tool_name, args, marker)
        self.assertEqual(first.run(seconds_until_timeout=300), "E")
        errors = first.get_errors()
        gate = first.get_tasks_by_node_args("check", marker=marker)[0]
        self.assertEqual(list(errors), [gate.task_id])
        self.assertEqual(errors[gate.task_id]["error_log"][0]["exit_code"], 1)

        # Run again without resume: Jobmon 3 refuses, naming the flag.
        again = self._resumable(tool_name, args, marker)
        with self.assertRaises(WorkflowAlreadyExists):
            again.run(seconds_until_timeout=300)

        # Fix the cause, then resume from a fresh script.
        with open(marker, "w"):
            pass
        resumed = self._resumable(tool_name, args, marker)
        self.assertEqual(resumed.run(resume=True, seconds_until_timeout=300), "D")
        self.assertEqual(resumed.workflow_id, first.workflow_id)
        attempts = attempts_by_key(resumed)
        self.assertEqual(
            {key: [i["status"] for i in instances] for key, instances in attempts.items()},
            {
                "ok[n=1]": ["DONE"],
                "ok[n=2]": ["DONE"],
                f"check[marker={marker}]": ["ERROR", "DONE"],
                "ok[n=3]": ["DONE"],
            },
        )
        with self.assertRaises(WorkflowAlreadyComplete):
            self._resumable(tool_name, args, marker).run(resume=True)

    def test_a_task_over_its_memory_is_retried_with_more(self) -> None:
        tool = Tool(unique("memory"))
        hungry = tool.get_task_template(
            template_name="hungry",
            command_template=(
                "python3 -c \"import time; b = b'x' * ({mb} * 1024 * 1024); time.sleep(1)\""
            ),
            node_args=["mb"],
            default_cluster_name="local",
        )
        wf = tool.create_workflow(workflow_args=unique("mem"))
        # ~200 MiB resident: over 120 MiB, within 120 x 1.5 x 1.5 = 270 MiB.
        wf.add_task(
            hungry.create_task(
                mb=200,
                compute_resources={"memory": 120},
                resource_scales={"memory": 0.5},
                max_attempts=4,
            )
        )
        self.assertEqual(wf.run(seconds_until_timeout=300), "D")
        attempts = attempts_by_key(wf)["hungry[mb=200]"]
        self.assertEqual([i["resources"]["memoryMb"] for i in attempts], [120, 180, 270])
        self.assertEqual(
            [(i["status"], i["errorKind"]) for i in attempts],
            [("RESOURCE_ERROR", "OUT_OF_MEMORY"), ("RESOURCE_ERROR", "OUT_OF_MEMORY"), ("DONE", None)],
        )
        usage = {row["task_name"]: row for row in wf.get_resource_usage()}["hungry[mb=200]"]
        self.assertEqual(usage["num_attempts"], 3)
        self.assertGreaterEqual(usage["max_rss_mb"], 150)

    def test_timeout_raises_and_the_workflow_goes_on_on_the_server(self) -> None:
        tool = Tool(unique("timeout"))
        slow = tool.get_task_template(template_name="slow", command_template="sleep {s}")
        wf = tool.create_workflow(workflow_args=unique("slow"))
        wf.add_task(slow.create_task(s=120, cluster_name="local"))
        try:
            with self.assertRaises(WorkflowTimeoutError) as caught:
                wf.run(seconds_until_timeout=2)
            self.assertIsInstance(caught.exception, RuntimeError)  # as Jobmon 3 raises it
            self.assertIn("within the given workflow timeout length (2 seconds)", str(caught.exception))
            state = wf.client.execute("WorkflowRunState", {"id": str(wf.workflow_id)})["workflow"]
            self.assertNotIn(state["status"], ("DONE", "FAILED", "HALTED"))
        finally:
            wf.client.execute("StopWorkflow", {"id": str(wf.workflow_id), "reason": "test over"})

    def test_a_100k_task_200k_edge_workflow_is_bound_in_chunks(self) -> None:
        tool = Tool(unique("big"))
        a = tool.get_task_template(template_name="a", command_template="true {i}", node_args=["i"])
        b = tool.get_task_template(template_name="b", command_template="true {i}", node_args=["i"])
        n = 50_000
        # Paused (0 at once): binding only, nothing runs.
        wf = tool.create_workflow(workflow_args=unique("big"), max_concurrently_running=0)
        firsts = a.create_tasks(i=list(range(n)))
        seconds = b.create_tasks(i=list(range(n)))
        for i, task in enumerate(seconds):
            for k in range(4):
                task.add_upstream(firsts[(i + k) % n])
        wf.add_tasks(firsts)
        wf.add_tasks(seconds)
        sent: List[str] = []
        execute = wf.client.execute

        def recording(operation: str, *rest: Any, **kwargs: Any) -> Dict[str, Any]:
            sent.append(operation)
            return execute(operation, *rest, **kwargs)

        wf.client.execute = recording  # type: ignore[method-assign]
        wf.bind()
        binding = [operation for operation in sent if operation != "ServerLimits"]
        chunks = len(binding) - 2
        self.assertGreaterEqual(chunks, 2)
        self.assertEqual(
            binding,
            ["BeginWorkflowBinding"] + ["AddWorkflowTasks"] * chunks + ["CommitWorkflowBinding"],
        )
        dag = workflow_dag(wf.client, wf.workflow_id)
        self.assertEqual(dag["taskCount"], 2 * n)
        self.assertEqual(dag["statusCounts"]["total"], 2 * n)
        self.assertEqual(sum(edge["count"] for edge in dag["dag"]["edges"]), 4 * n)


if __name__ == "__main__":
    unittest.main()
