# Definition errors are found before anything is sent, each naming its task or template.

fit_template <- function(tool) {
  task_template(tool, "fit", "Rscript fit.R --loc {location_id} --year {year_id} --v {version}",
    node_args = list("location_id", "year_id"), task_args = list("version"))
}

test_that("a missing argument names the task and the argument", {
  tt <- fit_template(tool("defs"))
  err <- expect_error(task(tt, name = "fit_1", location_id = 1, version = 3), class = "jobmonr_definition_error")
  expect_match(conditionMessage(err), "task \"fit_1\": missing argument \"year_id\" of template \"fit\"", fixed = TRUE)
})

test_that("an unknown argument and an unnamed one are refused", {
  tt <- fit_template(tool("defs"))
  err <- expect_error(task(tt, location_id = 1, year_id = 2, version = 3, colour = "red"), class = "jobmonr_definition_error")
  expect_match(conditionMessage(err), "unknown argument \"colour\" for template \"fit\"", fixed = TRUE)
  expect_error(task(tt, location_id = 1, year_id = 2, version = 3, "x"), "must be named", class = "jobmonr_definition_error")
  expect_error(task(tt, location_id = c(1, 2), year_id = 2, version = 3), "argument \"location_id\" must be a single", class = "jobmonr_definition_error")
  expect_error(task(tt, location_id = NA, year_id = 2, version = 3), "argument \"location_id\" must be a single", class = "jobmonr_definition_error")
})

test_that("a placeholder not declared in any argument group names the template", {
  expect_error(
    task_template(tool("defs"), "t", "echo {a} {b}", node_args = list("a")),
    "template \"t\": placeholder {b} is not declared in nodeArgs, taskArgs or opArgs",
    fixed = TRUE, class = "jobmonr_definition_error"
  )
  expect_error(task_template(tool("defs"), "t", "echo {a"), "template \"t\": unclosed \"{\" at offset 5", fixed = TRUE, class = "jobmonr_definition_error")
  expect_error(task_template(tool("defs"), "t", "echo {a-b}"), "invalid placeholder \"{a-b}\"", fixed = TRUE, class = "jobmonr_definition_error")
})

test_that("an upstream task that is not in the workflow is named, and nothing is sent", {
  no_requests()
  t <- tool("defs")
  tt <- task_template(t, "step", "echo {n}")
  outside <- task(tt, n = 0)
  inside <- task(tt, name = "first", n = 1, upstream_tasks = list(outside))
  wf <- add_tasks(workflow(t, "upstream-missing"), list(inside))
  err <- expect_error(run(wf), class = "jobmonr_definition_error")
  expect_equal(err$problems, "task \"first\" (key \"step[n=1]\"): upstream task \"step[n=0]\" is not added to the workflow")
  expect_null(workflow_id(wf))
})

test_that("names the server cannot store are refused, and nothing is sent", {
  no_requests()
  t <- tool("defs")
  tt <- task_template(t, "step", "echo {n}")
  long_key <- task(tt, n = strrep("x", 300))
  long_name <- task(tt, name = strrep("\u00e9", 256), n = 1)
  wf <- add_tasks(workflow(t, "names", name = strrep("w", 256)), list(long_key, long_name))
  err <- expect_error(run(wf), class = "jobmonr_definition_error")
  expect_equal(err$code, "BAD_USER_INPUT")
  expect_true("workflow name is longer than 255 characters" %in% err$problems)
  expect_true(sprintf("task \"%s\"...: key is longer than 255 characters", substr(long_key$key, 1, 40)) %in% err$problems)
  expect_true("task \"step[n=1]\": name is longer than 255 characters" %in% err$problems)
  expect_null(workflow_id(wf))
})

test_that("a cycle is named with its tasks in run order, and nothing is sent", {
  no_requests()
  t <- tool("defs")
  tt <- task_template(t, "step", "echo {n}")
  a <- task(tt, n = 1)
  b <- task(tt, n = 2, upstream_tasks = list(a))
  c <- task(tt, n = 3, upstream_tasks = list(b))
  add_upstream(a, c)
  wf <- add_tasks(workflow(t, "cyclic"), list(a, b, c))
  err <- expect_error(run(wf), class = "jobmonr_definition_error")
  expect_match(conditionMessage(err), "cycle between tasks: ", fixed = TRUE)
  cycle <- sub("^cycle between tasks: ", "", err$problems)
  steps <- strsplit(cycle, " -> ", fixed = TRUE)[[1]]
  expect_length(steps, 4)
  expect_equal(steps[1], steps[4])
  # Each step runs after the one before it: a -> b -> c -> a, from wherever it starts.
  order <- c("task \"step[n=1]\"", "task \"step[n=2]\"", "task \"step[n=3]\"")
  first <- match(steps[1], order)
  expect_equal(steps[1:3], order[((first - 1 + 0:2) %% 3) + 1])
  # A task waiting for itself.
  d <- task(tt, n = 4)
  add_upstream(d, d)
  expect_error(run(add_tasks(workflow(t, "self"), list(d))), "cycle between tasks: task \"step[n=4]\" -> task \"step[n=4]\"",
    fixed = TRUE, class = "jobmonr_definition_error")
})

test_that("every problem of a workflow is reported at once", {
  no_requests()
  t <- tool("defs")
  tt <- task_template(t, "step", "echo {n}")
  outside <- task(tt, n = 0)
  bad <- task(tt, n = 1, upstream_tasks = list(outside), compute_resources = list(memory = "lots"))
  wf <- add_tasks(workflow(t, "many-problems"), list(bad))
  err <- expect_error(run(wf), class = "jobmonr_definition_error")
  expect_length(err$problems, 2)
  expect_match(err$problems[1], "upstream task \"step[n=0]\" is not added", fixed = TRUE)
  expect_match(err$problems[2], "task \"step[n=1]\": invalid memory \"lots\"", fixed = TRUE)
})

test_that("unknown clusters, bad resources and two tasks with one key are refused", {
  t <- tool("defs")
  expect_error(set_default_tool_resources(t, "cloud", list(cores = 1)), "unknown cluster \"cloud\"", class = "jobmonr_definition_error")
  tt <- task_template(t, "step", "echo {n}")
  expect_error(task(tt, n = 1, cluster_name = "moon"), "unknown cluster \"moon\"", class = "jobmonr_definition_error")
  wf <- workflow(t, "dup")
  add_tasks(wf, list(task(tt, n = 1)))
  expect_error(add_tasks(wf, list(task(tt, n = 1))), "task \"step[n=1]\": another task of the workflow has the same key",
    fixed = TRUE, class = "jobmonr_definition_error")
  # A refused call adds none of its tasks.
  fresh <- task(tt, n = 5)
  expect_error(add_tasks(wf, list(fresh, task(tt, n = 1))), "same key", class = "jobmonr_definition_error")
  expect_equal(length(wf$keys()), 1)
  add_tasks(wf, list(fresh))
  expect_equal(wf$keys(), c("step[n=1]", "step[n=5]"))
  expect_error(run(workflow(t, "empty")), "has no tasks", class = "jobmonr_definition_error")
  expect_error(add_tasks(wf, list("not a task")), "list of tasks", class = "jobmonr_definition_error")
  no_requests()
  bad <- add_tasks(workflow(t, "bad-cores"), list(task(tt, n = 2, compute_resources = list(cores = 1.5))))
  expect_error(run(bad), "task \"step[n=2]\": invalid cores 1.5", fixed = TRUE, class = "jobmonr_definition_error")
})

test_that("resource scales the server would refuse are refused at once, and a vector of factors goes as a list", {
  tt <- fit_template(tool("defs"))
  expect_error(
    task(tt, location_id = 1, year_id = 2, version = 3, resource_scales = list(memory = -0.5)),
    "task \"fit[location_id=1,year_id=2]\": memory scale must be a finite number >= 0 (got -0.5)",
    fixed = TRUE, class = "jobmonr_definition_error"
  )
  t <- task(tt, location_id = 1, year_id = 2, version = 3, resource_scales = list(runtimeFactors = 0.5))
  expect_equal(t$resource_scales, list(runtimeFactors = list(0.5)))
})
