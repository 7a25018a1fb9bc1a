# run(): submit (in chunks when large), resume when asked, then follow the run by polling until the
# workflow is DONE, FAILED or HALTED. The logic mirrors the TypeScript SDK (client-sdk/src/sdk).

# Jobmon's run status codes for the workflow's final status (the core's WORKFLOW_ENDED_STATUSES).
STATUS_CODES <- structure(c("D", "E", "S"), names = unname(WORKFLOW_STATUS[c("DONE", "FAILED", "HALTED")]))

# A cold resume's old run while its kills are confirmed: HALTED, but a new run follows.
BETWEEN_RUNS <- WORKFLOW_RUN_STATUS[["COLD_RESUME"]]

# Attempt statuses that ended in a failure.
FAILED_INSTANCE_STATUSES <- TASK_INSTANCE_FAILED_STATUSES

#' Runs a workflow: submits it (or finds it, when the same tool, workflow_args and tasks exist already),
#' then follows the run until the workflow is done, failed or stopped.
#'
#' A workflow that exists already and is not DONE is resumed with `resume = TRUE` (every task not DONE
#' runs again); without it, `run()` refuses (class `jobmonr_workflow_exists`), and a DONE workflow is
#' refused either way (class `jobmonr_workflow_complete`), as in Jobmon.
#' @param workflow A workflow with its tasks.
#' @param resume Resume the workflow if it exists already.
#' @param seconds_until_timeout How long to follow the run before giving up (class `jobmonr_timeout`; the
#'   workflow keeps running on the server).
#' @param fail_fast Stop scheduling new tasks after the first failure (a new workflow only).
#' @return "D" (done), "E" (error: tasks failed) or "S" (stopped).
#' @export
run <- function(workflow, resume = FALSE, seconds_until_timeout = 36000, fail_fast = FALSE) {
  check_class(workflow, "JobmonWorkflow", "workflow")
  if (!(is.numeric(seconds_until_timeout) && is_single(seconds_until_timeout) && seconds_until_timeout > 0)) {
    definition_error("seconds_until_timeout must be a positive number")
  }
  submission <- build_submission(workflow, fail_fast)
  submitted <- submit_workflow(submission)
  id <- submitted$workflow$id
  workflow$workflow_id <- id
  run_id <- submitted$workflowRun$id
  say <- function(...) if (getOption("jobmonr.verbose", TRUE)) message(sprintf(...))
  action <- submit_action(submitted$created, submitted$workflow$status, isTRUE(resume), isTRUE(attr(submitted, "resent")))
  if (action == "complete") {
    stop(jobmonr_condition("jobmonr_workflow_complete",
      sprintf("workflow %s (\"%s\") is already DONE and cannot run again", id, workflow$workflow_args),
      workflow_id = id))
  }
  if (action == "exists") {
    stop(jobmonr_condition("jobmonr_workflow_exists",
      sprintf(paste(
        "workflow %s (\"%s\") exists already (status %s): to resume it, run(workflow, resume = TRUE);",
        "otherwise give the workflow other workflow_args"
      ), id, workflow$workflow_args, submitted$workflow$status),
      workflow_id = id))
  }
  if (action == "resume") {
    run_id <- resume_workflow(id)
    say("jobmonr: workflow %s resumed (run %s)", id, run_id)
  } else if (submitted$created && isTRUE(resume)) {
    say("jobmonr: no workflow \"%s\" to resume: workflow %s runs as a new one", workflow$workflow_args, id)
  } else {
    say("jobmonr: workflow %s (run %s) submitted", id, run_id)
  }
  STATUS_CODES[[follow_workflow(id, run_id, seconds_until_timeout)]]
}

# What run() does after submitting, as Jobmon decides it: "follow" the run (a new workflow, or ours whose
# answer was lost: it is then still running), "resume" an existing one, or refuse: "complete" (DONE, with
# or without resume) or "exists" (without resume).
submit_action <- function(created, status, resume, resent) {
  if (created) return("follow")
  if (status == WORKFLOW_STATUS[["DONE"]]) return("complete")
  if (resume) return("resume")
  if (resent && !(status %in% WORKFLOW_ENDED_STATUSES)) return("follow")
  "exists"
}

# This process's operating-system user (NULL when it cannot be told).
client_user <- function() {
  user <- tryCatch(Sys.info()[["user"]], error = function(e) "")
  if (is.null(user) || is.na(user) || !nzchar(user) || identical(user, "unknown")) NULL else user
}

# The submission's tasks cut, in order, into requests of at most max_tasks tasks and max_items items (an
# item is a task or one of its upstream keys, as the server's maxItemsPerRequest counts). One chunk: a
# single submitWorkflow. A task alone over max_items cannot be sent (the server would refuse it).
request_chunks <- function(tasks, max_tasks, max_items) {
  costs <- 1 + vapply(tasks, function(task) length(task$upstream), integer(1))
  over <- which(costs > max_items)
  if (length(over)) {
    definition_error(sprintf(
      "task \"%s\" lists %d upstream keys: one request carries at most %d items (tasks + upstream keys), so a task may list at most %d",
      tasks[[over[1]]]$key, costs[over[1]] - 1, max_items, max_items - 1
    ))
  }
  chunks <- list()
  start <- 1
  n <- length(tasks)
  while (start <= n) {
    end <- start
    items <- costs[start]
    while (end < n && end - start + 1 < max_tasks && items + costs[end + 1] <= max_items) {
      end <- end + 1
      items <- items + costs[end]
    }
    chunks[[length(chunks) + 1]] <- tasks[start:end]
    start <- end + 1
  }
  if (!length(chunks)) chunks <- list(tasks)
  chunks
}

# submitWorkflow, or the chunked binding for a DAG larger than one request may carry (all or nothing:
# on a failure the binding is aborted). Returns the SubmitWorkflowPayload, with attribute `resent` when a
# request was sent again after an answer was lost.
submit_workflow <- function(submission) {
  limits <- gql("ServerLimits")$serverLimits
  per_request <- max(1, min(limits$maxTasksPerSubmission, getOption("jobmonr.max_tasks_per_request", DEFAULT_MAX_TASKS_PER_REQUEST)))
  max_items <- if (is.null(limits$maxItemsPerRequest)) DEFAULT_MAX_ITEMS_PER_REQUEST else limits$maxItemsPerRequest
  chunks <- request_chunks(submission$tasks, per_request, max_items)
  if (length(chunks) <= 1) {
    # Who submits, as Jobmon's clients say it (an open-mode server records it; a token's user wins).
    user <- client_user()
    if (!is.null(user)) submission$user <- user
    # Binding is idempotent by identity: sent twice, the second finds the first's workflow.
    data <- gql("SubmitWorkflow", list(input = submission))
    result <- data$submitWorkflow
    attr(result, "resent") <- attr(data, "resent")
    return(result)
  }
  fields <- submission
  fields$tasks <- NULL
  binding <- gql("BeginWorkflowBinding", list(input = fields))$beginWorkflowBinding$bindingId
  tryCatch(
    {
      # Upstream keys may name tasks of any chunk: the server resolves them at commit.
      for (chunk in chunks) {
        # A chunk sent twice would be refused (its keys exist): an answer lost in transit ends the binding.
        gql("AddWorkflowTasks", list(bindingId = binding, tasks = chunk), retry_if_sent = FALSE)
      }
      gql("CommitWorkflowBinding", list(bindingId = binding), retry_if_sent = FALSE)$commitWorkflowBinding
    },
    error = function(e) {
      # The binding would expire on its own; aborting frees it now. Its own failure must not hide the cause.
      try(gql("AbortWorkflowBinding", list(bindingId = binding), retry_seconds = 10), silent = TRUE)
      stop(e)
    }
  )
}

workflow_run_state <- function(id, retry_seconds = getOption("jobmonr.retry_seconds", 300)) {
  workflow <- gql("WorkflowRunState", list(id = id), retry_seconds = retry_seconds)$workflow
  if (is.null(workflow)) request_error(sprintf("workflow %s not found", id), codes = ERROR_CODE[["NOT_FOUND"]])
  workflow
}

# A cold resume; returns the run to wait for. A resume whose answer was lost is not sent again when
# the workflow shows it happened (a newer run, or the old one between runs).
resume_workflow <- function(id) {
  before <- workflow_run_state(id)$latestRun
  resumed <- tryCatch(gql("ResumeWorkflow", list(id = id, mode = "COLD"), retry_if_sent = FALSE),
    jobmonr_unreachable = function(e) if (isTRUE(e$sent)) NULL else stop(e))
  if (is.null(resumed)) {
    latest <- workflow_run_state(id)$latestRun
    if (!is.null(latest) && (is.null(before) || latest$id != before$id || latest$status == BETWEEN_RUNS)) {
      return(latest$id)
    }
    resumed <- gql("ResumeWorkflow", list(id = id, mode = "COLD"))
  }
  resumed$resumeWorkflow$latestRun$id
}

# The workflow's newest run has ended for good, and is the awaited run or a later one.
run_is_over <- function(latest_run, run_id) {
  if (is.null(latest_run)) return(is.null(run_id))
  if (latest_run$status == BETWEEN_RUNS) return(FALSE)
  is.null(run_id) || as.numeric(latest_run$id) >= as.numeric(run_id)
}

progress_line <- function(workflow) {
  n <- lapply(workflow$statusCounts, as.integer)
  running <- sum(unlist(n[TASK_ACTIVE_STATUSES]))
  done <- n[[TASK_STATUS[["DONE"]]]]
  failed <- n[[TASK_STATUS[["ERROR_FATAL"]]]]
  sprintf("jobmonr: workflow %s %s: %d/%d done, %d running, %d waiting, %d failed", workflow$id, workflow$status,
    done, n$total, running, n$total - done - failed - running, failed)
}

# Polls until the workflow is DONE, FAILED or HALTED with the awaited run over; returns that status.
# Requests that get no answer are retried until the timeout (a restarting server, a dropped connection).
follow_workflow <- function(id, run_id, seconds_until_timeout) {
  deadline <- Sys.time() + seconds_until_timeout
  poll <- getOption("jobmonr.poll_seconds", 1)
  last <- ""
  repeat {
    remaining <- as.numeric(difftime(deadline, Sys.time(), units = "secs"))
    state <- workflow_run_state(id, retry_seconds = max(1, remaining))
    line <- progress_line(state)
    if (line != last && getOption("jobmonr.verbose", TRUE)) message(line)
    last <- line
    if (state$status %in% WORKFLOW_ENDED_STATUSES && run_is_over(state$latestRun, run_id)) return(state$status)
    if (Sys.time() >= deadline) {
      stop(jobmonr_condition("jobmonr_timeout", sprintf(
        "workflow %s did not finish within %s seconds (status %s); it goes on running on the server",
        id, format(seconds_until_timeout), state$status
      ), workflow_id = id))
    }
    Sys.sleep(min(poll, max(0, as.numeric(difftime(deadline, Sys.time(), units = "secs")))))
  }
}

#' The failed attempts of a workflow's tasks, as Jobmon's `get_errors`: one row per attempt that ended in
#' an error, oldest first within each task.
#' @param workflow A workflow that `run()` has sent, or a workflow id.
#' @param limit At most this many rows.
#' @return A data frame: task_id, task_key, task_name, template, task_status, task_instance_id, attempt,
#'   status, exit_code, error_kind, error_time, description (the error message), stderr (its tail).
#' @export
get_errors <- function(workflow, limit = 1000) {
  id <- if (inherits(workflow, "JobmonWorkflow")) workflow$workflow_id else as.character(workflow)
  if (is.null(id) || !length(id)) definition_error("the workflow has not been sent yet: run() it first")
  page_size <- min(500, gql("ServerLimits")$serverLimits$maxPageSize)
  rows <- list()
  after <- NULL
  text <- function(x) if (is.null(x)) NA_character_ else as.character(x)
  repeat {
    variables <- list(id = id, first = page_size)
    if (!is.null(after)) variables$after <- after
    wf <- gql("WorkflowErrors", variables)$workflow
    if (is.null(wf)) request_error(sprintf("workflow %s not found", id), codes = ERROR_CODE[["NOT_FOUND"]])
    for (t in wf$tasks$nodes) {
      for (i in t$instances) {
        if (!(i$status %in% FAILED_INSTANCE_STATUSES)) next
        rows[[length(rows) + 1L]] <- data.frame(
          task_id = as.integer(t$id), task_key = t$key, task_name = t$name, template = t$template$name,
          task_status = t$status, task_instance_id = as.integer(i$id), attempt = as.integer(i$attempt),
          status = i$status, exit_code = if (is.null(i$exitCode)) NA_integer_ else as.integer(i$exitCode),
          error_kind = text(i$errorKind), error_time = text(i$finishedAt), description = text(i$errorMessage),
          stderr = text(i$stderrTail), stringsAsFactors = FALSE
        )
        if (length(rows) >= limit) break
      }
      if (length(rows) >= limit) break
    }
    if (length(rows) >= limit || !isTRUE(wf$tasks$pageInfo$hasNextPage)) break
    after <- wf$tasks$pageInfo$endCursor
  }
  if (!length(rows)) {
    return(data.frame(
      task_id = integer(), task_key = character(), task_name = character(), template = character(),
      task_status = character(), task_instance_id = integer(), attempt = integer(), status = character(),
      exit_code = integer(), error_kind = character(), error_time = character(), description = character(),
      stderr = character(), stringsAsFactors = FALSE
    ))
  }
  do.call(rbind, rows)
}
