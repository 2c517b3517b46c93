#!/usr/bin/env bash
# A private one-node Slurm cluster for tests and local runs (see README.md beside this file).
#
#   cluster.sh start <state-dir>   start munged, slurmctld and slurmd; wait until the node is idle;
#                                  print the environment to use (SLURM_CONF=…) on stdout
#   cluster.sh stop <state-dir>    cancel the cluster's jobs, stop exactly the daemons start began
#                                  (their pid files), remove everything but <state-dir>/log
#   cluster.sh env <state-dir>     print the environment of a running cluster
#   cluster.sh status <state-dir>  exit 0 when the cluster runs and its node answers, 1 otherwise
#
# Everything lives in <state-dir>: its own slurm.conf (free ports, its own ClusterName), spool, pid
# and log files, and its own munged (own key and socket), so clusters never clash with each other or
# with a system Slurm. start and stop are idempotent. Progress and errors go to stderr.
set -euo pipefail

die() {
  echo "cluster.sh: $*" >&2
  exit 1
}
say() { echo "cluster.sh: $*" >&2; }

usage() {
  echo "usage: cluster.sh start|stop|env|status <state-dir>" >&2
  exit 2
}

[ $# -eq 2 ] || usage
cmd=$1
case "$cmd" in start | stop | env | status) ;; *) usage ;; esac
[ -n "$2" ] || usage
STATE=$(realpath -m -- "$2")
# Unix socket paths (munge's, slurmd's per-step sockets in the spool) are limited to 107 bytes.
[ ${#STATE} -le 70 ] || die "state dir path too long (${#STATE} > 70 characters; sockets live there): $STATE"
[[ "$STATE" =~ ^[A-Za-z0-9_./+-]+$ ]] || die "state dir path has characters slurm.conf cannot hold: $STATE"

CONF=$STATE/etc/slurm.conf
RUN=$STATE/run
LOG=$STATE/log
MUNGE_DIR=$STATE/munge
MUNGE_SOCKET=$MUNGE_DIR/munge.socket
NODE=$(uname -n)
NODE=${NODE%%.*}

# ---- processes -------------------------------------------------------------------------------

# alive PID: the process exists and is not a zombie (pid 1 of a container may never reap them).
alive() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [ "${stat%% *}" != Z ]
}

# ours NAME: prints the pid recorded in $RUN/NAME.pid when that process is alive and its command
# line names this cluster's files (so a reused pid is never mistaken for ours).
ours() {
  local pid
  pid=$(cat "$RUN/$1.pid" 2>/dev/null) || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  alive "$pid" || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$STATE/" || return 1
  echo "$pid"
}

# stop_pid NAME: SIGTERM the daemon NAME if it is ours, wait up to 10 s, then SIGKILL.
stop_pid() {
  local pid i
  pid=$(ours "$1") || {
    rm -f "$RUN/$1.pid"
    return 0
  }
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 100); do
    alive "$pid" || break
    sleep 0.1
  done
  if alive "$pid"; then
    say "$1 (pid $pid) ignored SIGTERM for 10 s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$RUN/$1.pid"
}

# Job steps (slurmstepd and the jobs under it) that this cluster's slurmd launched: they inherit
# its environment, so SLURM_CONF names this cluster's configuration.
our_steps() {
  local d p
  for d in /proc/[0-9]*; do
    p=${d#/proc/}
    [ "$(cat "$d/comm" 2>/dev/null)" = slurmstepd ] && alive "$p" &&
      tr '\0' '\n' <"$d/environ" 2>/dev/null | grep -qxF "SLURM_CONF=$CONF" && echo "$p"
  done
  return 0
}

# with_descendants PID…: the PIDs and every process below them.
with_descendants() {
  local out=" $* " d stat ppid grew=1
  while [ $grew = 1 ]; do
    grew=0
    for d in /proc/[0-9]*; do
      stat=$(cat "$d/stat" 2>/dev/null) || continue
      stat=${stat##*) }
      ppid=$(echo "$stat" | cut -d' ' -f2)
      if [[ "$out" == *" $ppid "* && "$out" != *" ${d#/proc/} "* ]]; then
        out="$out${d#/proc/} "
        grew=1
      fi
    done
  done
  echo $out
}

# ---- configuration ---------------------------------------------------------------------------

port_free() {
  if command -v ss >/dev/null; then
    ! ss -Hltnu "( sport = :$1 )" | grep -q .
  else
    ! (: <"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

# free_port [EXCEPT]: a random TCP port in 20000–59999 nothing listens on.
free_port() {
  local p i
  for i in $(seq 200); do
    p=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
    [ "$p" != "${1:-}" ] && port_free "$p" && {
      echo "$p"
      return 0
    }
  done
  die "no free TCP port found in 20000–59999"
}

write_conf() {
  local ctld_port slurmd_port name
  ctld_port=$(free_port)
  slurmd_port=$(free_port "$ctld_port")
  name=c$(echo -n "$STATE" | md5sum | cut -c1-8)
  mkdir -p "$STATE/etc"
  cat >"$CONF.tmp" <<EOF
# Written by tools/slurm/cluster.sh for $STATE: a private one-node cluster.
ClusterName=$name
SlurmctldHost=$NODE(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$MUNGE_SOCKET
StateSaveLocation=$STATE/spool/ctld
SlurmdSpoolDir=$STATE/spool/d
SlurmctldPidFile=$RUN/slurmctld.pid
SlurmdPidFile=$RUN/slurmd.pid
SlurmctldLogFile=$LOG/slurmctld.log
SlurmdLogFile=$LOG/slurmd.log
# no systemd, no cgroups: track processes through /proc, bind nothing
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
# no slurmdbd: sacct is unavailable; squeue and scontrol know jobs for MinJobAge seconds after they end
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MinJobAge=600
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
MpiDefault=none
SwitchType=switch/none
ReturnToService=2
KillWait=5
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=debug Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF
  mv "$CONF.tmp" "$CONF"
}

# ---- munge -----------------------------------------------------------------------------------

munge_works() { munge -S "$1" -n 2>/dev/null | unmunge -S "$1" >/dev/null 2>&1; }

start_munge() {
  local i
  if ours munged >/dev/null && munge_works "$MUNGE_SOCKET"; then return 0; fi
  stop_pid munged
  rm -rf "$MUNGE_DIR"
  mkdir -p "$MUNGE_DIR"
  # munged wants its socket's folder searchable by all and its key readable by its user only
  chmod 755 "$STATE" "$MUNGE_DIR"
  head -c 1024 /dev/urandom >"$MUNGE_DIR/munge.key"
  chmod 400 "$MUNGE_DIR/munge.key"
  # --force: run despite loose permissions above the state dir (a private cluster's key)
  munged --force -S "$MUNGE_SOCKET" --key-file="$MUNGE_DIR/munge.key" --pid-file="$RUN/munged.pid" \
    --log-file="$LOG/munged.log" --seed-file="$MUNGE_DIR/munged.seed" 2>>"$LOG/munged.log" ||
    die "munged failed to start; $LOG/munged.log ends:$(echo; tail -n 5 "$LOG/munged.log" 2>/dev/null)"
  for i in $(seq 50); do
    munge_works "$MUNGE_SOCKET" && return 0
    sleep 0.1
  done
  die "munged does not answer on $MUNGE_SOCKET; $LOG/munged.log ends:$(echo; tail -n 5 "$LOG/munged.log")"
}

# ---- commands --------------------------------------------------------------------------------

node_state() { SLURM_CONF=$CONF timeout 10 sinfo -h -N -n "$NODE" -o %t 2>/dev/null | head -n 1; }

running() {
  [ -f "$CONF" ] && ours munged >/dev/null && ours slurmctld >/dev/null && ours slurmd >/dev/null &&
    [[ "$(node_state)" =~ ^(idle|mix|alloc|comp)$ ]]
}

print_env() { echo "SLURM_CONF=$CONF"; }

stop_cluster() {
  local i left
  if [ -f "$CONF" ] && ours slurmctld >/dev/null; then
    # cancel every job of this cluster and give the steps a moment to end (KillWait=5)
    local jobs
    jobs=$(SLURM_CONF=$CONF timeout 10 squeue -h -o %A 2>/dev/null | sort -u || true)
    # shellcheck disable=SC2086
    [ -z "$jobs" ] || SLURM_CONF=$CONF timeout 10 scancel --quiet $jobs 2>/dev/null || true
    for i in $(seq 80); do
      [ -z "$(our_steps)" ] && break
      sleep 0.1
    done
  fi
  stop_pid slurmd
  stop_pid slurmctld
  left=$(our_steps)
  if [ -n "$left" ]; then
    # shellcheck disable=SC2086
    left=$(with_descendants $left)
    say "killing job steps left behind and their processes:" $left
    # shellcheck disable=SC2086
    kill -KILL $left 2>/dev/null || true
  fi
  stop_pid munged
  rm -rf "$STATE/etc" "$STATE/spool" "$RUN" "$MUNGE_DIR"
}

start_cluster() {
  local i st
  command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v munged >/dev/null ||
    die "slurmctld, slurmd and munged are needed (Debian/Ubuntu: apt-get install slurm-wlm munge)"
  [ "$(id -u)" = 0 ] || die "must run as root (slurmd launches jobs as their submitting user)"
  if running; then
    say "already running ($CONF)"
    print_env
    return 0
  fi
  # half-started or stale: stop what is left of ours, then start afresh
  stop_cluster
  mkdir -p "$STATE" "$RUN" "$LOG" "$STATE/spool/ctld" "$STATE/spool/d"
  start_munge
  write_conf
  # The daemons get SLURM_CONF in their environment (job steps inherit it: stop finds them by it)
  # and -f on their command line (ours() recognizes them by it).
  SLURM_CONF=$CONF slurmctld -f "$CONF" 2>>"$LOG/slurmctld.log" ||
    die "slurmctld failed to start; $LOG/slurmctld.log ends:$(echo; tail -n 5 "$LOG/slurmctld.log")"
  SLURM_CONF=$CONF slurmd -f "$CONF" -N "$NODE" 2>>"$LOG/slurmd.log" ||
    die "slurmd failed to start; $LOG/slurmd.log ends:$(echo; tail -n 5 "$LOG/slurmd.log")"
  st=
  for i in $(seq 150); do
    st=$(node_state || true)
    [ "$st" = idle ] && break
    sleep 0.2
  done
  if [ "$st" != idle ]; then
    say "node $NODE is not idle after 30 s (state: '${st:-no answer}'); logs:"
    tail -n 5 "$LOG/slurmctld.log" "$LOG/slurmd.log" >&2 || true
    stop_cluster
    exit 1
  fi
  say "cluster $(sed -n 's/^ClusterName=//p' "$CONF") up: node $NODE idle, $(nproc) CPUs, state in $STATE"
  print_env
}

case "$cmd" in
start) start_cluster ;;
stop)
  [ -d "$STATE" ] || exit 0
  stop_cluster
  say "stopped; logs kept in $LOG"
  ;;
env)
  running || die "no cluster runs in $STATE (cluster.sh start $STATE)"
  print_env
  ;;
status) running ;;
esac
