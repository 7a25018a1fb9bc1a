# Compute resources as Jobmon users write them, turned into the server's ResourcesInput:
#   memory   MiB as a number, or a size such as "1G", "512M", "1.5GiB"
#   runtime  seconds as a number, or "10m", "2h", "1h30m", "45s", "1d", "HH:MM:SS", "D-HH:MM:SS"
#   cores    a positive whole number
#   queue    the queue (a Slurm partition); dropped on the local clusters, whose distributor has one queue
#   project / account, constraints and any other key: carried to the backend in `extra`

# Cluster names a script may give: the core's backends, and Jobmon 3's "multiprocess" for local. The
# first four run on this machine.
LOCAL_CLUSTERS <- c(BACKEND_NAMES, "multiprocess")
CLUSTERS <- c(LOCAL_CLUSTERS, setdiff(SERVER_BACKEND_NAMES, BACKEND_NAMES))

is_single <- function(x) (is.atomic(x) || is.factor(x)) && length(x) == 1L && !is.na(x)

# Memory and runtime are read by the core's rule (core/src/resources.ts), with its tables and patterns
# (core_rules.R), and held to it by core/conformance/resources.json.

# A value as a message quotes it.
describe_value <- function(value) {
  if (is.character(value) && length(value) == 1L) return(encodeString(value, quote = "\""))
  if (is.numeric(value) && length(value) == 1L) return(format(value))
  if (is.null(value)) return("null")
  class(value)[1]
}

# Rounded up (a task gets at least what it asked for); an integer while R's integers hold it.
positive_whole <- function(amount) {
  if (!is.finite(amount) || amount <= 0) return(NULL)
  whole <- ceiling(amount)
  if (whole > MAX_RESOURCE_AMOUNT) return(NULL)
  if (whole <= .Machine$integer.max) as.integer(whole) else whole
}

is_number <- function(x) is.numeric(x) && length(x) == 1L && !is.na(x)
is_text <- function(x) is.character(x) && length(x) == 1L && !is.na(x)
trim_text <- function(x) trimws(x, whitespace = "[\\h\\v]")
# The groups of a match of a core pattern ("" for one that took no part), or character() for no match.
core_match <- function(pattern, text) regmatches(text, regexec(pattern, text, perl = TRUE))[[1]]

# Whole MiB from a number of MiB or a size such as "8G", "512M", "512MB", "1.5GiB", "2048".
parse_memory_mb <- function(value) {
  mib <- NULL
  if (is_number(value)) {
    mib <- positive_whole(value)
  } else if (is_text(value)) {
    m <- core_match(MEMORY_PATTERN, trim_text(value))
    if (length(m)) mib <- positive_whole(as.numeric(m[2]) * MEMORY_UNITS[[if (nzchar(m[3])) tolower(m[3]) else "m"]])
  }
  if (is.null(mib)) {
    definition_error(sprintf("invalid memory %s: expected a positive amount such as 512M, 8G or 1.5T", describe_value(value)))
  }
  mib
}

# Seconds of "1h30m", "90s", "1.5h": parts in decreasing unit order, each unit at most once.
unit_duration <- function(text) {
  order <- names(SECONDS_PER_UNIT)
  total <- 0
  last_rank <- 0L
  rest <- text
  while (nzchar(rest)) {
    m <- core_match(DURATION_PART_PATTERN, rest)
    if (!length(m)) return(NULL)
    unit <- tolower(m[3])
    rank <- match(unit, order)
    if (rank <= last_rank) return(NULL)
    last_rank <- rank
    total <- total + as.numeric(m[2]) * SECONDS_PER_UNIT[[unit]]
    rest <- substring(rest, nchar(m[1]) + 1L)
  }
  total
}

# Slurm's "MM:SS", "HH:MM:SS", "D-HH", "D-HH:MM", "D-HH:MM:SS"; the leading field is unbounded.
clock_seconds <- function(text) {
  m <- core_match(CLOCK_PATTERN, text)
  if (!length(m)) return(NULL)
  field <- function(x) if (nzchar(x)) as.numeric(x) else NA_real_
  days <- field(m[2])
  first <- field(m[3])
  second <- field(m[4])
  third <- field(m[5])
  if (is.na(days)) {
    if (is.na(second)) return(NULL) # a bare number is seconds, read by the caller
    hours <- if (is.na(third)) 0 else first
    minutes <- if (is.na(third)) first else second
    seconds <- if (is.na(third)) second else third
    if ((!is.na(third) && minutes >= 60) || seconds >= 60) return(NULL)
    return(hours * 3600 + minutes * 60 + seconds)
  }
  hours <- first
  minutes <- if (is.na(second)) 0 else second
  seconds <- if (is.na(third)) 0 else third
  if (hours >= 24 || minutes >= 60 || seconds >= 60) return(NULL)
  days * 86400 + hours * 3600 + minutes * 60 + seconds
}

# Whole seconds from seconds or "90s", "30m", "2h", "1d", "1h30m", "HH:MM:SS", "D-HH:MM:SS".
parse_runtime_seconds <- function(value) {
  seconds <- NULL
  if (is_number(value)) {
    seconds <- positive_whole(value)
  } else if (is_text(value)) {
    text <- trim_text(value)
    amount <- if (grepl(AMOUNT_PATTERN, text, perl = TRUE)) {
      as.numeric(text)
    } else if (grepl(":", text, fixed = TRUE) || grepl("-", text, fixed = TRUE)) {
      clock_seconds(text)
    } else if (nzchar(text)) {
      unit_duration(text)
    }
    if (!is.null(amount)) seconds <- positive_whole(amount)
  }
  if (is.null(seconds)) {
    definition_error(sprintf(
      "invalid runtime %s: expected a positive duration such as 3600, 90s, 30m, 1h30m, 2:30:00 or 1-12:00:00",
      describe_value(value)
    ))
  }
  seconds
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

# The core's rule for cores (core/src/resources.ts: validateResources), held to it by
# core/conformance/resources.json: a whole number from 1 to MAX_RESOURCE_AMOUNT.
is_cores <- function(value) {
  is_number(value) && is.finite(value) && value >= 1 && value == round(value) && value <= MAX_RESOURCE_AMOUNT
}

# The core's checks on resource scales (core/src/resources.ts: validateScales), held to it by
# core/conformance/resources.json: memory and runtime each a finite number >= 0, memoryFactors and
# runtimeFactors each a list (or vector) of 1 to MAX_SCALE_FACTORS of them; other names are not scales.
resource_scales_problems <- function(scales, where) {
  is_scale <- function(x) is_number(x) && is.finite(x) && x >= 0
  problems <- character()
  for (field in c("memory", "runtime")) {
    value <- scales[[field]]
    if (!is.null(value) && !is_scale(value)) {
      problems <- c(problems, sprintf("%s: %s scale must be a finite number >= 0 (got %s)", where, field, describe_value(value)))
    }
    factors_name <- paste0(field, "Factors")
    factors <- scales[[factors_name]]
    if (is.null(factors)) next
    if (!(is.list(factors) || is.numeric(factors)) || length(factors) < 1L || length(factors) > MAX_SCALE_FACTORS) {
      problems <- c(problems, sprintf("%s: %s must be a list of 1 to %d scales", where, factors_name, MAX_SCALE_FACTORS))
    } else if (!all(vapply(factors, is_scale, logical(1)))) {
      problems <- c(problems, sprintf("%s: %s must hold finite numbers >= 0", where, factors_name))
    }
  }
  problems
}

# Checked scales as the server takes them: the factors always a JSON array (a vector of one is unboxed).
scales_input <- function(scales) {
  for (field in c("memoryFactors", "runtimeFactors")) {
    if (!is.null(scales[[field]])) scales[[field]] <- as.list(as.numeric(unlist(scales[[field]])))
  }
  scales
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
      if (!is_cores(value)) {
        problems <- c(problems, sprintf("%s: invalid cores %s: must be a positive whole number", where, format(value)))
      } else {
        out$cores <- if (value <= .Machine$integer.max) as.integer(value) else value
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
