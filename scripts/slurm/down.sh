#!/usr/bin/env bash
# Stops the Slurm daemons that scripts/slurm/up.sh started (as recorded in /run/jobmon-slurm/started),
# and nothing else: a daemon that was already running before up.sh is left alone. Idempotent.
# When it stops slurmctld, every job of this single-node cluster is cancelled first (and waited for),
# so that no job step (slurmstepd) outlives slurmd. Configuration and accounting data stay.
set -euo pipefail
STARTED=/run/jobmon-slurm/started
log() { printf '[slurm-down] %s\n' "$*"; }

[ -f "$STARTED" ] || { log "nothing was started by up.sh"; exit 0; }

pidfile() {
  case "$1" in
    munged) echo /run/munge/munged.pid ;;
    *) echo "/run/slurm/$1.pid" ;;
  esac
}

# The cluster is ours: cancel its jobs and wait until their steps are gone.
if grep -qx slurmctld "$STARTED" && scontrol ping >/dev/null 2>&1; then
  jobs="$(squeue --noheader --format=%A 2>/dev/null | sort -u | tr '\n' ' ')"
  if [ -n "${jobs// /}" ]; then
    # shellcheck disable=SC2086 # one id per word
    scancel $jobs || true
    log "cancelled jobs $jobs"
    for _ in $(seq 1 60); do
      [ -z "$(squeue --noheader --states=running,completing --format=%A 2>/dev/null)" ] && break
      sleep 0.5
    done
  fi
fi

# In reverse order of start: slurmd, slurmctld, slurmdbd, munged.
for daemon in slurmd slurmctld slurmdbd munged; do
  grep -qx "$daemon" "$STARTED" || continue
  file="$(pidfile "$daemon")"
  pid="$(cat "$file" 2>/dev/null || true)"
  if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$daemon" ]; then
    kill -TERM "$pid"
    for _ in $(seq 1 100); do
      [ -d "/proc/$pid" ] || break
      sleep 0.1
    done
    if [ -d "/proc/$pid" ]; then
      log "$daemon ($pid) did not stop on SIGTERM: SIGKILL"
      kill -KILL "$pid" || true
    fi
    log "stopped $daemon ($pid)"
  fi
  sed -i "/^$daemon\$/d" "$STARTED"
done
rm -f "$STARTED"
