# The errors jobmonr signals, each with a class of its own so that scripts can catch one kind:
#   jobmonr_definition_error   the workflow is refused before anything is sent ($problems: every problem;
#                              $code: BAD_USER_INPUT, the server's code for the same mistake)
#   jobmonr_request_error      the server answered with GraphQL errors ($codes: their extensions.code)
#   jobmonr_unreachable        no answer from the server, after retrying
#   jobmonr_workflow_exists    run(resume = FALSE) of a workflow that exists already
#   jobmonr_workflow_complete  run() of a workflow that is DONE
#   jobmonr_timeout            run() did not see the end within seconds_until_timeout

jobmonr_condition <- function(class, message, ...) {
  structure(
    class = c(class, "jobmonr_error", "error", "condition"),
    list(message = message, call = NULL, ...)
  )
}

definition_error <- function(problems, prefix = "") {
  problems <- unique(as.character(problems))
  stop(jobmonr_condition(
    "jobmonr_definition_error",
    paste0(prefix, paste(problems, collapse = "; ")),
    problems = problems,
    code = ERROR_CODE[["BAD_USER_INPUT"]]
  ))
}

request_error <- function(message, codes = character(), status = NA_integer_, problems = character()) {
  stop(jobmonr_condition(
    "jobmonr_request_error",
    message,
    codes = codes,
    status = status,
    problems = problems
  ))
}

unreachable_error <- function(message) {
  stop(jobmonr_condition("jobmonr_unreachable", message))
}
