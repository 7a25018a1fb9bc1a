// Jobmon's own secrets never reach the commands it runs: a command runs as the distributor's operating
// system user but for whoever submitted it, and its output tail can be read by every token. One rule,
// applied wherever an environment is handed to a command (supervisor, launcher, Slurm jobs).

/**
 * Names of Jobmon's secrets: its tokens (the distributor's, an attempt's, the metrics token), and the
 * database and Redis URLs (which may carry passwords). Matched on the name, so that a secret added later
 * under a JOBMON_…TOKEN/…SECRET/…PASSWORD name is covered too.
 */
const SECRET_NAME = /^JOBMON_(?:.*_)?(?:TOKEN|SECRET|PASSWORD|DATABASE_URL|REDIS_URL)$/i;

export function isJobmonSecret(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** `env` without Jobmon's secrets (a copy; `env` is not changed). */
export function withoutJobmonSecrets(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env))
    if (value !== undefined && !isJobmonSecret(name)) out[name] = value;
  return out;
}
