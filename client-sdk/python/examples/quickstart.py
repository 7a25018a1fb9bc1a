"""The Jobmon quickstart, as a Jobmon 3 user writes it: a fork (one task per location, made with
create_tasks) and a join that waits for all of them (found with get_tasks_by_node_args).

    JOBMON_SERVER_URL=http://localhost:4000 python3 client-sdk/python/examples/quickstart.py
"""

import getpass
import sys
import uuid

from jobmon.client.tool import Tool


def main() -> str:
    user = getpass.getuser()
    wf_uuid = uuid.uuid4()

    tool = Tool(name="quickstart_tool")
    tool.set_default_compute_resources_from_dict(
        cluster_name="local",
        compute_resources={"cores": 1, "memory": "1G", "runtime": "1m", "queue": "null.q"},
    )

    workflow = tool.create_workflow(
        name=f"quickstart_workflow_{wf_uuid}",
        workflow_args=f"quickstart_{user}_{wf_uuid}",
        max_concurrently_running=10,
        workflow_attributes={"purpose": "quickstart"},
    )

    fit_template = tool.get_task_template(
        template_name="fit",
        command_template="echo fitting {location} with {model_version}",
        node_args=["location"],
        task_args=["model_version"],
        default_cluster_name="local",
        default_compute_resources={"memory": "512M"},
    )
    summarize_template = tool.get_task_template(
        template_name="summarize",
        command_template="echo summarizing {model_version}",
        node_args=[],
        task_args=["model_version"],
        default_max_attempts=2,
    )

    # The fork: one task per location, as Jobmon 3's array tasks.
    fits = fit_template.create_tasks(location=["kenya", "peru", "chad", "laos"], model_version="v1")
    workflow.add_tasks(fits)

    # The join: upstream of every fit, found again by its node args.
    summarize = summarize_template.create_task(name="summarize", model_version="v1")
    for location in ["kenya", "peru", "chad", "laos"]:
        for task in workflow.get_tasks_by_node_args("fit", location=location):
            summarize.add_upstream(task)
    workflow.add_task(summarize)

    status = workflow.run(seconds_until_timeout=600)
    print(f"workflow {workflow.workflow_id} finished with status {status}")
    if status != "D":
        print(workflow.get_errors(), file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(0 if main() == "D" else 1)
