"""The Python side of `npm run bench:python`: builds the benchmark DAG and binds it, then prints
{"seconds": ..., "workflowId": ...} as JSON. The DAG: templates a and b with N/2 tasks each, every b[i]
after a[i], a[i+1], a[i+2] and a[i+3] (mod N/2): N tasks, 2N edges. Paused (nothing runs).

    JOBMON_SERVER_URL=... python3 bench/bind.py TASKS WORKFLOW_ARGS
"""

from __future__ import annotations

import json
import sys
import time

from jobmon.client.tool import Tool


def main() -> None:
    total, workflow_args = int(sys.argv[1]), sys.argv[2]
    start = time.perf_counter()
    half = total // 2
    tool = Tool("bench-python")
    a = tool.get_task_template(template_name="a", command_template="true {i}", node_args=["i"])
    b = tool.get_task_template(template_name="b", command_template="true {i}", node_args=["i"])
    workflow = tool.create_workflow(workflow_args=workflow_args, max_concurrently_running=0)
    firsts = a.create_tasks(i=list(range(half)))
    seconds = b.create_tasks(i=list(range(half)))
    for i, task in enumerate(seconds):
        for k in range(4):
            task.add_upstream(firsts[(i + k) % half])
    workflow.add_tasks(firsts)
    workflow.add_tasks(seconds)
    built = time.perf_counter()
    workflow.bind()
    done = time.perf_counter()
    print(
        json.dumps(
            {
                "seconds": done - start,
                "buildSeconds": built - start,
                "workflowId": workflow.workflow_id,
            }
        )
    )


if __name__ == "__main__":
    main()
