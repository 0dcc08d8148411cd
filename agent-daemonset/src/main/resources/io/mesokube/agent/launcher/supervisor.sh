#!/bin/sh
# Mesokube task supervisor: one per task, like Mesos' command executor. It starts the task,
# outlives the agent (which may be stopped, killed, restarted or upgraded meanwhile) and records
# how the task ended, so that a restarted agent still reports the real exit status.
#
# A JVM per task would cost too much memory and start too slowly; this is POSIX sh (dash on
# Debian). TaskLauncher extracts it to the agent's state dir and starts it as
#
#   setsid sh supervisor.sh -r RUN_DIR -s SANDBOX [-u UID -g GID [-i] [-P]] [-S SUPERVISOR_PROCS]...
#                           [-c TASK_PROCS]... -- PROGRAM [ARG]...
#
# -P runs PROGRAM as root (an OCI runtime, which starts the task as UID:GID in its container); the
# user then only owns the sandbox logs.
#
# with stdin /dev/null, stderr appended to RUN_DIR/supervisor.log, stdout a pipe to the agent,
# and an environment of its own (PATH, LC_ALL); the task's environment is in RUN_DIR/task.env.
#
# Files in RUN_DIR (supervisor, task.pid and exit are replaced atomically: NAME.tmp, then mv):
#   supervisor   "PID STARTTIME BOOT_ID" of this shell (STARTTIME: field 22 of /proc/PID/stat),
#                written before the task is started, so a task never runs without it.
#   task.pid     the task's pid.
#   exit         one line "KIND CODE", fsynced: "exited N" (exit status N), "signaled N" (killed
#                by signal N; sh's $? was 128+N), or "failed 125" (the task could not be started:
#                see launch-error and supervisor.log).
#   launch-error why the task could not be started, if it could not.
#   supervisor.log  this script's messages.
# The agent reads "SUPERVISOR_PID TASK_PID" from stdout once the task is in its cgroups, just
# before its exec. Without that line (EOF), the task never ran.

# No pathname expansion anywhere: paths come from the agent, never patterns.
set -f

run= sandbox= uid= gid= groups=--clear-groups supervisor_procs= task_procs= as_root=
while getopts r:s:u:g:iPS:c: opt; do
  case $opt in
    r) run=$OPTARG ;;
    s) sandbox=$OPTARG ;;
    u) uid=$OPTARG ;;
    g) gid=$OPTARG ;;
    i) groups=--init-groups ;;
    P) as_root=1 ;;
    # Newline-separated, as -c.
    S) supervisor_procs="$supervisor_procs$OPTARG
" ;;
    # Newline-separated; the agent refuses paths with a newline.
    c) task_procs="$task_procs$OPTARG
" ;;
    *) echo "supervisor: usage: see the head of $0" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
if [ -z "$run" ] || [ -z "$sandbox" ] || [ $# -eq 0 ]; then
  echo "supervisor: -r RUN_DIR, -s SANDBOX and a program are required" >&2
  exit 2
fi

log() {
  echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) supervisor[$$]: $*" >&2
}

# Replaces FILE atomically with the remaining arguments (one line).
put() {
  file=$1
  shift
  echo "$*" > "$file.tmp" && mv -f "$file.tmp" "$file"
}

# Sets word to word N of the remaining arguments.
nth() {
  shift "$1"
  word=$1
}

# Outside the task's cgroup the kernel's memory-cgroup OOM killer never picks the supervisor; and
# out of every cgroup of the agent's own (a pod's, which the kubelet and the OCI runtime empty when
# the pod goes), the supervisor and the task it forks outlive the agent.
IFS='
'
for procs in $supervisor_procs; do
  echo 0 > "$procs" || { log "cannot join $procs"; exit 1; }
done
unset IFS

# Our identity, so that a restarted agent can tell this shell from a process that reused its pid.
# /proc/PID/stat: "PID (COMM) STATE ..." and COMM may hold spaces; starttime is the 20th word
# after the last ")".
read -r stat < /proc/$$/stat
read -r boot < /proc/sys/kernel/random/boot_id
nth 20 ${stat##*) }
put "$run/supervisor" "$$" "$word" "$boot" || exit 1

if [ -n "$uid" ]; then
  # setpriv (util-linux) calls setgroups/setresgid/setresuid and execs, nothing else: the task
  # keeps the pid the supervisor waits on (and its exit status), its environment is left alone,
  # no PAM session is opened. su and runuser fork and wait to close their PAM session (the task
  # would not be our child), pam_systemd may move it to another cgroup, and they rewrite the
  # environment; sudo needs a policy; chroot --userspec looks groups up only by name.
  setpriv=$(command -v setpriv) || { log "setpriv (util-linux) not found"; exit 1; }
fi

(
  # The agent may be gone when the pids are reported; the task gets SIGPIPE back (env).
  trap '' PIPE
  fail() {
    log "task not started: $*"
    echo "$*" > "$run/launch-error"
    exit 125
  }
  # This subshell becomes the task (exec keeps the pid); /proc/self is this process, $$ is not.
  read -r stat < /proc/self/stat
  pid=${stat%% *}
  put "$run/task.pid" "$pid" || fail "cannot record the task's pid"
  # "0" moves the writer, this subshell.
  IFS='
'
  for procs in $task_procs; do
    echo 0 > "$procs" || fail "cannot join task cgroup $procs"
  done
  # The logs are opened as the task's user, never as root: the sandbox is the user's, and a link
  # planted there must not make root open (or create) a file elsewhere.
  if [ -n "$uid" ]; then
    # No capability left to regain (an empty bounding set), and no_new_privs: a setuid or
    # file-capability program the task runs gains nothing (as allowPrivilegeEscalation: false).
    as_user() {
      "$setpriv" --reuid="$uid" --regid="$gid" "$groups" --inh-caps=-all --bounding-set=-all \
        --no-new-privs -- "$@"
    }
  else
    as_user() { "$@"; }
  fi
  as_user /bin/sh -c 'true >> "$1/stdout" && true >> "$1/stderr"' sh "$sandbox" \
    || fail "cannot open the sandbox logs"
  [ -r "$run/task.env" ] || fail "no $run/task.env"
  # task.env is "set -- 'NAME=value'... "$@"", single-quoted by the agent. It holds the task's
  # secrets, so it leaves the disk once read.
  . "$run/task.env"
  rm -f "$run/task.env"
  # The program, looked up as execvp(3) will in the task (a name with a slash relative to the
  # sandbox, a bare name along the task's PATH, glibc's /bin:/usr/bin without one), so that a typo
  # is a clear launch error rather than exit 127. Here, not in the agent: this shell runs in the
  # task's mount namespace, which need not be the agent's (nsenter), and an absolute link there
  # resolves only there. As root: a program the user may not run is found, and exec's 126 says why.
  path=/bin:/usr/bin shown='(unset)'
  for arg; do
    case $arg in
      PATH=*) path=${arg#PATH=} shown=$path ;;
      *=*) ;;
      # The first word without a '=' is the program: the agent refuses a program name with one.
      *) program=$arg; break ;;
    esac
  done
  if ! (
    cd "$sandbox" || exit 1
    case $program in
      */*) [ -f "$program" ] && [ -x "$program" ]; exit ;;
    esac
    # Entry by entry: field splitting would drop a trailing empty one, and an empty one is the cwd.
    rest=$path
    while :; do
      dir=${rest%%:*}
      [ -f "${dir:-.}/$program" ] && [ -x "${dir:-.}/$program" ] && exit 0
      [ "$rest" != "${rest#*:}" ] || exit 1
      rest=${rest#*:}
    done
  ); then
    case $program in
      */*) fail "program '$program' not found or not executable (relative to $sandbox)" ;;
      *) fail "program '$program' not found or not executable on PATH $shown" ;;
    esac
  fi
  # env -i: exactly the caller's environment (sh would add PWD and drop names it cannot hold).
  # --default-signal: sh started this subshell with SIGINT and SIGQUIT ignored (POSIX, for "&").
  # -C: the task's cwd, entered as the task's user.
  set -- env -i --default-signal -C "$sandbox" "$@"
  # Appending (O_APPEND) lets log rotation truncate the files under a running task; a shell of the
  # task's user opens them and execs env in place.
  if [ -n "$as_root" ]; then
    # Root opens the logs. The agent left the sandbox directory root's (the logs are the user's),
    # so no process of the user can have put anything in their place; root gives the directory
    # to the user only once they are open. The check of what was opened is a second guard.
    real=$(readlink -f "$sandbox") || fail "cannot resolve the sandbox $sandbox"
    set -- /bin/sh -c '
      exec 4>> "$0/stdout" 5>> "$0/stderr" || exit 125
      if [ "$(readlink /proc/self/fd/4)" != "$0/stdout" ] || [ "$(readlink /proc/self/fd/5)" != "$0/stderr" ] \
        || [ ! -f /proc/self/fd/4 ] || [ ! -f /proc/self/fd/5 ]; then
        echo "the sandbox logs of $0 are not its own regular files" > "$1/launch-error"
        exit 125
      fi
      chown -h "$2" "$0" || { echo "cannot give the sandbox $0 to $2" > "$1/launch-error"; exit 125; }
      shift 2
      exec "$@" 1>&4 2>&5 4>&- 5>&-' "$real" "$run" "$uid:$gid" "$@"
  else
    set -- /bin/sh -c 'exec "$@" >> "$0/stdout" 2>> "$0/stderr"' "$sandbox" "$@"
  fi
  if [ -n "$uid" ] && [ -z "$as_root" ]; then
    # env runs as the user already: setpriv execs with root's capabilities still in effect (the
    # kernel drops them during that exec), which would let the user run a program only root may.
    # The inheritable set goes too, so that no capability reaches the task, and as_user's empty
    # bounding set and no_new_privs keep it from gaining one by exec.
    set -- "$setpriv" --reuid="$uid" --regid="$gid" "$groups" --inh-caps=-all --bounding-set=-all \
      --no-new-privs -- "$@"
  fi
  # Reported only now that the task is in its cgroups: from here on, killing them reaches it.
  echo "$$ $pid"
  exec "$@"
) &
task=$!
# Only the task reports to the agent.
exec >&2
# From here on, a hang-up or a service manager's SIGTERM must not take the supervisor down with
# the agent (setsid already keeps signals to the agent's process group away). Only after the
# fork: the task must not start with them ignored, not even in the instant before its exec.
trap '' HUP INT TERM
log "task forked, pid $task"
# A host-wide OOM should kill tasks, not the few kilobytes that remember their status.
echo -1000 > /proc/$$/oom_score_adj 2> /dev/null || :

wait "$task"
code=$?
# sh folds "killed by signal N" into 128+N; dash's jobs still tells the two apart
# ("Done(137)" against "Killed"). A shell that forgot the job leaves the status as sh saw it.
jobs -l > "$run/job"
read -r job < "$run/job" || job=
rm -f "$run/job"
state=
set -- $job
while [ $# -gt 1 ]; do
  if [ "$1" = "$task" ]; then
    state=$2
    break
  fi
  shift
done
if [ -e "$run/launch-error" ]; then
  kind=failed
elif [ "$code" -gt 128 ] && [ -n "$state" ] && [ "${state#Done}" = "$state" ]; then
  kind=signaled
  code=$((code - 128))
else
  kind=exited
fi

# fsync before the rename, and the directory after it: once the agent may have seen "exit", a
# host crash must not take it back.
echo "$kind $code" > "$run/exit.tmp" && sync "$run/exit.tmp" && mv -f "$run/exit.tmp" "$run/exit" \
  && sync "$run" || { log "cannot record the exit status '$kind $code'"; exit 1; }
log "task $kind $code"
