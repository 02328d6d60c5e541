# shellcheck shell=bash
# Sourced by bin/rr-tcp, bin/rr-tcp-test and .ci/run: finds a JDK >= 21 and the tools rr-tcp needs.
# The machine's default `java` may be older (17 here), so PATH is not trusted: JAVA_HOME first, then /usr/lib/jvm/*.

RRTCP_MIN_JAVA=21

# Prints the major version of the java binary given (8 for 1.8.x), or nothing if it does not run.
rrtcp_java_major() {
  local out
  out=$("$1" -version 2>&1 | head -n 1) || return 1
  out=${out#*\"}; out=${out%%\"*}
  case "$out" in
    1.*) out=${out#1.}; echo "${out%%.*}" ;;
    *) echo "${out%%[.+-]*}" ;;
  esac
}

# Sets JAVA_HOME and JAVA to a JDK >= 21 (a javac beside java), preferring JAVA_HOME, then the newest under /usr/lib/jvm.
rrtcp_find_jdk() {
  local candidates=() dir major best="" best_major=0
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for dir in /usr/lib/jvm/*; do [ -d "$dir" ] && candidates+=("$dir"); done
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(rrtcp_java_major "$JAVA_HOME/bin/java")
    if [ -n "$major" ] && [ "$major" -ge "$RRTCP_MIN_JAVA" ]; then
      JAVA="$JAVA_HOME/bin/java"; export JAVA_HOME JAVA; return 0
    fi
  fi
  for dir in "${candidates[@]}"; do
    [ -x "$dir/bin/java" ] && [ -x "$dir/bin/javac" ] || continue
    major=$(rrtcp_java_major "$dir/bin/java") || continue
    [ -n "$major" ] || continue
    if [ "$major" -ge "$RRTCP_MIN_JAVA" ] && [ "$major" -gt "$best_major" ]; then
      best=$dir; best_major=$major
    fi
  done
  if [ -z "$best" ]; then
    echo "rr-tcp: no JDK >= $RRTCP_MIN_JAVA found (looked at JAVA_HOME=${JAVA_HOME:-unset} and /usr/lib/jvm/*)." >&2
    echo "rr-tcp: install one, e.g. 'apt-get install openjdk-21-jdk-headless', or point JAVA_HOME at it." >&2
    return 1
  fi
  JAVA_HOME=$(cd "$best" && pwd -P); JAVA="$JAVA_HOME/bin/java"
  export JAVA_HOME JAVA
}

# Installs a Debian package when a command is missing: automatically as root with apt-get, else explains how.
rrtcp_require() {
  local cmd=$1 pkg=$2
  command -v "$cmd" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "rr-tcp: '$cmd' not found; installing package $pkg with apt-get (running as root)..." >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg"; } >/dev/null 2>&1 || true
    command -v "$cmd" >/dev/null 2>&1 && { echo "rr-tcp: installed $pkg." >&2; return 0; }
    echo "rr-tcp: installing $pkg failed; install it by hand: apt-get install $pkg" >&2
    return 1
  fi
  echo "rr-tcp: '$cmd' not found; install it with: sudo apt-get install $pkg" >&2
  return 1
}

# Maven's own libraries warn about sun.misc.Unsafe on JDK 23+; the flag that quiets them is unknown before 23.
rrtcp_maven_opts() {
  local major
  major=$(rrtcp_java_major "$JAVA")
  if [ "${major:-0}" -ge 23 ]; then
    case "${MAVEN_OPTS:-}" in *sun-misc-unsafe-memory-access*) ;; *) MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;; esac
    export MAVEN_OPTS
  fi
}
