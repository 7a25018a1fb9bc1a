# The WorkflowSubmission of a workflow (the shape submitWorkflow takes), built and checked before
# anything is sent: every problem found is reported at once, each naming its task or template.

empty_object <- function() structure(list(), names = character())

# The merged resources of a task: tool < workflow < template defaults (of the task's cluster) < the task's own.
task_cluster <- function(task, workflow) {
  for (cluster in c(task$cluster_name, task$template$default_cluster_name, workflow$default_cluster_name,
                    workflow$tool$default_cluster_name)) {
    if (nzchar(cluster)) return(cluster)
  }
  ""
}

merged_resources <- function(task, workflow, cluster) {
  layers <- list(
    workflow$tool$default_resources[[cluster]], workflow$default_resources[[cluster]],
    task$template$default_resources[[cluster]], task$compute_resources
  )
  merged <- list()
  for (layer in layers) if (length(layer)) merged <- utils::modifyList(merged, layer)
  merged
}

task_label <- function(task) {
  if (!is.null(task$name) && task$name != task$key) sprintf("task \"%s\" (key \"%s\")", task$name, task$key) else sprintf("task \"%s\"", task$key)
}

#' @noRd
build_submission <- function(workflow, fail_fast = FALSE) {
  keys <- workflow$keys()
  if (!length(keys)) definition_error(sprintf("workflow \"%s\" has no tasks (add them with add_tasks())", workflow$workflow_args))
  tasks <- mget(keys, envir = workflow$tasks)
  problems <- character()
  templates <- list()
  upstream <- vector("list", length(keys))
  names(upstream) <- keys
  # Resources are resolved once per template and cluster for tasks that set none of their own.
  inherited <- new.env(parent = emptyenv())
  inputs <- vector("list", length(keys))
  for (i in seq_along(tasks)) {
    t <- tasks[[i]]
    label <- task_label(t)
    seen <- templates[[t$template$name]]
    if (!is.null(seen) && !identical(seen, t$template) && !identical(seen$to_input(), t$template$to_input())) {
      problems <- c(problems, sprintf("%s: template \"%s\" is defined twice, differently", label, t$template$name))
    }
    templates[[t$template$name]] <- t$template
    up_keys <- vapply(t$upstream, function(u) u$key, character(1))
    for (j in seq_along(t$upstream)) {
      if (!identical(workflow$tasks[[up_keys[j]]], t$upstream[[j]])) {
        problems <- c(problems, sprintf("%s: upstream task \"%s\" is not added to the workflow", label, up_keys[j]))
      }
    }
    upstream[[i]] <- up_keys
    cluster <- task_cluster(t, workflow)
    resources <- tryCatch(
      if (length(t$compute_resources) || nzchar(t$cluster_name)) {
        resources_input(merged_resources(t, workflow, cluster), cluster, label)
      } else {
        cache <- paste0(t$template$name, "\r", cluster)
        if (is.null(inherited[[cache]])) {
          inherited[[cache]] <- list(resources_input(merged_resources(t, workflow, cluster), cluster, sprintf("template \"%s\"", t$template$name)))
        }
        inherited[[cache]][[1]]
      },
      jobmonr_definition_error = function(e) {
        problems <<- c(problems, e$problems)
        NULL
      }
    )
    input <- list(key = t$key, template = t$template$name, args = if (length(t$args)) t$args else empty_object())
    if (!is.null(t$name)) input$name <- t$name
    if (length(up_keys)) input$upstream <- as.list(up_keys)
    if (!is.null(resources)) input$resources <- resources
    if (!is.null(t$max_attempts)) input$maxAttempts <- t$max_attempts
    if (!is.null(t$resource_scales)) input$resourceScales <- t$resource_scales
    # Like the queue, fallback queues mean nothing to the one queue of a local cluster.
    if (!is.null(t$fallback_queues) && !(cluster %in% LOCAL_CLUSTERS)) input$fallbackQueues <- t$fallback_queues
    if (!is.null(t$attributes)) input$attributes <- t$attributes
    inputs[[i]] <- input
  }
  cycle <- find_cycle(upstream)
  if (!is.null(cycle)) {
    problems <- c(problems, sprintf("cycle between tasks: %s", paste(vapply(cycle, function(k) task_label(tasks[[k]]), character(1)), collapse = " -> ")))
  }
  submission <- list(
    tool = workflow$tool$name,
    workflowArgs = workflow$workflow_args,
    taskTemplates = unname(lapply(templates, function(t) t$to_input())),
    tasks = inputs
  )
  if (!is.null(workflow$name)) submission$name <- workflow$name
  if (!is.null(workflow$description)) submission$description <- workflow$description
  if (!is.null(workflow$max_concurrently_running)) submission$maxConcurrentlyRunning <- workflow$max_concurrently_running
  if (!is.null(workflow$attributes)) submission$attributes <- workflow$attributes
  if (isTRUE(fail_fast)) submission$failFast <- TRUE
  problems <- c(problems, submission_name_problems(submission))
  if (length(problems)) {
    definition_error(problems, sprintf("invalid workflow \"%s\": ", workflow$workflow_args))
  }
  submission
}
