#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, from Debian's packages and
# without systemd, so that the README's job-array script can be run for
# real (by tests/integration/engines.rs in CI, or by a person trying it).
#
#   sudo tests/engines/slurm-up.sh          # install if missing, start, wait until idle
#   sudo tests/engines/slurm-up.sh stop     # stop what start started
#
# Needs root (apt-get, the daemons, /etc/slurm). The node is this host as
# `slurmd -C` detects it (CPUs, memory), in one partition `synapse`. Process
# tracking by /proc (proctrack/linuxproc) and no task plugin, because the
# cgroup plugins need systemd or a writable cgroup tree, which containers
# and CI machines often lack. A slurm.conf that this script did not write is
# never overwritten: a machine that is already part of a cluster keeps it;
# `stop` removes the one that `start` wrote.
set -euo pipefail

marker="# Written by synapse's tests/engines/slurm-up.sh"
conf=/etc/slurm/slurm.conf
state=/run/synapse-slurm
spool=/var/spool/synapse-slurm

die() {
  echo "slurm-up.sh: $*" >&2
  exit 2
}

# The pid in FILE, if that process is alive.
alive() {
  local pid
  [[ -r $1 ]] && pid=$(<"$1") && [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null
}

stop() {
  # Only the daemons whose pid files this script chose, and munged only if
  # this script started it (another service may be using it).
  local name
  for name in slurmd slurmctld; do
    if alive "$state/$name.pid"; then
      kill "$(<"$state/$name.pid")"
    fi
  done
  if [[ -e $state/munged-ours ]] && alive /run/munge/munged.pid; then
    kill "$(<"/run/munge/munged.pid")"
    rm -f "$state/munged-ours"
  fi
  # slurmctld saves its state on the way out: wait so that a start right
  # after does not find the port still taken.
  local i
  for i in $(seq 50); do
    alive "$state/slurmd.pid" || alive "$state/slurmctld.pid" || break
    sleep 0.2
  done
  # Without the configuration, build.rs marks the Slurm test ignored again
  # instead of letting it fail against a cluster that is not there.
  if [[ -e $conf ]] && grep -qxF "$marker" "$conf"; then
    rm -f "$conf"
  fi
  echo "slurm-up.sh: stopped"
}

install() {
  local missing=()
  command -v slurmctld >/dev/null || missing+=(slurm-wlm)
  command -v munged >/dev/null || missing+=(munge)
  if ((${#missing[@]})); then
    echo "slurm-up.sh: installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

write_conf() {
  if [[ -e $conf ]] && ! grep -qxF "$marker" "$conf"; then
    die "$conf exists and was not written by this script; not touching it (move it away to use the local cluster)"
  fi
  local host node
  host=$(hostname -s)
  # `slurmd -C` prints this node as Slurm detects it: NodeName, CPUs, the
  # sockets/cores/threads, RealMemory. Declaring more than is there would
  # leave the node drained ("Low RealMemory").
  node=$(slurmd -C | head -n 1)
  [[ $node == NodeName=* ]] || die "slurmd -C printed no node line: $node"
  mkdir -p /etc/slurm "$spool/ctld" "$spool/d" /var/log/slurm
  local new
  new=$(
    cat <<EOF
$marker
# A one-node cluster on $host; rewritten at each start.
ClusterName=synapse
SlurmctldHost=$host
SlurmUser=root
AuthType=auth/munge
StateSaveLocation=$spool/ctld
SlurmdSpoolDir=$spool/d
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=/var/log/slurm/synapse-slurmctld.log
SlurmdLogFile=/var/log/slurm/synapse-slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
ReturnToService=2
SlurmdTimeout=60
$node State=UNKNOWN
PartitionName=synapse Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
  )
  # Rewritten only when it changes: build.rs watches /etc/slurm, and cargo
  # would rebuild the tests for nothing.
  if [[ ! -e $conf ]] || [[ $(<"$conf") != "$new" ]]; then
    printf '%s\n' "$new" >"$conf"
  fi
}

start_munge() {
  if alive /run/munge/munged.pid; then
    return
  fi
  mkdir -p /run/munge /var/log/munge /var/lib/munge "$state"
  chown munge:munge /run/munge /var/log/munge /var/lib/munge
  chmod 0755 /run/munge
  if [[ ! -s /etc/munge/munge.key ]]; then
    mungekey --create --keyfile=/etc/munge/munge.key
    chown munge:munge /etc/munge/munge.key
    chmod 0400 /etc/munge/munge.key
  fi
  # munged refuses to run as root; it forks into the background itself.
  runuser -u munge -- /usr/sbin/munged
  touch "$state/munged-ours"
}

start() {
  install
  mkdir -p "$state"
  if alive "$state/slurmctld.pid" && alive "$state/slurmd.pid"; then
    echo "slurm-up.sh: already running"
  else
    write_conf
    start_munge
    # -c: a clean start, forgetting the jobs and node states of an earlier
    # cluster; each forks into the background and writes its pid file.
    alive "$state/slurmctld.pid" || slurmctld -c
    alive "$state/slurmd.pid" || slurmd
  fi
  local i
  for i in $(seq 150); do
    if [[ $(sinfo --noheader --format=%t 2>/dev/null) == idle ]]; then
      sinfo
      return
    fi
    sleep 0.2
  done
  sinfo >&2 || true
  tail -n 20 /var/log/slurm/synapse-slurmctld.log /var/log/slurm/synapse-slurmd.log >&2 || true
  die "the node did not become idle within 30 seconds (logs above)"
}

[[ $(id -u) == 0 ]] || die "needs root (apt-get, the daemons, /etc/slurm): sudo $0 ${1:-}"
case "${1:-start}" in
start) start ;;
stop) stop ;;
*) die "unknown command '$1': start (the default) or stop" ;;
esac
