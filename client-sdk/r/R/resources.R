# Compute resources as Jobmon users write them, turned into the server's ResourcesInput:
#   memory   MiB as a number, or a size such as "1G", "512M", "1.5GiB"
#   runtime  seconds as a number, or "10m", "2h", "1h30m", "45s", "1d", "HH:MM:SS", "D-HH:MM:SS"
#   cores    a positive whole number
#   queue    the queue (a Slurm partition); dropped on the local clusters, whose distributor has one queue
#   project / account, constraints and any other key: carried to the backend in `extra`

# Cluster names a script may give; the first four run on this machine.
LOCAL_CLUSTERS <- c("local", "multiprocess", "sequential", "dummy")
CLUSTERS <- c(LOCAL_CLUSTERS, "slurm")

MEMORY_UNITS <- c(k = 1 / 1024, m = 1, g = 1024, t = 1024 * 1024)
TIME_UNITS <- c(d = 86400, h = 3600, m = 60, s = 1)

is_single <- function(x) (is.atomic(x) || is.factor(x)) && length(x) == 1L && !is.na(x)

# MiB from a number of MiB or a string such as "8G", "512M", "512MB", "1.5GiB", "2048".
parse_memory_mb <- function(value) {
  if (is.numeric(value) && is_single(value)) {
    if (!is.finite(value) || value <= 0) stop(sprintf("invalid memory %s: must be positive", value))
    return(as.integer(ceiling(value)))
  }
  if (!(is.character(value) && is_single(value))) stop("invalid memory: give MiB or a size such as \"8G\"")
  m <- regmatches(value, regexec("^\\s*([0-9]+(\\.[0-9]+)?)\\s*(([kKmMgGtT])(i?[bB])?)?\\s*$", value))[[1]]
  if (length(m) == 0L) {
    stop(sprintf("invalid memory \"%s\": use MiB or a size such as \"8G\" or \"512M\"", value))
  }
  unit <- if (nzchar(m[5])) tolower(m[5]) else "m"
  amount <- as.numeric(m[2]) * MEMORY_UNITS[[unit]]
  if (amount <= 0) stop(sprintf("invalid memory \"%s\": must be positive", value))
  as.integer(ceiling(amount))
}

# Seconds from a number of seconds or a string: "2h", "90m", "1h30m", "45s", "1d", "HH:MM:SS", "D-HH:MM:SS".
parse_runtime_seconds <- function(value) {
  if (is.numeric(value) && is_single(value)) {
    if (!is.finite(value) || value <= 0) stop(sprintf("invalid runtime %s: must be positive", value))
    return(as.integer(ceiling(value)))
  }
  if (!(is.character(value) && is_single(value))) stop("invalid runtime: give seconds or a duration such as \"2h\"")
  text <- trimws(value)
  seconds <- NULL
  if (grepl("^[0-9]+(\\.[0-9]+)?$", text)) {
    seconds <- as.numeric(text)
  } else if (grepl("^([0-9]+-)?[0-9]+(:[0-9]{1,2}){1,2}$", text)) {
    # [D-]HH:MM:SS or MM:SS (Slurm's forms).
    days <- 0
    clock <- text
    if (grepl("-", text, fixed = TRUE)) {
      days <- as.numeric(sub("-.*$", "", text))
      clock <- sub("^[^-]*-", "", text)
    }
    parts <- as.numeric(strsplit(clock, ":", fixed = TRUE)[[1]])
    parts <- c(rep(0, 3 - length(parts)), parts)
    if (parts[2] >= 60 || parts[3] >= 60) {
      stop(sprintf("invalid runtime \"%s\": minutes and seconds must be below 60", value))
    }
    seconds <- days * 86400 + parts[1] * 3600 + parts[2] * 60 + parts[3]
  } else if (grepl("^([0-9]+(\\.[0-9]+)?\\s*[dhmsDHMS]\\s*)+$", text)) {
    pieces <- regmatches(text, gregexpr("[0-9]+(\\.[0-9]+)?\\s*[dhmsDHMS]", text))[[1]]
    seconds <- sum(vapply(pieces, function(piece) {
      unit <- tolower(substring(piece, nchar(piece)))
      as.numeric(trimws(substring(piece, 1, nchar(piece) - 1))) * TIME_UNITS[[unit]]
    }, numeric(1)))
  }
  if (is.null(seconds)) {
    stop(sprintf("invalid runtime \"%s\": use seconds, \"2h\", \"90m\", \"1h30m\" or \"HH:MM:SS\"", value))
  }
  if (seconds <= 0) stop(sprintf("invalid runtime \"%s\": must be positive", value))
  as.integer(ceiling(seconds))
}

# Checks a cluster name; returns problems (empty when fine). "" means none given.
cluster_problems <- function(cluster_name, where) {
  if (!(is.character(cluster_name) && length(cluster_name) == 1L && !is.na(cluster_name))) {
    return(sprintf("%s: cluster name must be a string", where))
  }
  if (nzchar(cluster_name) && !(cluster_name %in% CLUSTERS)) {
    return(sprintf(
      "%s: unknown cluster \"%s\" (one of %s)", where, cluster_name, paste(CLUSTERS, collapse = ", ")
    ))
  }
  character()
}

# A resources list as given by a script: a named list (or named vector) or NULL.
check_resource_list <- function(resources, where) {
  if (is.null(resources)) return(list())
  if (is.atomic(resources) && !is.null(names(resources))) resources <- as.list(resources)
  if (!is.list(resources) || (length(resources) && (is.null(names(resources)) || any(!nzchar(names(resources)))))) {
    definition_error(sprintf("%s: resources must be a named list such as list(memory = \"1G\", runtime = \"10m\")", where))
  }
  resources
}

# The ResourcesInput of merged resources for `cluster` (NULL when there are none), or stops with
# a definition error naming `where`.
resources_input <- function(resources, cluster, where) {
  problems <- character()
  out <- list()
  extra <- list()
  attempt <- function(expr) {
    tryCatch(expr, error = function(e) {
      problems <<- c(problems, sprintf("%s: %s", where, conditionMessage(e)))
      NULL
    })
  }
  for (key in names(resources)) {
    value <- resources[[key]]
    if (is.null(value)) next
    if (key %in% c("memory", "memory_mb", "memoryMb")) {
      out$memoryMb <- attempt(parse_memory_mb(value))
    } else if (key %in% c("runtime", "runtime_seconds", "runtimeSeconds", "max_runtime_seconds")) {
      out$runtimeSeconds <- attempt(parse_runtime_seconds(value))
    } else if (key %in% c("cores", "num_cores")) {
      if (!(is.numeric(value) && is_single(value) && value >= 1 && value == round(value))) {
        problems <- c(problems, sprintf("%s: invalid cores %s: must be a positive whole number", where, format(value)))
      } else {
        out$cores <- as.integer(value)
      }
    } else if (key == "queue") {
      if (!(is.character(value) && is_single(value) && nzchar(value))) {
        problems <- c(problems, sprintf("%s: queue must be a non-empty string", where))
      } else if (!(cluster %in% LOCAL_CLUSTERS)) {
        out$queue <- value
      }
    } else if (key %in% c("project", "account")) {
      extra$account <- value
    } else {
      extra[[key]] <- value
    }
  }
  if (length(problems)) definition_error(problems)
  if (length(extra)) out$extra <- extra
  if (length(out)) out else NULL
}
