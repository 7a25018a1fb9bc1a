"""run() against a stand-in server that drops connections and answers 5xx: it keeps following."""

from __future__ import annotations

import io
import json
import threading
import unittest
from contextlib import redirect_stderr
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List

from jobmon.client._graphql import GraphQLClient
from jobmon.client.tool import Tool

COUNTS = {
    "total": 1,
    "REGISTERING": 0,
    "QUEUED": 0,
    "INSTANTIATING": 0,
    "LAUNCHED": 0,
    "RUNNING": 0,
    "DONE": 0,
    "ERROR_RECOVERABLE": 0,
    "ADJUSTING_RESOURCES": 0,
    "ERROR_FATAL": 0,
}


def state(status: str, run_status: str, done: int) -> Dict[str, Any]:
    counts = {**COUNTS, "DONE": done, "RUNNING": 1 - done}
    return {"id": "7", "status": status, "statusCounts": counts, "latestRun": {"id": "3", "status": run_status}}


class FlakyServer(ThreadingHTTPServer):
    """Answers the client's operations; the first polls are dropped connections and a proxy's 502."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.seen: List[str] = []
        self.authorization: List[Any] = []
        self.polls = 0


class Handler(BaseHTTPRequestHandler):
    server: FlakyServer

    def log_message(self, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["content-length"])))
        operation = body["operationName"]
        self.server.seen.append(operation)
        self.server.authorization.append(self.headers.get("authorization"))
        if operation == "ServerLimits":
            return self.answer({"serverLimits": {"maxTasksPerSubmission": 100, "maxPageSize": 10}})
        if operation == "SubmitWorkflow":
            return self.answer(
                {
                    "submitWorkflow": {
                        "created": True,
                        "workflow": state("QUEUED", "RUNNING", 0),
                        "workflowRun": {"id": "3", "status": "RUNNING"},
                    }
                }
            )
        self.server.polls += 1
        if self.server.polls in (1, 2, 4):
            self.close_connection = True  # dropped: no answer at all
            return None
        if self.server.polls == 3:
            payload = b"<html>502 Bad Gateway</html>"
            self.send_response(502)
            self.send_header("content-type", "text/html")
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            return None
        if self.server.polls == 5:
            payload = json.dumps(
                {"errors": [{"message": "restarting", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}
            ).encode()
            self.send_response(500)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            return None
        done = self.server.polls >= 7
        return self.answer({"workflow": state("DONE" if done else "RUNNING", "DONE" if done else "RUNNING", int(done))})

    def answer(self, data: Dict[str, Any]) -> None:
        payload = json.dumps({"data": data}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


class FollowTest(unittest.TestCase):
    def test_dropped_connections_and_a_bad_gateway_never_end_run(self) -> None:
        server = FlakyServer()
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            tool = Tool("follow")
            template = tool.get_task_template(template_name="t", command_template="true")
            wf = tool.create_workflow(workflow_args="follow")
            wf._client = GraphQLClient(
                server_url=f"http://127.0.0.1:{server.server_address[1]}", token="secret"
            )
            wf.add_task(template.create_task())
            printed = io.StringIO()
            with redirect_stderr(printed):
                status = wf.run(seconds_until_timeout=120, status_check_interval=0.01)
            self.assertEqual(status, "D")
            self.assertEqual(server.seen[:2], ["ServerLimits", "SubmitWorkflow"])
            self.assertEqual(server.polls, 7)
            self.assertEqual(set(server.authorization), {"Bearer secret"})
            self.assertIn("retrying", printed.getvalue())
            self.assertTrue(printed.getvalue().endswith("DONE 1/1 done, 0 running, 0 waiting, 0 failed\n"))
        finally:
            server.shutdown()
            server.server_close()
            thread.join()


if __name__ == "__main__":
    unittest.main()
