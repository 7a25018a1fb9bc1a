#!/usr/bin/env bash
# A real single-node Slurm on this machine, for development and CI (run as root):
#   - installs Debian's slurm-wlm (slurmctld, slurmd, client tools), slurmdbd and munge when missing;
#   - writes /etc/slurm/{slurm,cgroup,slurmdbd}.conf for this host from the templates next to this file:
#     partitions `short` (2-minute limit, default) and `long` (1 day), accounting through slurmdbd on
#     the local MariaDB (database slurm_acct_db) so that sacct reports states and exit codes, and memory
#     enforcement by cgroup v1 when /sys/fs/cgroup/memory is writable (else none: jobmon-worker enforces
#     memory itself);
#   - starts munged, slurmdbd, slurmctld and slurmd without systemd, each only if it is not running.
# Idempotent: a second run changes nothing and starts nothing. What it started is recorded in
# /run/jobmon-slurm/started, and scripts/slurm/down.sh stops exactly those daemons.
#
# Needs MariaDB on 127.0.0.1:3306 with root and an empty password (scripts/mariadb-up.sh).
# Environment: SLURM_CPUS (CPUs the node offers, default 2 × cores: jobs are mostly idle workers).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
STATE_DIR=/run/jobmon-slurm
STARTED="$STATE_DIR/started"

log() { printf '[slurm-up] %s\n' "$*"; }
die() { printf '[slurm-up] %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (it installs packages and starts slurmctld/slurmd)"

# --- packages ---------------------------------------------------------------------------------------
need=()
for bin in /usr/sbin/slurmctld:slurmctld /usr/sbin/slurmd:slurmd /usr/sbin/slurmdbd:slurmdbd \
  /usr/bin/sbatch:slurm-client /usr/sbin/munged:munge /usr/bin/mysql:mariadb-client; do
  [ -x "${bin%%:*}" ] || need+=("${bin##*:}")
done
if [ "${#need[@]}" -gt 0 ]; then
  log "installing ${need[*]} slurm-wlm"
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  # policy-rc.d: no service start attempts from the packages' scripts (there is no systemd here).
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
    slurm-wlm "${need[@]}" >/dev/null
fi

# --- configuration ----------------------------------------------------------------------------------
node="$(hostname -s)"
cores="$(nproc)"
cpus="${SLURM_CPUS:-$((cores * 2))}"
mem_total_mb=$(($(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024))
# Leave 1 GiB (at most a quarter) to the system and the daemons.
reserve=$((mem_total_mb / 4 < 1024 ? mem_total_mb / 4 : 1024))
real_memory=$((mem_total_mb - reserve))

if [ -w /sys/fs/cgroup/memory ] && [ -d /sys/fs/cgroup/freezer ]; then
  task_plugin=task/cgroup
  proctrack=proctrack/cgroup
  gather=jobacct_gather/cgroup
else
  log "no writable cgroup v1 memory controller: Slurm will not enforce memory (jobmon-worker does)"
  task_plugin=task/none
  proctrack=proctrack/linuxproc
  gather=jobacct_gather/linux
fi

render() {
  sed -e "s|@NODE@|$node|g" -e "s|@CPUS@|$cpus|g" -e "s|@REAL_MEMORY@|$real_memory|g" \
    -e "s|@TASK_PLUGIN@|$task_plugin|g" -e "s|@PROCTRACK@|$proctrack|g" -e "s|@JOBACCT_GATHER@|$gather|g" \
    "$here/$1"
}

# Writes a file only when its content changes; prints "changed" when it did.
install_file() {
  local dest="$1" mode="$2" tmp
  tmp="$(mktemp)"
  cat >"$tmp"
  if [ -f "$dest" ] && cmp -s "$tmp" "$dest"; then
    rm -f "$tmp"
    return 1
  fi
  install -m "$mode" "$tmp" "$dest"
  rm -f "$tmp"
  log "wrote $dest"
  return 0
}

mkdir -p /etc/slurm /var/lib/slurm/slurmctld /var/lib/slurm/slurmd /var/log/slurm /run/slurm "$STATE_DIR"
config_changed=0
render slurm.conf.in | install_file /etc/slurm/slurm.conf 644 && config_changed=1
render cgroup.conf.in | install_file /etc/slurm/cgroup.conf 644 && config_changed=1
# slurmdbd refuses a configuration file that others can read (it holds the database password).
render slurmdbd.conf.in | install_file /etc/slurm/slurmdbd.conf 600 || true

# --- daemons ----------------------------------------------------------------------------------------
# Whether a daemon runs: by its pid file, and the pid's command name.
running() {
  local pidfile="$1" name="$2" pid
  [ -f "$pidfile" ] || return 1
  pid="$(cat "$pidfile" 2>/dev/null)"
  [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$name" ]
}

started() { grep -qx "$1" "$STARTED" 2>/dev/null || echo "$1" >>"$STARTED"; }

wait_for() {
  local what="$1"
  shift
  for _ in $(seq 1 120); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  die "$what did not come up (see /var/log/slurm/ and /var/log/munge/)"
}

# munge: as user munge, with its own key (created by the package; made here if missing).
mkdir -p /run/munge /var/log/munge /var/lib/munge
chown munge:munge /run/munge /var/log/munge /var/lib/munge
if [ ! -s /etc/munge/munge.key ]; then
  mungekey --create --keyfile=/etc/munge/munge.key
  chown munge:munge /etc/munge/munge.key
  chmod 400 /etc/munge/munge.key
fi
if running /run/munge/munged.pid munged; then
  log "munged runs"
else
  runuser -u munge -- /usr/sbin/munged
  started munged
  wait_for munged sh -c 'munge -n | unmunge'
  log "started munged"
fi

# slurmdbd: its own database and user on the local MariaDB.
mysql --protocol=tcp -h 127.0.0.1 -P 3306 -uroot <<'SQL'
CREATE DATABASE IF NOT EXISTS slurm_acct_db;
CREATE USER IF NOT EXISTS 'slurm'@'127.0.0.1' IDENTIFIED BY 'slurm';
CREATE USER IF NOT EXISTS 'slurm'@'localhost' IDENTIFIED BY 'slurm';
GRANT ALL ON slurm_acct_db.* TO 'slurm'@'127.0.0.1';
GRANT ALL ON slurm_acct_db.* TO 'slurm'@'localhost';
SQL
if running /run/slurm/slurmdbd.pid slurmdbd; then
  log "slurmdbd runs"
else
  /usr/sbin/slurmdbd
  started slurmdbd
  wait_for slurmdbd sacctmgr -n list cluster
  log "started slurmdbd"
fi
# The cluster must exist in the accounting database before slurmctld registers with it.
if ! sacctmgr -n -P list cluster format=cluster | grep -qx jobmon; then
  sacctmgr -i add cluster jobmon >/dev/null
  log "added cluster jobmon to the accounting database"
fi

if running /run/slurm/slurmctld.pid slurmctld; then
  log "slurmctld runs"
  if [ "$config_changed" = 1 ]; then
    scontrol reconfigure
    log "slurmctld reconfigured"
  fi
else
  /usr/sbin/slurmctld
  started slurmctld
  wait_for slurmctld scontrol ping
  log "started slurmctld"
fi

if running /run/slurm/slurmd.pid slurmd; then
  log "slurmd runs"
else
  /usr/sbin/slurmd
  started slurmd
  log "started slurmd"
fi

# The node answers and takes jobs (a node left DOWN by an earlier unclean stop is resumed).
node_state() { sinfo -h -N -n "$node" -o '%T' | head -1; }
wait_for "node $node" sh -c "sinfo -h -N -n '$node' -o '%T' | grep -qvE '^(unknown|not_responding)'"
case "$(node_state)" in
  down* | drain* | fail*)
    scontrol update nodename="$node" state=resume
    log "resumed node $node"
    ;;
esac
wait_for "node $node idle" sh -c "sinfo -h -N -n '$node' -o '%T' | grep -qE '^(idle|mixed|allocated)'"
sinfo
log "Slurm is up"
