# The checks made before anything is sent: command templates, task arguments, upstream tasks and
# cycles. The server checks all of this again; here each error names its task or template at once.

# The placeholder name rule as people read it in a message (the core's pattern, whose source ends in "$").
PLACEHOLDER_NAME_RULE <- sub("\\\\z$", "$", PLACEHOLDER_NAME_PATTERN)

# The core's parse of a command template (core/src/command.ts), held to it by
# core/conformance/templates.json: the placeholder names in order (repeats included) and every problem.
parse_template <- function(command_template) {
  chars <- strsplit(command_template, "", fixed = TRUE)[[1]]
  n <- length(chars)
  names <- character()
  problems <- character()
  i <- 1L
  while (i <= n) {
    c <- chars[i]
    if (c == "{") {
      if (i < n && chars[i + 1L] == "{") {
        i <- i + 2L
        next
      }
      close <- match("}", chars[seq.int(i + 1L, length.out = n - i)])
      if (is.na(close)) {
        problems <- c(problems, sprintf("unclosed \"{\" at offset %d (write {{ for a literal brace)", i - 1L))
        break
      }
      name <- paste(chars[seq.int(i + 1L, length.out = close - 1L)], collapse = "")
      if (grepl(PLACEHOLDER_NAME_PATTERN, name, perl = TRUE)) {
        names <- c(names, name)
      } else {
        problems <- c(problems, sprintf(
          "invalid placeholder \"{%s}\" at offset %d: names must match %s (write {{ and }} for literal braces)",
          name, i - 1L, PLACEHOLDER_NAME_RULE
        ))
      }
      i <- i + close + 1L
    } else if (c == "}") {
      if (i < n && chars[i + 1L] == "}") {
        i <- i + 2L
        next
      }
      problems <- c(problems, sprintf("unmatched \"}\" at offset %d (write }} for a literal brace)", i - 1L))
      i <- i + 1L
    } else {
      i <- i + 1L
    }
  }
  list(names = names, problems = problems)
}

# The placeholder names of a command template, in order of first appearance ({{ and }} are literal braces).
template_placeholders <- function(command_template, where) {
  parsed <- parse_template(command_template)
  if (length(parsed$problems)) definition_error(sprintf("%s: %s", where, parsed$problems))
  unique(parsed$names)
}

# The core's declaration checks (core/src/command.ts: validateTemplate), held to it by
# core/conformance/templates.json: list(node_args, task_args, op_args, declared), each name once. With
# none declared every placeholder is a node arg (an empty group counts as none, as Jobmon 3 scripts write
# node_args = list()); otherwise every placeholder must be declared, every declared arg must appear in
# the command, no arg may be in two groups and each must be a valid name.
template_arg_groups <- function(command_template, node_args, task_args, op_args, where) {
  placeholders <- template_placeholders(command_template, where)
  given <- list(nodeArgs = unique(node_args), taskArgs = unique(task_args), opArgs = unique(op_args))
  if (!length(unlist(given))) {
    return(list(node_args = placeholders, task_args = character(), op_args = character(), declared = FALSE))
  }
  problems <- character()
  group_of <- character()
  for (group in names(given)) {
    for (arg in given[[group]]) {
      if (!grepl(PLACEHOLDER_NAME_PATTERN, arg, perl = TRUE)) {
        problems <- c(problems, sprintf("%s: %s argument \"%s\" is not a valid name (must match %s)",
          where, group, arg, PLACEHOLDER_NAME_RULE))
      } else if (arg %in% names(group_of)) {
        problems <- c(problems, sprintf("%s: argument \"%s\" is declared in both %s and %s",
          where, arg, group_of[[arg]], group))
      } else {
        group_of[[arg]] <- group
        if (!(arg %in% placeholders)) {
          problems <- c(problems, sprintf("%s: %s argument \"%s\" does not appear in the command template",
            where, group, arg))
        }
      }
    }
  }
  for (name in setdiff(placeholders, names(group_of))) {
    problems <- c(problems, sprintf("%s: placeholder {%s} is not declared in nodeArgs, taskArgs or opArgs", where, name))
  }
  if (length(problems)) definition_error(problems)
  list(node_args = given$nodeArgs, task_args = given$taskArgs, op_args = given$opArgs, declared = TRUE)
}

# Why `value` cannot be a name (`field` says which), or NULL: longer than the server can store, in
# characters (code points). The core's rule (core/src/limits.ts: nameProblem), held to it by
# core/conformance/names.json; its other half, no NUL, holds for every R string.
name_problem <- function(value, field, max_length = MAX_NAME_LENGTH) {
  if (nchar(value, type = "chars") > max_length) sprintf("%s is longer than %d characters", field, max_length) else NULL
}

# The names and keys of a submission that the server could not store, each naming its owner (checked
# a vector at a time: a submission may hold a million tasks).
submission_name_problems <- function(submission) {
  shown <- function(kind, name) sprintf("%s \"%s\"%s", kind, substr(name, 1L, 40L), ifelse(nchar(name) > 40L, "...", ""))
  too_long <- function(values) !is.na(values) & nchar(values, type = "chars") > MAX_NAME_LENGTH
  problems <- character()
  check <- function(values, fields) {
    bad <- too_long(values)
    if (any(bad)) problems <<- c(problems, vapply(which(bad), function(i) name_problem(values[i], fields[i]), character(1)))
  }
  text <- function(x) if (is.null(x)) NA_character_ else as.character(x)
  check(text(submission$tool), "tool")
  check(text(submission$name), "workflow name")
  for (template in submission$taskTemplates) {
    args <- as.character(unlist(c(template$nodeArgs, template$taskArgs, template$opArgs)))
    check(c(template$name, args), c(
      sprintf("%s: name", shown("template", template$name)),
      rep(sprintf("%s: argument name", shown("template", template$name)), length(args))
    ))
  }
  keys <- vapply(submission$tasks, function(t) t$key, character(1))
  task_names <- vapply(submission$tasks, function(t) text(t$name), character(1))
  for (i in which(too_long(keys))) problems <- c(problems, name_problem(keys[i], sprintf("%s: key", shown("task", keys[i]))))
  for (i in which(too_long(task_names))) problems <- c(problems, name_problem(task_names[i], sprintf("%s: name", shown("task", keys[i]))))
  problems
}

# A task argument value as it goes into the submission: one string, finite number or logical.
arg_value_problem <- function(name, value) {
  if (is.factor(value)) value <- as.character(value)
  ok <- (is.character(value) || is.logical(value) || (is.numeric(value) && is.finite(value[1]))) &&
    length(value) == 1L && !is.na(value)
  if (ok) NULL else sprintf("argument \"%s\" must be a single string, finite number or logical", name)
}

# The text of an argument value: the core's rule (core/src/command.ts: argText), held to it by
# core/conformance/templates.json: a string as it is, a number as JavaScript writes it (2 is "2", 1e21 is
# "1e+21", 1/3 is "0.3333333333333333"), a logical "true" or "false". Task keys are made of it, so they are
# the TypeScript SDK's and stay the same across sessions.
arg_text <- function(value, name = "value") {
  problem <- arg_value_problem(name, value)
  if (!is.null(problem)) definition_error(problem)
  if (is.factor(value)) value <- as.character(value)
  if (is.character(value)) return(value)
  if (is.logical(value)) return(if (value) "true" else "false")
  number_text(as.numeric(value))
}

# A finite number as JavaScript's Number#toString writes it: the fewest significant digits that read
# back as the same double, in positional notation for exponents -7 < e < 21, else as d.ddde+x.
number_text <- function(x) {
  if (x == 0) return("0")
  sign <- if (x < 0) "-" else ""
  x <- abs(x)
  for (precision in 1:17) {
    text <- sprintf(paste0("%.", precision - 1L, "e"), x)
    if (as.numeric(text) == x) break
  }
  parts <- strsplit(text, "e", fixed = TRUE)[[1]]
  digits <- sub("0+$", "", gsub(".", "", parts[1], fixed = TRUE))
  n <- as.integer(parts[2]) + 1L # the decimal point's place after the first digit
  k <- nchar(digits)
  out <- if (k <= n && n <= 21L) {
    paste0(digits, strrep("0", n - k))
  } else if (0L < n && n <= 21L) {
    paste0(substr(digits, 1L, n), ".", substr(digits, n + 1L, k))
  } else if (-6L < n && n <= 0L) {
    paste0("0.", strrep("0", -n), digits)
  } else {
    e <- n - 1L
    paste0(substr(digits, 1L, 1L), if (k > 1L) paste0(".", substr(digits, 2L, k)) else "",
      "e", if (e >= 0L) "+" else "-", abs(e))
  }
  paste0(sign, out)
}

# One cycle among tasks given as a named list key -> upstream keys, as keys from a task back to
# itself in run order, or NULL when the graph is a DAG (Kahn's algorithm on integer indices, linear in
# tasks and edges; then a walk upstream inside what remains).
find_cycle <- function(upstream) {
  keys <- names(upstream)
  n <- length(keys)
  ups <- lapply(upstream, function(u) {
    i <- unique(match(u, keys))
    i[!is.na(i)]
  })
  for (i in seq_len(n)) if (i %in% ups[[i]]) return(c(keys[i], keys[i]))
  pending <- lengths(ups)
  down <- split(rep(seq_len(n), pending), factor(unlist(ups, use.names = FALSE), levels = seq_len(n)))
  stack <- integer(n)
  roots <- which(pending == 0L)
  stack[seq_along(roots)] <- roots
  top <- length(roots)
  removed <- logical(n)
  while (top > 0L) {
    k <- stack[top]
    top <- top - 1L
    removed[k] <- TRUE
    for (d in down[[k]]) {
      pending[d] <- pending[d] - 1L
      if (pending[d] == 0L) {
        top <- top + 1L
        stack[top] <- d
      }
    }
  }
  if (all(removed)) return(NULL)
  # Every remaining task has a remaining upstream: walk upstream until a task repeats.
  path <- integer()
  k <- which(!removed)[1]
  while (!(k %in% path)) {
    path <- c(path, k)
    k <- ups[[k]][!removed[ups[[k]]]][1]
  }
  keys[rev(c(path[seq.int(match(k, path), length(path))], k))]
}
