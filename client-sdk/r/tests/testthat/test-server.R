# Against a real server (JOBMON_SERVER_URL): the jest test e2e/src/r-client.e2e.test.ts starts one
# on a fresh database for each dialect and runs these tests with it.
skip_if(Sys.getenv("JOBMON_SERVER_URL") == "", "no JOBMON_SERVER_URL: no Jobmon server to run against")

# Runs (one line per task run) appended by the commands to a file of this test.
runs_in <- function(file) if (file.exists(file)) readLines(file) else character()

test_that("the quickstart example runs its fork and join to the end", {
  example <- system.file("examples", "quickstart.R", package = "jobmonr")
  expect_true(nzchar(example))
  env <- new.env()
  expect_output(sys.source(example, envir = env), "workflow [0-9]+ done: 5 tasks")
  expect_equal(env$status, "D")
  expect_length(env$models, 3)
  expect_true(nzchar(workflow_id(env$wf)))
})

test_that("a failure ends in E with its error; after the fix, resume runs only the unfinished tasks to D", {
  dir <- withr::local_tempdir("jobmonr-resume-")
  log <- file.path(dir, "runs.log")
  marker <- file.path(dir, "fixed")
  t <- tool("r_resume")
  set_default_tool_resources(t, "local", list(memory = "128M", runtime = "5m"))
  step <- task_template(t, "step", "echo {what} >> {log}", node_args = list("what"), op_args = list("log"))
  check <- task_template(t, "check", "echo check >> {log} && test -f {marker}", op_args = list("log", "marker"))
  build <- function() {
    first <- task(step, name = "first", what = "first", log = log)
    checked <- task(check, name = "check", upstream_tasks = list(first), max_attempts = 1, log = log, marker = marker)
    side <- task(step, name = "side", upstream_tasks = list(first), what = "side", log = log)
    last <- task(step, name = "last", upstream_tasks = list(checked, side), what = "last", log = log)
    add_tasks(workflow(t, paste0("resume-", basename(dir))), list(first, checked, side, last))
  }
  wf <- build()
  expect_equal(run(wf, seconds_until_timeout = 300), "E")
  expect_setequal(runs_in(log), c("first", "check", "side"))
  errors <- get_errors(wf)
  expect_equal(nrow(errors), 1)
  expect_equal(errors$task_name, "check")
  expect_equal(errors$exit_code, 1L)
  expect_equal(errors$attempt, 1L)

  # The same script again, without resume: refused, naming the way out.
  again <- build()
  expect_error(run(again), "resume = TRUE", class = "jobmonr_workflow_exists")
  expect_equal(workflow_id(again), workflow_id(wf))

  # Fix the cause, resume: only check (failed) and last (never ran) run.
  file.create(marker)
  expect_equal(run(again, resume = TRUE, seconds_until_timeout = 300), "D")
  counts <- table(runs_in(log))
  expect_equal(as.integer(counts[c("first", "side", "check", "last")]), c(1L, 1L, 2L, 1L))
  # DONE: it cannot run again.
  expect_error(run(build(), resume = TRUE), "already DONE", class = "jobmonr_workflow_complete")
})

test_that("resume = TRUE on a workflow that does not exist runs it as a new one", {
  t <- tool("r_resume")
  tt <- task_template(t, "hello", "echo hello {who}")
  wf <- add_tasks(workflow(t, paste0("fresh-", as.numeric(Sys.time()))), list(task(tt, who = "r")))
  expect_equal(run(wf, resume = TRUE, seconds_until_timeout = 300), "D")
  expect_equal(nrow(get_errors(wf)), 0)
})

test_that("a workflow larger than one request is bound in chunks and runs to the end", {
  withr::local_options(jobmonr.max_tasks_per_request = 2)
  t <- tool("r_chunks")
  first <- task(task_template(t, "first", "echo first"))
  fan <- array_tasks(task_template(t, "fan", "echo {i}"), upstream_tasks = list(first), i = 1:4)
  last <- task(task_template(t, "last", "echo last"), upstream_tasks = fan)
  wf <- add_tasks(workflow(t, paste0("chunks-", as.numeric(Sys.time()))), c(list(first), fan, list(last)))
  expect_equal(run(wf, seconds_until_timeout = 300), "D")
})
