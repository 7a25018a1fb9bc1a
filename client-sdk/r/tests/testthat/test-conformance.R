# The core's conformance cases (core/conformance/*.json): this package's rules must agree with the core's.
# The same files are run against the TypeScript core (core/src/conformance.test.ts) and the Python client.
# The package renders no commands (the server does), so the rendering cases are not run here.

conformance <- function(name) {
  dir <- Sys.getenv("JOBMON_CONFORMANCE_DIR", test_path("..", "..", "..", "..", "core", "conformance"))
  jsonlite::fromJSON(file.path(dir, paste0(name, ".json")), simplifyVector = FALSE)
}

# What the fixtures state: the value, or the stable error code of the refusal.
outcome <- function(expr) {
  tryCatch(list(value = expr), jobmonr_definition_error = function(e) list(error = e$code))
}

label <- function(x) if (is.null(x)) "null" else as.character(jsonlite::toJSON(x, auto_unbox = TRUE))

test_that("memory is read as the core reads it", {
  mem <- asNamespace("jobmonr")$parse_memory_mb
  for (case in conformance("resources")$memory) {
    expected <- if (!is.null(case$error)) list(error = case$error) else list(value = case$mib)
    expect_equal(outcome(mem(case$input)), expected, label = sprintf("memory %s", label(case$input)))
  }
})

test_that("runtime is read as the core reads it", {
  rt <- asNamespace("jobmonr")$parse_runtime_seconds
  for (case in conformance("resources")$runtime) {
    expected <- if (!is.null(case$error)) list(error = case$error) else list(value = case$seconds)
    expect_equal(outcome(rt(case$input)), expected, label = sprintf("runtime %s", label(case$input)))
  }
})

test_that("cores are checked as the core checks them", {
  is_cores <- asNamespace("jobmonr")$is_cores
  for (case in conformance("resources")$cores) {
    got <- if (is_cores(case$input)) list(ok = TRUE) else list(error = "BAD_USER_INPUT")
    expected <- if (!is.null(case$error)) list(error = case$error) else list(ok = TRUE)
    expect_equal(got, expected, label = sprintf("cores %s", label(case$input)))
  }
})

test_that("resource scales are checked as the core checks them", {
  problems <- asNamespace("jobmonr")$resource_scales_problems
  for (case in conformance("resources")$scales) {
    if (!is.null(case$skip$r)) next # deliberately different here: the case says why
    got <- if (length(problems(case$input, "task"))) list(error = "BAD_USER_INPUT") else list(ok = TRUE)
    expected <- if (!is.null(case$error)) list(error = case$error) else list(ok = TRUE)
    expect_equal(got, expected, label = sprintf("scales %s", label(case$input)))
  }
})

test_that("placeholders are found as the core finds them", {
  placeholders <- asNamespace("jobmonr")$template_placeholders
  for (case in conformance("templates")$placeholders) {
    expected <- if (!is.null(case$error)) list(error = case$error) else list(value = as.character(unlist(case$placeholders)))
    expect_equal(outcome(placeholders(case$template, "t")), expected, label = sprintf("template %s", label(case$template)))
  }
})

test_that("template arguments are declared as the core declares them", {
  arg_groups <- asNamespace("jobmonr")$template_arg_groups
  as_chr <- function(x) as.character(unlist(x))
  for (case in conformance("templates")$declarations) {
    if (!is.null(case$skip$r)) next # deliberately different here: the case says why
    expected <- if (!is.null(case$error)) {
      list(error = case$error)
    } else {
      list(value = list(nodeArgs = as_chr(case$groups$nodeArgs), taskArgs = as_chr(case$groups$taskArgs), opArgs = as_chr(case$groups$opArgs)))
    }
    got <- outcome({
      groups <- arg_groups(case$template, as_chr(case$nodeArgs), as_chr(case$taskArgs), as_chr(case$opArgs), "t")
      list(nodeArgs = groups$node_args, taskArgs = groups$task_args, opArgs = groups$op_args)
    })
    expect_equal(got, expected, label = label(case))
  }
})

test_that("argument values become text as the core writes them", {
  arg_text <- asNamespace("jobmonr")$arg_text
  for (case in conformance("templates")$argValues) {
    if (!is.null(case$skip$r)) next # deliberately different here: the case says why
    expected <- if (!is.null(case$error)) list(error = case$error) else list(value = case$text)
    expect_equal(outcome(arg_text(case$value, "a")), expected, label = sprintf("argument %s", label(case$value)))
  }
})

test_that("cycles are found as the core finds them", {
  find_cycle <- asNamespace("jobmonr")$find_cycle
  for (case in conformance("dag")$cases) {
    keys <- vapply(case$tasks, function(t) t[[1]], character(1))
    upstream <- lapply(case$tasks, function(t) as.character(unlist(t[[2]])))
    names(upstream) <- keys
    cycle <- find_cycle(upstream)
    if (is.null(case$cycle)) {
      expect_null(cycle, label = case$name)
      next
    }
    # Closed on its first key, each key upstream of the next, through exactly the cycle's tasks.
    expect_false(is.null(cycle), label = case$name)
    expect_equal(cycle[length(cycle)], cycle[1], label = case$name)
    for (i in seq_len(length(cycle) - 1L)) expect_true(cycle[i] %in% upstream[[cycle[i + 1L]]], label = case$name)
    expect_equal(sort(unique(cycle)), sort(as.character(unlist(case$cycle))), label = case$name)
    expect_length(cycle, length(case$cycle) + 1L)
  }
})

test_that("the GraphQL endpoint is the core's", {
  endpoint <- asNamespace("jobmonr")$graphql_endpoint
  for (case in conformance("endpoint")$cases) {
    expect_equal(endpoint(case$serverUrl), case$endpoint, label = case$serverUrl)
  }
})

test_that("names are limited as the core limits them", {
  name_problem <- asNamespace("jobmonr")$name_problem
  for (case in conformance("names")$cases) {
    if (isTRUE(case$nul)) next # an R string cannot hold a NUL: no such name can be written in R
    times <- if (is.null(case$`repeat`)) 1L else case$`repeat`
    value <- strrep(case$text, times)
    got <- if (is.null(name_problem(value, "name"))) list(ok = TRUE) else list(error = "BAD_USER_INPUT")
    expected <- if (!is.null(case$error)) list(error = case$error) else list(ok = TRUE)
    expect_equal(got, expected, label = sprintf("%s x %d", case$text, times))
  }
})
