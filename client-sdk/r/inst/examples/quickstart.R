# jobmonr quickstart: a fork and join. One preparation task, three models (one per location) that
# wait for it, and a summary that waits for all of them. Runs against JOBMON_SERVER_URL (default
# http://localhost:4000, e.g. `npm start`):  Rscript client-sdk/r/inst/examples/quickstart.R
library(jobmonr)

my_tool <- jobmonr::tool(name = "r_quickstart")
my_tool <- jobmonr::set_default_tool_resources(
  my_tool,
  default_cluster_name = "local",
  resources = list(cores = 1L, memory = "256M", runtime = "10m")
)

# workflow_args identify the workflow: the same ones again find it (run(wf, resume = TRUE) resumes it).
wf <- jobmonr::workflow(
  tool = my_tool,
  workflow_args = paste0("quickstart_", format(Sys.time(), "%Y%m%d_%H%M%OS3")),
  name = "R quickstart"
)

prep_template <- jobmonr::task_template(
  tool = my_tool,
  template_name = "prep",
  command_template = "echo preparing release {release}",
  task_args = list("release")
)
model_template <- jobmonr::task_template(
  tool = my_tool,
  template_name = "model",
  command_template = "echo modelling location {location_id} of release {release}",
  node_args = list("location_id"),
  task_args = list("release")
)
summary_template <- jobmonr::task_template(
  tool = my_tool,
  template_name = "summarize",
  command_template = "echo summarizing release {release}",
  task_args = list("release")
)
summary_template <- jobmonr::set_default_template_resources(
  summary_template,
  default_cluster_name = "local",
  resources = list(memory = "512M")
)

prep <- jobmonr::task(prep_template, name = "prep", release = 1)
models <- jobmonr::array_tasks(
  task_template = model_template,
  upstream_tasks = list(prep),
  location_id = list(101, 102, 103), # one task per location
  release = 1
)
summary <- jobmonr::task(summary_template, name = "summarize", upstream_tasks = models, release = 1)

wf <- jobmonr::add_tasks(wf, c(list(prep), models, list(summary)))
status <- jobmonr::run(wf, resume = FALSE, seconds_until_timeout = 600)

if (status != "D") stop(paste("workflow", jobmonr::workflow_id(wf), "ended with status", status))
cat(sprintf("workflow %s done: %d tasks\n", jobmonr::workflow_id(wf), 5L))
