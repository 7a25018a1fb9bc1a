# Resources as Jobmon users write them, layered tool < workflow < template < task, on the wire.

test_that("memory and runtime are read as Jobmon writes them", {
  mem <- asNamespace("jobmonr")$parse_memory_mb
  rt <- asNamespace("jobmonr")$parse_runtime_seconds
  expect_equal(mem("1G"), 1024L)
  expect_equal(mem("512M"), 512L)
  expect_equal(mem("1.5GiB"), 1536L)
  expect_equal(mem(300), 300L)
  expect_equal(mem("2048"), 2048L)
  expect_error(mem("lots"), "invalid memory")
  expect_error(mem(-1), "invalid memory -1: expected a positive amount", class = "jobmonr_definition_error")
  expect_equal(rt("10m"), 600L)
  expect_equal(rt("2h"), 7200L)
  expect_equal(rt("1h30m"), 5400L)
  expect_equal(rt("01:00:00"), 3600L)
  expect_equal(rt("1-00:00:00"), 86400L)
  expect_equal(rt(90), 90L)
  expect_error(rt("soon"), "invalid runtime")
  expect_error(rt("00:75:00"), "invalid runtime \"00:75:00\"", fixed = TRUE)
})

test_that("resources layer tool < workflow < template < task for the task's cluster", {
  t <- tool("res")
  set_default_tool_resources(t, "slurm", list(memory = "1G", runtime = "10m", cores = 1L, queue = "all.q", project = "proj_x"))
  tt <- task_template(t, "fit", "echo {n}")
  set_default_template_resources(tt, "slurm", list(memory = "4G", constraints = "archive"))
  wf <- workflow(t, "layers")
  set_default_workflow_resources(wf, "slurm", list(runtime = "1h"))
  plain <- task(tt, n = 1)
  big <- task(tt, n = 2, compute_resources = list(memory = 10000, cores = 4))
  sent <- wire(add_tasks(wf, list(plain, big)))
  expect_equal(sent$tasks[[1]]$resources, list(
    memoryMb = 4096, runtimeSeconds = 3600, cores = 1, queue = "all.q",
    extra = list(account = "proj_x", constraints = "archive")
  ))
  expect_equal(sent$tasks[[2]]$resources$memoryMb, 10000)
  expect_equal(sent$tasks[[2]]$resources$cores, 4)
  expect_equal(sent$tasks[[2]]$resources$queue, "all.q")
})

test_that("the local clusters drop the queue (their distributor has one), and a task may pick its cluster", {
  t <- tool("res")
  set_default_tool_resources(t, "slurm", list(memory = "1G", queue = "all.q"))
  set_default_tool_resources(t, "local", list(memory = "2G", queue = "all.q"))
  tt <- task_template(t, "fit", "echo {n}")
  sent <- wire(add_tasks(workflow(t, "clusters"), list(
    task(tt, n = 1, fallback_queues = list("long.q")),
    task(tt, n = 2, cluster_name = "slurm", fallback_queues = list("long.q"))
  )))
  expect_equal(sent$tasks[[1]]$resources, list(memoryMb = 2048))
  expect_null(sent$tasks[[1]]$fallbackQueues)
  expect_equal(sent$tasks[[2]]$resources, list(memoryMb = 1024, queue = "all.q"))
  expect_equal(sent$tasks[[2]]$fallbackQueues, list("long.q"))
})

test_that("the submission keeps one-element lists as arrays and empty args as an object", {
  t <- tool("shape")
  a_tt <- task_template(t, "a", "echo a")
  b_tt <- task_template(t, "b", "echo {x} {y}", node_args = list("x"), task_args = list("y"))
  a <- task(a_tt)
  b <- task(b_tt, name = "b-one", upstream_tasks = list(a), max_attempts = 1, x = 0.1, y = TRUE)
  json <- asNamespace("jobmonr")$to_json(asNamespace("jobmonr")$build_submission(add_tasks(workflow(t, "shape", name = "S"), list(a, b))))
  expect_match(json, "\"args\":{}", fixed = TRUE)
  expect_match(json, "\"upstream\":[\"a[]\"]", fixed = TRUE)
  expect_match(json, "\"nodeArgs\":[\"x\"]", fixed = TRUE)
  expect_match(json, "\"args\":{\"x\":0.1,\"y\":true}", fixed = TRUE)
  expect_match(json, "\"maxAttempts\":1", fixed = TRUE)
  sent <- jsonlite::fromJSON(json, simplifyVector = FALSE)
  expect_equal(sent$tool, "shape")
  expect_equal(sent$workflowArgs, "shape")
  expect_equal(sent$name, "S")
  expect_equal(vapply(sent$tasks, function(x) x$key, character(1)), c("a[]", "b[x=0.1]"))
})
