# GraphQL over HTTP with httr2 (the API of httr2 0.2.2, Debian bookworm's). The server is
# JOBMON_SERVER_URL (default http://localhost:4000), a token in JOBMON_TOKEN is sent as a bearer token.
# Requests that got no answer are retried for a while (option jobmonr.retry_seconds, 300 by default), so
# that run() outlives a restarting server or a dropped connection.

# DEFAULT_SERVER_URL is the core's (core_rules.R).

# The package's state: the operation documents once read, and the transport (replaced by tests).
.jobmonr <- new.env(parent = emptyenv())

# The core's graphqlEndpoint, held to it by core/conformance/endpoint.json.
graphql_endpoint <- function(server_url = Sys.getenv("JOBMON_SERVER_URL", DEFAULT_SERVER_URL)) {
  if (!nzchar(server_url)) server_url <- DEFAULT_SERVER_URL
  trimmed <- sub("/+$", "", server_url)
  if (grepl("/graphql$", trimmed)) trimmed else paste0(trimmed, "/graphql")
}

# An operation's document, from inst/graphql/<name>.graphql.
operation <- function(name) {
  cached <- .jobmonr$documents[[name]]
  if (!is.null(cached)) return(cached)
  file <- system.file("graphql", paste0(name, ".graphql"), package = "jobmonr")
  if (!nzchar(file)) stop(sprintf("jobmonr: the operation %s is missing from the installed package", name))
  document <- paste(readLines(file, warn = FALSE, encoding = "UTF-8"), collapse = "\n")
  .jobmonr$documents[[name]] <- document
  document
}

to_json <- function(x) {
  as.character(jsonlite::toJSON(x, auto_unbox = TRUE, digits = NA, null = "null", na = "null"))
}

# One POST: list(status = HTTP status or NA when there was no answer, body = text, error = why not,
# sent = FALSE when the request certainly never reached the server).
http_post <- function(url, body, headers, timeout_seconds) {
  req <- httr2::request(url)
  req <- do.call(httr2::req_headers, c(list(req), headers))
  req <- httr2::req_body_raw(req, body, type = "application/json")
  req <- httr2::req_timeout(req, timeout_seconds)
  req <- httr2::req_error(req, is_error = function(resp) FALSE)
  tryCatch(
    {
      resp <- httr2::req_perform(req)
      list(status = httr2::resp_status(resp), body = httr2::resp_body_string(resp, encoding = "UTF-8"),
        retry_after = httr2::resp_header(resp, "retry-after"))
    },
    error = function(e) {
      message <- conditionMessage(e)
      # curl names these before anything was written to the connection.
      never_sent <- grepl("resolve host|connect to|Connection refused|Couldn't connect|Failed to connect", message, ignore.case = TRUE)
      list(status = NA_integer_, error = message, sent = !never_sent)
    }
  )
}

transport <- function() .jobmonr$transport %||% http_post

# Runs an operation and returns its `data`. Retries while there is no answer, or the server says it is
# busy or unavailable (502/503/504, SERVER_BUSY), until `retry_seconds`. When an attempt may have
# reached the server and `retry_if_sent` is FALSE, it stops at once with a jobmonr_unreachable error
# whose `sent` is TRUE: the caller decides (a mutation that must not run twice).
gql <- function(name, variables = list(), retry_if_sent = TRUE,
                retry_seconds = getOption("jobmonr.retry_seconds", 300)) {
  url <- graphql_endpoint()
  headers <- list(`content-type` = "application/json", accept = "application/json")
  token <- Sys.getenv("JOBMON_TOKEN")
  if (nzchar(token)) headers$authorization <- paste("Bearer", token)
  body <- to_json(list(query = operation(name), variables = if (length(variables)) variables else empty_object()))
  give_up_at <- Sys.time() + retry_seconds
  wait <- 0.25
  tries <- 0L
  resent <- FALSE
  repeat {
    tries <- tries + 1L
    answer <- transport()(url, body, headers, getOption("jobmonr.request_timeout_seconds", 120))
    parsed <- if (!is.na(answer$status)) tryCatch(jsonlite::fromJSON(answer$body, simplifyVector = FALSE), error = function(e) NULL)
    codes <- vapply(parsed$errors %||% list(), function(e) as.character(e$extensions$code %||% "UNKNOWN"), character(1))
    busy <- !is.na(answer$status) && (answer$status %in% c(502L, 503L, 504L) || ERROR_CODE[["SERVER_BUSY"]] %in% codes)
    if (!is.na(answer$status) && !busy) break
    why <- if (is.na(answer$status)) answer$error else sprintf("HTTP %d", answer$status)
    if (is.na(answer$status) && isTRUE(answer$sent) && !retry_if_sent) {
      stop(jobmonr_condition("jobmonr_unreachable", sprintf("no answer from %s to %s: %s", url, name, why), sent = TRUE))
    }
    if (Sys.time() >= give_up_at) {
      stop(jobmonr_condition("jobmonr_unreachable",
        sprintf("cannot reach %s (%s, %d tries): %s", url, name, tries, why), sent = isTRUE(answer$sent)))
    }
    resent <- resent || (is.na(answer$status) && isTRUE(answer$sent))
    if (tries == 1L && getOption("jobmonr.verbose", TRUE)) message(sprintf("jobmonr: %s: %s; retrying", url, why))
    Sys.sleep(min(wait, max(0, as.numeric(difftime(give_up_at, Sys.time(), units = "secs")))))
    wait <- min(wait * 2, 5)
  }
  if (is.null(parsed)) {
    unreachable_error(sprintf("%s answered HTTP %d without JSON", url, answer$status))
  }
  if (length(parsed$errors)) {
    problems <- unlist(lapply(parsed$errors, function(e) unlist(e$extensions$problems)))
    messages <- vapply(parsed$errors, function(e) as.character(e$message %||% "error"), character(1))
    request_error(paste(messages, collapse = "; "), codes = codes, status = answer$status,
      problems = as.character(problems %||% character()))
  }
  if (is.null(parsed$data)) unreachable_error(sprintf("%s answered HTTP %d without data", url, answer$status))
  data <- parsed$data
  # The request was sent again after an answer was lost: a mutation may have run twice.
  if (resent) attr(data, "resent") <- TRUE
  data
}
