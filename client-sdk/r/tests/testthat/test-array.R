# array_tasks: list-valued node args expand to their cartesian product.

model_template <- function() {
  task_template(tool("arrays"), "model", "{rshell} model.R --loc {location_id} --sex {sex_id} --year {year_id}",
    node_args = list("location_id", "sex_id"), task_args = list("year_id"), op_args = list("rshell"))
}

test_that("node args given as lists or vectors expand, the first varying slowest", {
  tt <- model_template()
  tasks <- array_tasks(tt, location_id = list(1L, 2L, 3L), sex_id = 1:2, year_id = 2024, rshell = "Rscript")
  expect_length(tasks, 6)
  expect_equal(vapply(tasks, function(t) t$key, character(1)), c(
    "model[location_id=1,sex_id=1]", "model[location_id=1,sex_id=2]", "model[location_id=2,sex_id=1]",
    "model[location_id=2,sex_id=2]", "model[location_id=3,sex_id=1]", "model[location_id=3,sex_id=2]"
  ))
  # Task and op args are the same for every task.
  expect_true(all(vapply(tasks, function(t) t$args$year_id == 2024 && t$args$rshell == "Rscript", logical(1))))
})

test_that("one value is one task; an empty list none", {
  tt <- model_template()
  expect_length(array_tasks(tt, location_id = 7, sex_id = list(2), year_id = 2024, rshell = "R"), 1)
  expect_length(array_tasks(tt, location_id = list(), sex_id = 1:2, year_id = 2024, rshell = "R"), 0)
})

test_that("only node args expand; several values of a task arg are refused", {
  tt <- model_template()
  expect_error(
    array_tasks(tt, location_id = 1:2, sex_id = 1, year_id = c(2020, 2024), rshell = "R"),
    "array of template \"model\": \"year_id\" must have one value (only node args expand",
    fixed = TRUE, class = "jobmonr_definition_error"
  )
  expect_error(array_tasks(tt, location_id = 1:2, sex_id = 1, rshell = "R"), "missing argument \"year_id\"",
    class = "jobmonr_definition_error")
})

test_that("array tasks share their upstream tasks and are found by node args", {
  t <- tool("arrays")
  prep_tt <- task_template(t, "prep", "echo prep")
  tt <- task_template(t, "model", "echo {location_id} {sex_id}", node_args = list("location_id", "sex_id"))
  prep <- task(prep_tt, name = "prep")
  tasks <- array_tasks(tt, upstream_tasks = list(prep), location_id = 1:3, sex_id = 1:2)
  wf <- add_tasks(workflow(t, "arrays"), c(list(prep), tasks))
  sent <- wire(wf)
  expect_length(sent$tasks, 7)
  expect_true(all(vapply(sent$tasks[-1], function(x) identical(x$upstream, list("prep[]")), logical(1))))
  expect_length(get_tasks_by_node_args(wf, "model", location_id = 2), 2)
  found <- get_tasks_by_node_args(wf, "model", location_id = 3, sex_id = 1)
  expect_length(found, 1)
  expect_identical(found[[1]], tasks[[5]])
})
