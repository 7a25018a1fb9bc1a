# The GraphQL client without a server: retries, errors, the token, and a resume whose answer was lost.

test_that("a request with no answer is retried until the server answers", {
  withr::local_envvar(JOBMON_SERVER_URL = "http://jobmon.test:4000")
  server <- fake_server(list(no_answer(), no_answer(sent = TRUE), ok(list(serverLimits = list(maxTasksPerSubmission = 10, maxPageSize = 5)))))
  data <- asNamespace("jobmonr")$gql("ServerLimits", retry_seconds = 60)
  expect_equal(data$serverLimits$maxTasksPerSubmission, 10)
  expect_length(server$requests, 3)
  expect_match(server$requests[[1]]$query, "query ServerLimits", fixed = TRUE)
})

test_that("it gives up after retry_seconds with a jobmonr_unreachable error", {
  fake_server(rep(list(no_answer()), 100))
  expect_error(asNamespace("jobmonr")$gql("ServerLimits", retry_seconds = 0.3), "cannot reach", class = "jobmonr_unreachable")
})

test_that("GraphQL errors become jobmonr_request_error with their codes and problems", {
  fake_server(list(function(body) list(status = 400L, body = '{"errors":[{"message":"bad","extensions":{"code":"BAD_USER_INPUT","problems":["p1","p2"]}}]}')))
  err <- expect_error(asNamespace("jobmonr")$gql("ServerLimits"), "bad", class = "jobmonr_request_error")
  expect_equal(err$codes, "BAD_USER_INPUT")
  expect_equal(err$problems, c("p1", "p2"))
})

test_that("JOBMON_TOKEN is sent as a bearer token", {
  withr::local_envvar(JOBMON_TOKEN = "s3cret")
  server <- fake_server(list(ok(list(serverLimits = list(maxTasksPerSubmission = 10, maxPageSize = 5)))))
  asNamespace("jobmonr")$gql("ServerLimits")
  expect_equal(server$headers[[1]]$authorization, "Bearer s3cret")
})

test_that("a resume whose answer was lost is not sent again when the new run exists", {
  state <- function(run) ok(list(workflow = list(id = "7", status = "FAILED", latestRun = list(id = run, status = "ERROR"),
    statusCounts = list(total = 1, REGISTERING = 0, QUEUED = 0, INSTANTIATING = 0, LAUNCHED = 0, RUNNING = 0, DONE = 0,
      ERROR_RECOVERABLE = 0, ADJUSTING_RESOURCES = 0, ERROR_FATAL = 1))))
  server <- fake_server(list(state("1"), no_answer(sent = TRUE), state("2")))
  expect_equal(asNamespace("jobmonr")$resume_workflow("7"), "2")
  expect_length(server$requests, 3)
  expect_match(server$requests[[2]]$query, "mutation ResumeWorkflow", fixed = TRUE)
})

test_that("a large workflow is bound in chunks, and aborted when a chunk fails", {
  options(jobmonr.max_tasks_per_request = 2)
  withr::defer(options(jobmonr.max_tasks_per_request = NULL))
  t <- tool("chunks")
  tt <- task_template(t, "step", "echo {n}")
  wf <- add_tasks(workflow(t, "chunked"), array_tasks(tt, n = 1:5))
  binding <- ok(list(beginWorkflowBinding = list(bindingId = "b1", taskCount = 0)))
  limits <- ok(list(serverLimits = list(maxTasksPerSubmission = 1000, maxPageSize = 5)))
  added <- ok(list(addWorkflowTasks = list(bindingId = "b1", taskCount = 2, chunkCount = 1)))
  refused <- function(body) list(status = 200L, body = '{"errors":[{"message":"no","extensions":{"code":"BAD_USER_INPUT"}}]}')
  aborted <- ok(list(abortWorkflowBinding = TRUE))
  server <- fake_server(list(limits, binding, added, refused, aborted))
  expect_error(run(wf), "no", class = "jobmonr_request_error")
  ops <- vapply(server$requests, function(r) sub("^(query|mutation) ", "", regmatches(r$query, regexpr("(query|mutation) [A-Za-z]+", r$query))), character(1))
  expect_equal(ops, c("ServerLimits", "BeginWorkflowBinding", "AddWorkflowTasks", "AddWorkflowTasks", "AbortWorkflowBinding"))
  expect_null(server$requests[[2]]$variables$input$tasks)
  expect_equal(length(server$requests[[3]]$variables$tasks), 2)
  expect_equal(server$requests[[5]]$variables$bindingId, "b1")
})

test_that("a workflow is cut by the server's items (tasks + upstream keys), not only by tasks", {
  t <- tool("items")
  first <- task(task_template(t, "first", "echo first"))
  tt <- task_template(t, "fan", "echo {n}")
  # 1 + 4 × 2 = 9 items: 5 fit in one request, so [first, fan1, fan2] and [fan3, fan4].
  wf <- add_tasks(workflow(t, "items"), c(list(first), array_tasks(tt, n = 1:4, upstream_tasks = list(first))))
  limits <- ok(list(serverLimits = list(maxTasksPerSubmission = 1000, maxItemsPerRequest = 5, maxPageSize = 5)))
  binding <- ok(list(beginWorkflowBinding = list(bindingId = "b1", taskCount = 0)))
  added <- ok(list(addWorkflowTasks = list(bindingId = "b1", taskCount = 2, chunkCount = 1)))
  refused <- function(body) list(status = 200L, body = '{"errors":[{"message":"stop here","extensions":{"code":"BAD_USER_INPUT"}}]}')
  aborted <- ok(list(abortWorkflowBinding = TRUE))
  server <- fake_server(list(limits, binding, added, added, refused, aborted))
  expect_error(run(wf), "stop here", class = "jobmonr_request_error")
  chunks <- lapply(server$requests[3:4], function(r) r$variables$tasks)
  items <- vapply(chunks, function(chunk) sum(vapply(chunk, function(task) 1L + length(task$upstream), integer(1))), integer(1))
  expect_equal(vapply(chunks, length, integer(1)), c(3L, 2L))
  expect_true(all(items <= 5))
  # Every task sent once, the later chunk's upstream naming the earlier chunk's task.
  expect_equal(sum(vapply(chunks, length, integer(1))), 5L)
  expect_equal(unlist(chunks[[2]][[1]]$upstream), chunks[[1]][[1]]$key)
})

test_that("a task with more upstream keys than one request may carry is refused before anything is bound", {
  t <- tool("items_over")
  tt <- task_template(t, "up", "echo {n}")
  ups <- array_tasks(tt, n = 1:5)
  last <- task(task_template(t, "last", "echo last"), upstream_tasks = ups)
  wf <- add_tasks(workflow(t, "items_over"), c(ups, list(last)))
  limits <- ok(list(serverLimits = list(maxTasksPerSubmission = 1000, maxItemsPerRequest = 5, maxPageSize = 5)))
  server <- fake_server(list(limits))
  expect_error(run(wf), "may list at most 4", class = "jobmonr_definition_error")
  expect_equal(length(server$requests), 1L)
})

run_state <- function(status, run, run_status) {
  ok(list(workflow = list(id = "7", status = status, latestRun = list(id = run, status = run_status),
    statusCounts = list(total = 1, REGISTERING = 0, QUEUED = 0, INSTANTIATING = 0, LAUNCHED = 0,
      RUNNING = as.integer(status == "RUNNING"), DONE = as.integer(status == "DONE"), ERROR_RECOVERABLE = 0,
      ADJUSTING_RESOURCES = 0, ERROR_FATAL = as.integer(status == "FAILED")))))
}

test_that("following ends only when the awaited run is over, not on an older run or between runs", {
  options(jobmonr.poll_seconds = 0)
  withr::defer(options(jobmonr.poll_seconds = 0.2))
  follow <- asNamespace("jobmonr")$follow_workflow
  # Waiting for run 2: run 1's FAILED and a cold resume's HALTED are not the end.
  server <- fake_server(list(
    run_state("FAILED", "1", "ERROR"), run_state("HALTED", "1", "COLD_RESUME"),
    run_state("RUNNING", "2", "RUNNING"), run_state("DONE", "2", "DONE")
  ))
  expect_equal(follow("7", "2", 60), "DONE")
  expect_length(server$requests, 4)
  # A resume of a running workflow waits for the old run (1), HALTED while its kills are confirmed.
  server <- fake_server(list(
    run_state("HALTED", "1", "COLD_RESUME"), run_state("RUNNING", "2", "RUNNING"), run_state("DONE", "2", "DONE")
  ))
  expect_equal(follow("7", "1", 60), "DONE")
  expect_length(server$requests, 3)
})

test_that("run() maps the final status to Jobmon's codes: FAILED is E, HALTED is S", {
  options(jobmonr.poll_seconds = 0)
  withr::defer(options(jobmonr.poll_seconds = 0.2))
  t <- tool("codes")
  tt <- task_template(t, "step", "echo {n}")
  submitted <- ok(list(submitWorkflow = list(created = TRUE, workflow = list(id = "7", status = "QUEUED"),
    workflowRun = list(id = "3", status = "BOUND"))))
  limits <- ok(list(serverLimits = list(maxTasksPerSubmission = 1000, maxPageSize = 5)))
  fake_server(list(limits, submitted, run_state("RUNNING", "3", "RUNNING"), run_state("FAILED", "3", "ERROR")))
  wf <- add_tasks(workflow(t, "codes"), list(task(tt, n = 1)))
  expect_equal(run(wf), "E")
  expect_equal(workflow_id(wf), "7")
  fake_server(list(limits, submitted, run_state("HALTED", "3", "STOPPED")))
  expect_equal(run(add_tasks(workflow(t, "codes"), list(task(tt, n = 1)))), "S")
})

test_that("run() gives up following after seconds_until_timeout with a jobmonr_timeout error", {
  t <- tool("codes")
  tt <- task_template(t, "step", "echo {n}")
  submitted <- ok(list(submitWorkflow = list(created = TRUE, workflow = list(id = "7", status = "QUEUED"),
    workflowRun = list(id = "3", status = "BOUND"))))
  limits <- ok(list(serverLimits = list(maxTasksPerSubmission = 1000, maxPageSize = 5)))
  fake_server(c(list(limits, submitted), rep(list(run_state("RUNNING", "3", "RUNNING")), 1000)))
  wf <- add_tasks(workflow(t, "timeout"), list(task(tt, n = 1)))
  expect_error(run(wf, seconds_until_timeout = 0.5), "did not finish within 0.5 seconds", class = "jobmonr_timeout")
})

test_that("an existing workflow found after a lost answer is our own submission when it is still running", {
  options(jobmonr.poll_seconds = 0)
  withr::defer(options(jobmonr.poll_seconds = 0.2))
  t <- tool("lost")
  tt <- task_template(t, "step", "echo {n}")
  limits <- ok(list(serverLimits = list(maxTasksPerSubmission = 1000, maxPageSize = 5)))
  found <- ok(list(submitWorkflow = list(created = FALSE, workflow = list(id = "7", status = "QUEUED"),
    workflowRun = list(id = "3", status = "BOUND"))))
  fake_server(list(limits, no_answer(sent = TRUE), found, run_state("DONE", "3", "DONE")))
  expect_equal(run(add_tasks(workflow(t, "lost"), list(task(tt, n = 1)))), "D")
  # Without a lost answer, the same reply is someone's earlier workflow: refused without resume.
  fake_server(list(limits, found))
  expect_error(run(add_tasks(workflow(t, "lost"), list(task(tt, n = 1)))), "exists already", class = "jobmonr_workflow_exists")
})

test_that("after submitting, run() follows, resumes or refuses as Jobmon does", {
  action <- asNamespace("jobmonr")$submit_action
  # created, status, resume, resent -> action
  cases <- list(
    list(TRUE, "QUEUED", FALSE, FALSE, "follow"),
    list(TRUE, "QUEUED", TRUE, FALSE, "follow"),
    list(FALSE, "DONE", FALSE, FALSE, "complete"),
    list(FALSE, "DONE", TRUE, FALSE, "complete"),
    list(FALSE, "FAILED", TRUE, FALSE, "resume"),
    list(FALSE, "RUNNING", TRUE, TRUE, "resume"),
    list(FALSE, "FAILED", FALSE, FALSE, "exists"),
    list(FALSE, "RUNNING", FALSE, FALSE, "exists"),
    list(FALSE, "RUNNING", FALSE, TRUE, "follow"),
    list(FALSE, "HALTED", FALSE, TRUE, "exists")
  )
  for (c in cases) expect_equal(action(c[[1]], c[[2]], c[[3]], c[[4]]), c[[5]], info = paste(c[1:4], collapse = " "))
})
