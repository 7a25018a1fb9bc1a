# Loaded by testthat before the tests: the installed package, quiet, polling fast.
library(jobmonr)
options(jobmonr.verbose = FALSE, jobmonr.poll_seconds = 0.2)

# A transport that must never be used: proves that a refused definition sends nothing.
no_requests <- function(envir = parent.frame()) {
  env <- asNamespace("jobmonr")$.jobmonr
  env$transport <- function(...) stop("a request was sent")
  withr::defer(env$transport <- NULL, envir = envir)
}

# A transport answering from `answers` in turn (each a function(body) returning a list(status, body)
# or list(status = NA, error, sent)); records the requests. Removed when the calling test ends.
fake_server <- function(answers, envir = parent.frame()) {
  state <- new.env()
  state$requests <- list()
  state$headers <- list()
  env <- asNamespace("jobmonr")$.jobmonr
  env$transport <- function(url, body, headers, timeout) {
    state$requests[[length(state$requests) + 1L]] <- jsonlite::fromJSON(body, simplifyVector = FALSE)
    state$headers[[length(state$headers) + 1L]] <- headers
    i <- length(state$requests)
    if (i > length(answers)) stop("unexpected request ", i)
    answers[[i]](body)
  }
  withr::defer(env$transport <- NULL, envir = envir)
  state
}

ok <- function(data) function(body) list(status = 200L, body = jsonlite::toJSON(list(data = data), auto_unbox = TRUE, null = "null"))
no_answer <- function(sent = FALSE) function(body) list(status = NA_integer_, error = if (sent) "Recv failure: Connection reset by peer" else "Failed to connect to localhost port 1: Connection refused", sent = sent)

# The workflow's submission as the server would receive it (JSON and back).
wire <- function(workflow) jsonlite::fromJSON(asNamespace("jobmonr")$to_json(asNamespace("jobmonr")$build_submission(workflow)), simplifyVector = FALSE)
