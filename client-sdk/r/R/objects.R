# Tools, task templates, tasks and workflows: R6 objects (references), so that a function that
# changes one changes it for every holder, and also returns it for the `x <- f(x, ...)` style.

as_names <- function(x, what, where) {
  if (is.null(x)) return(character())
  values <- unlist(x, use.names = FALSE)
  if (length(values) && !is.character(values)) definition_error(sprintf("%s: %s must be names (strings)", where, what))
  as.character(values)
}

check_string <- function(x, what, where = NULL, allow_empty = FALSE) {
  label <- if (is.null(where)) what else sprintf("%s: %s", where, what)
  if (!(is.character(x) && length(x) == 1L && !is.na(x)) || (!allow_empty && !nzchar(trimws(x)))) {
    definition_error(sprintf("%s must be a%s string", label, if (allow_empty) "" else " non-empty"))
  }
  x
}

# Compute resources by cluster name: list(<cluster> = list(memory = ..., ...)).
set_resources_for <- function(current, cluster_name, resources, where) {
  check_string(cluster_name, "default_cluster_name", where)
  problems <- cluster_problems(cluster_name, where)
  if (length(problems)) definition_error(problems)
  current[[cluster_name]] <- utils::modifyList(current[[cluster_name]] %||% list(), check_resource_list(resources, where))
  current
}

`%||%` <- function(a, b) if (is.null(a)) b else a

JobmonTool <- R6::R6Class("JobmonTool",
  public = list(
    name = NULL,
    default_cluster_name = "",
    default_resources = list(),
    templates = NULL,
    initialize = function(name) {
      self$name <- check_string(name, "a tool's name")
      self$templates <- new.env(parent = emptyenv())
    },
    print = function(...) {
      cat(sprintf("<jobmonr tool \"%s\">\n", self$name))
      invisible(self)
    }
  )
)

JobmonTaskTemplate <- R6::R6Class("JobmonTaskTemplate",
  public = list(
    tool = NULL,
    name = NULL,
    command_template = NULL,
    placeholders = NULL,
    # Whether node/task/op args were declared; without any, every placeholder is a node arg.
    declared = FALSE,
    node_args = NULL,
    task_args = NULL,
    op_args = NULL,
    default_cluster_name = "",
    default_resources = list(),
    initialize = function(tool, name, command_template, node_args, task_args, op_args) {
      where <- sprintf("template \"%s\"", name)
      self$tool <- tool
      self$name <- name
      self$command_template <- command_template
      groups <- template_arg_groups(command_template,
        as_names(node_args, "node_args", where),
        as_names(task_args, "task_args", where),
        as_names(op_args, "op_args", where),
        where
      )
      self$placeholders <- template_placeholders(command_template, where)
      self$declared <- groups$declared
      self$node_args <- groups$node_args
      self$task_args <- groups$task_args
      self$op_args <- groups$op_args
    },
    # All names a task of this template takes.
    arg_names = function() c(self$node_args, self$task_args, self$op_args),
    # The TaskTemplateInput of a submission.
    to_input = function() {
      out <- list(name = self$name, commandTemplate = self$command_template)
      if (self$declared) {
        out$nodeArgs <- as.list(self$node_args)
        out$taskArgs <- as.list(self$task_args)
        out$opArgs <- as.list(self$op_args)
      }
      out
    },
    # The key a task gets: the template and its node args, e.g. `fit[loc=1,year=2020]` (all args,
    # sorted, when the template has no node args), as the TypeScript SDK makes it.
    default_key = function(args) {
      names <- if (length(self$node_args)) self$node_args else sort(names(args))
      parts <- vapply(names, function(n) paste0(n, "=", arg_text(args[[n]])), character(1))
      paste0(self$name, "[", paste(parts, collapse = ","), "]")
    },
    print = function(...) {
      cat(sprintf("<jobmonr task template \"%s\": %s>\n", self$name, self$command_template))
      invisible(self)
    }
  )
)

JobmonTask <- R6::R6Class("JobmonTask",
  public = list(
    template = NULL,
    key = NULL,
    name = NULL,
    args = NULL,
    upstream = NULL,
    compute_resources = NULL,
    cluster_name = "",
    max_attempts = NULL,
    attributes = NULL,
    resource_scales = NULL,
    fallback_queues = NULL,
    print = function(...) {
      cat(sprintf("<jobmonr task \"%s\">\n", self$name %||% self$key))
      invisible(self)
    }
  )
)

JobmonWorkflow <- R6::R6Class("JobmonWorkflow",
  public = list(
    tool = NULL,
    workflow_args = NULL,
    name = NULL,
    description = NULL,
    attributes = NULL,
    max_concurrently_running = NULL,
    default_cluster_name = "",
    default_resources = list(),
    # Tasks by key, and the keys in the order added (one chunk per add_tasks call).
    tasks = NULL,
    key_chunks = NULL,
    # Set once submitted.
    workflow_id = NULL,
    initialize = function(tool) {
      self$tool <- tool
      self$tasks <- new.env(parent = emptyenv(), hash = TRUE)
      self$key_chunks <- list()
    },
    keys = function() unlist(self$key_chunks, use.names = FALSE) %||% character(),
    print = function(...) {
      cat(sprintf(
        "<jobmonr workflow \"%s\" of tool \"%s\": %d tasks%s>\n", self$workflow_args, self$tool$name,
        length(self$keys()), if (is.null(self$workflow_id)) "" else sprintf(", id %s", self$workflow_id)
      ))
      invisible(self)
    }
  )
)

check_class <- function(x, class, what) {
  if (!inherits(x, class)) definition_error(sprintf("%s must be made by jobmonr::%s()", what, sub("^Jobmon", "", class)))
}

#' A tool: a named pipeline or project whose templates and workflows Jobmon groups together.
#' @param name The tool's name.
#' @return The tool.
#' @export
tool <- function(name = "unknown") JobmonTool$new(name)

#' Default compute resources of a tool's tasks, and its default cluster.
#' @param tool A tool.
#' @param default_cluster_name "local" (or "multiprocess"), "sequential", "dummy" or "slurm".
#' @param resources A named list: memory ("1G" or MiB), runtime ("10m", "2h" or seconds), cores, queue, ...
#' @return The tool (changed in place).
#' @export
set_default_tool_resources <- function(tool, default_cluster_name, resources = NULL) {
  check_class(tool, "JobmonTool", "tool")
  tool$default_resources <- set_resources_for(tool$default_resources, default_cluster_name, resources,
    sprintf("tool \"%s\"", tool$name))
  tool$default_cluster_name <- default_cluster_name
  invisible(tool)
}

#' A workflow: a DAG of tasks of a tool. The tool and workflow_args (with the tasks) identify it: running
#' the same script again finds the same workflow, and `run(wf, resume = TRUE)` resumes it.
#' @param tool A tool.
#' @param workflow_args Identifies the workflow; empty: a new one each time.
#' @param name A display name.
#' @param workflow_attributes A named list of attributes.
#' @param description,max_concurrently_running Optional settings.
#' @return The workflow.
#' @export
workflow <- function(tool, workflow_args = "", name = NULL, workflow_attributes = list(),
                     description = NULL, max_concurrently_running = NULL) {
  check_class(tool, "JobmonTool", "tool")
  check_string(workflow_args, "workflow_args", allow_empty = TRUE)
  wf <- JobmonWorkflow$new(tool)
  # As Jobmon does: without workflow_args every workflow is a new one.
  wf$workflow_args <- if (nzchar(workflow_args)) workflow_args else unique_args()
  if (!is.null(name)) wf$name <- check_string(name, "a workflow's name")
  if (!is.null(description)) wf$description <- check_string(description, "description", allow_empty = TRUE)
  if (length(workflow_attributes)) {
    if (is.null(names(workflow_attributes)) || any(!nzchar(names(workflow_attributes)))) {
      definition_error("workflow_attributes must be a named list")
    }
    wf$attributes <- as.list(workflow_attributes)
  }
  if (!is.null(max_concurrently_running)) {
    if (!(is.numeric(max_concurrently_running) && is_single(max_concurrently_running) &&
      max_concurrently_running >= 0 && max_concurrently_running == round(max_concurrently_running))) {
      definition_error("max_concurrently_running must be a whole number >= 0")
    }
    wf$max_concurrently_running <- as.integer(max_concurrently_running)
  }
  wf
}

unique_args <- function() {
  paste0(format(Sys.time(), "%Y%m%dT%H%M%OS6"), "-", paste(sample(c(0:9, letters[1:6]), 16, TRUE), collapse = ""))
}

#' Default compute resources of a workflow's tasks (between the tool's and the template's).
#' @inheritParams set_default_tool_resources
#' @param workflow A workflow.
#' @export
set_default_workflow_resources <- function(workflow, default_cluster_name, resources = NULL) {
  check_class(workflow, "JobmonWorkflow", "workflow")
  workflow$default_resources <- set_resources_for(workflow$default_resources, default_cluster_name, resources,
    sprintf("workflow \"%s\"", workflow$workflow_args))
  workflow$default_cluster_name <- default_cluster_name
  invisible(workflow)
}

#' A task template: a command template with named placeholders, e.g. "Rscript fit.R --loc {location_id}".
#' @param tool A tool.
#' @param template_name The template's name (unique in the tool).
#' @param command_template The command, with `{name}` placeholders (`{{` and `}}` are literal braces).
#' @param node_args Arguments that identify a task (array_tasks expands them).
#' @param task_args Arguments that vary by run but do not identify a task.
#' @param op_args Operational arguments (e.g. the interpreter).
#' @return The template.
#' @export
task_template <- function(tool, template_name, command_template, node_args = list(), task_args = list(),
                          op_args = list()) {
  check_class(tool, "JobmonTool", "tool")
  check_string(template_name, "a task template's name")
  check_string(command_template, "command_template", sprintf("template \"%s\"", template_name))
  template <- JobmonTaskTemplate$new(tool, template_name, command_template, node_args, task_args, op_args)
  existing <- tool$templates[[template_name]]
  # The same definition again is the same template (its default resources kept); a new one replaces it.
  if (!is.null(existing) && identical(existing$to_input(), template$to_input())) return(existing)
  tool$templates[[template_name]] <- template
  template
}

#' Default compute resources of a template's tasks (over the tool's and the workflow's).
#' @inheritParams set_default_tool_resources
#' @param task_template A task template.
#' @export
set_default_template_resources <- function(task_template, default_cluster_name, resources = NULL) {
  check_class(task_template, "JobmonTaskTemplate", "task_template")
  task_template$default_resources <- set_resources_for(task_template$default_resources, default_cluster_name,
    resources, sprintf("template \"%s\"", task_template$name))
  task_template$default_cluster_name <- default_cluster_name
  invisible(task_template)
}

check_tasks <- function(tasks, what) {
  if (inherits(tasks, "JobmonTask")) tasks <- list(tasks)
  if (is.null(tasks)) return(list())
  if (!is.list(tasks) || !all(vapply(tasks, inherits, logical(1), "JobmonTask"))) {
    definition_error(sprintf("%s must be a list of tasks made by jobmonr::task() or jobmonr::array_tasks()", what))
  }
  unname(tasks)
}

# Splits `...` of task()/array_tasks() into the template's arguments; stops naming every problem.
task_args_of <- function(template, dots, label) {
  given <- names(dots)
  if (length(dots) && (is.null(given) || any(!nzchar(given)))) {
    definition_error(sprintf("%s: every argument of template \"%s\" must be named (location_id = 1)", label, template$name))
  }
  problems <- character()
  missing <- setdiff(template$placeholders, given)
  if (length(missing)) {
    problems <- c(problems, sprintf(
      "%s: missing argument%s %s of template \"%s\"", label, if (length(missing) > 1L) "s" else "",
      paste0("\"", missing, "\"", collapse = ", "), template$name
    ))
  }
  unknown <- setdiff(given, template$arg_names())
  for (name in unknown) problems <- c(problems, sprintf("%s: unknown argument \"%s\" for template \"%s\"", label, name, template$name))
  if (length(problems)) definition_error(problems)
  dots
}

new_task <- function(template, args, name, upstream_tasks, compute_resources, cluster_name, max_attempts,
                     task_attributes, resource_scales, fallback_queues) {
  # Values first: the key is made of them.
  problems <- unlist(lapply(names(args), function(n) arg_value_problem(n, args[[n]])))
  if (length(problems)) {
    label <- if (is.null(name)) sprintf("a task of template \"%s\"", template$name) else sprintf("task \"%s\"", name)
    definition_error(paste0(label, ": ", problems))
  }
  key <- template$default_key(args)
  label <- if (!is.null(name) && name != key) sprintf("task \"%s\" (key \"%s\")", name, key) else sprintf("task \"%s\"", key)
  problems <- cluster_problems(cluster_name, label)
  if (length(resource_scales)) problems <- c(problems, resource_scales_problems(as.list(resource_scales), label))
  if (!is.null(max_attempts) && !(is.numeric(max_attempts) && is_single(max_attempts) && max_attempts >= 1 &&
    max_attempts == round(max_attempts))) {
    problems <- c(problems, sprintf("%s: max_attempts must be a whole number >= 1", label))
  }
  if (length(problems)) definition_error(problems)
  task <- JobmonTask$new()
  task$template <- template
  task$key <- key
  task$name <- name
  task$args <- lapply(args, function(v) if (is.factor(v)) as.character(v) else v)
  task$upstream <- upstream_tasks
  task$compute_resources <- check_resource_list(compute_resources, label)
  task$cluster_name <- cluster_name
  task$max_attempts <- if (is.null(max_attempts)) NULL else as.integer(max_attempts)
  task$attributes <- if (length(task_attributes)) as.list(task_attributes) else NULL
  task$resource_scales <- if (length(resource_scales)) scales_input(as.list(resource_scales)) else NULL
  task$fallback_queues <- if (length(fallback_queues)) as.list(as.character(unlist(fallback_queues))) else NULL
  task
}

#' One task of a template.
#' @param task_template A task template.
#' @param name The task's name (by default its key: the template and its node args).
#' @param upstream_tasks Tasks that must be done before this one runs.
#' @param compute_resources Resources of this task (over the template's defaults).
#' @param cluster_name The cluster, when not the template's or tool's default.
#' @param max_attempts Attempts before the task fails (the server's default is 3).
#' @param task_attributes A named list of attributes.
#' @param resource_scales How much to raise memory/runtime after a resource failure, e.g. list(memory = 0.5).
#' @param fallback_queues Queues to move to when the task's own is too small.
#' @param ... The values of the template's arguments, e.g. `location_id = 1`.
#' @return The task.
#' @export
# `...` comes second so that the options match their names exactly: a template argument `n` must not be
# taken for `name` by R's partial matching.
task <- function(task_template, ..., name = NULL, upstream_tasks = list(), compute_resources = NULL, cluster_name = "",
                 max_attempts = NULL, task_attributes = list(), resource_scales = NULL, fallback_queues = NULL) {
  check_class(task_template, "JobmonTaskTemplate", "task_template")
  if (!is.null(name)) check_string(name, "a task's name")
  upstream_tasks <- check_tasks(upstream_tasks, "upstream_tasks")
  label <- if (is.null(name)) sprintf("a task of template \"%s\"", task_template$name) else sprintf("task \"%s\"", name)
  args <- task_args_of(task_template, list(...), label)
  new_task(task_template, args, name, upstream_tasks, compute_resources, cluster_name, max_attempts,
    task_attributes, resource_scales, fallback_queues)
}

#' Tasks for every combination of node argument values: a node arg given as a list or vector of
#' several values expands (the cartesian product, the first argument varying slowest); task and op
#' args take one value for all.
#' @inheritParams task
#' @return A list of tasks.
#' @export
array_tasks <- function(task_template, ..., upstream_tasks = list(), max_attempts = NULL, compute_resources = NULL,
                        cluster_name = "", task_attributes = list(), resource_scales = NULL, fallback_queues = NULL) {
  check_class(task_template, "JobmonTaskTemplate", "task_template")
  upstream_tasks <- check_tasks(upstream_tasks, "upstream_tasks")
  label <- sprintf("array of template \"%s\"", task_template$name)
  args <- task_args_of(task_template, list(...), label)
  values <- lapply(args, function(v) if (is.list(v)) v else as.list(v))
  several <- names(values)[lengths(values) != 1L]
  fixed <- setdiff(several, task_template$node_args)
  if (length(fixed)) {
    definition_error(sprintf(
      "%s: %s must have one value (only node args expand: %s)", label,
      paste0("\"", fixed, "\"", collapse = ", "), paste(task_template$node_args, collapse = ", ")
    ))
  }
  nested <- names(values)[vapply(values, function(v) any(vapply(v, function(x) length(x) != 1L, logical(1))), logical(1))]
  if (length(nested)) {
    definition_error(sprintf("%s: each value of %s must be a single value", label, paste0("\"", nested, "\"", collapse = ", ")))
  }
  if (any(lengths(values) == 0L)) return(list())
  # Indices of each combination, the first argument varying slowest (as Python's itertools.product).
  combos <- rev(expand.grid(rev(lapply(values, seq_along)), KEEP.OUT.ATTRS = FALSE))
  tasks <- lapply(seq_len(nrow(combos)), function(row) {
    one <- mapply(function(v, i) v[[i]], values, as.integer(combos[row, , drop = TRUE]), SIMPLIFY = FALSE)
    names(one) <- names(values)
    new_task(task_template, one, NULL, upstream_tasks, compute_resources, cluster_name, max_attempts,
      task_attributes, resource_scales, fallback_queues)
  })
  tasks
}

#' Makes `task` wait for `upstream_tasks`.
#' @param task A task.
#' @param upstream_tasks A task or a list of tasks.
#' @export
add_upstream <- function(task, upstream_tasks) {
  check_class(task, "JobmonTask", "task")
  for (up in check_tasks(upstream_tasks, "upstream_tasks")) {
    if (!any(vapply(task$upstream, identical, logical(1), up))) task$upstream <- c(task$upstream, list(up))
  }
  invisible(task)
}

#' Makes `downstream_tasks` wait for `task`.
#' @param task A task.
#' @param downstream_tasks A task or a list of tasks.
#' @export
add_downstream <- function(task, downstream_tasks) {
  check_class(task, "JobmonTask", "task")
  for (down in check_tasks(downstream_tasks, "downstream_tasks")) add_upstream(down, task)
  invisible(task)
}

#' Adds tasks to a workflow (a task added twice counts once; two tasks with one key is an error).
#' @param workflow A workflow.
#' @param tasks A task or a list of tasks.
#' @return The workflow (changed in place).
#' @export
add_tasks <- function(workflow, tasks) {
  check_class(workflow, "JobmonWorkflow", "workflow")
  tasks <- check_tasks(tasks, "tasks")
  # Checked before any is added: a refused call leaves the workflow as it was.
  pending <- new.env(parent = emptyenv(), hash = TRUE)
  added <- character(length(tasks))
  n <- 0L
  for (t in tasks) {
    other <- workflow$tasks[[t$key]] %||% pending[[t$key]]
    if (identical(other, t)) next
    if (!is.null(other)) {
      definition_error(sprintf("task \"%s\": another task of the workflow has the same key (the same template and node args)", t$key))
    }
    assign(t$key, t, envir = pending)
    n <- n + 1L
    added[n] <- t$key
  }
  if (n) {
    for (key in added[seq_len(n)]) assign(key, pending[[key]], envir = workflow$tasks)
    workflow$key_chunks[[length(workflow$key_chunks) + 1L]] <- added[seq_len(n)]
  }
  invisible(workflow)
}

#' The tasks of a workflow's template whose node args have the given values.
#' @param workflow A workflow.
#' @param task_template_name The template's name.
#' @param ... Node arg values, e.g. `location_id = 1`.
#' @return A list of tasks.
#' @export
get_tasks_by_node_args <- function(workflow, task_template_name, ...) {
  check_class(workflow, "JobmonWorkflow", "workflow")
  wanted <- list(...)
  Filter(function(t) {
    t$template$name == task_template_name &&
      all(vapply(names(wanted), function(n) !is.null(t$args[[n]]) && arg_text(t$args[[n]]) == arg_text(wanted[[n]]), logical(1)))
  }, lapply(workflow$keys(), function(k) workflow$tasks[[k]]))
}

#' The id of a workflow once `run()` has sent it (NULL before).
#' @param workflow A workflow.
#' @export
workflow_id <- function(workflow) {
  check_class(workflow, "JobmonWorkflow", "workflow")
  workflow$workflow_id
}
