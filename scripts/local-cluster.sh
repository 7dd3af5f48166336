#!/usr/bin/env bash
# A Spark standalone cluster on this machine, from the runner's own jars: a Master and N Workers,
# each its own JVM, for trying `empathy nightly --master spark://...` (docs/cluster.md).
#
#   scripts/local-cluster.sh start [--workers N] [--port P] [--ui-port U] [--cores C] [--memory M] [--dir DIR]
#                                  [--spark-only]
#       prints the master URL once every Worker has registered
#   scripts/local-cluster.sh stop [--dir DIR]
#
# Defaults: 2 workers, port 7077, the master's web UI on 8080 (workers on the ports after it),
# 1 core and 2g per worker, state in target/local-cluster (logs, pids, the Spark home).
#
# A Worker starts executors from a Spark home: here a folder whose jars/ links the runner's jars
# (cli/target/lib and the runner itself, so the executors have the jobs' classes), with a
# RELEASE file and SPARK_SCALA_VERSION=2.13 so that Spark takes it for a release and not a
# source build ("Cannot find any build directories" otherwise). With --spark-only the jars/ folder
# holds only what a Spark distribution brings (the runner's jars without ours and without the
# libraries cli/target/empathy-spark.jar carries): a cluster for trying the thin jar with
# spark-submit, whose executors get our classes from the submitted jar only.
set -euo pipefail

EMPATHY_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
command="${1:-}"
[ $# -gt 0 ] && shift
workers=2
port=7077
ui_port=8080
cores=1
memory=2g
dir="$EMPATHY_HOME/target/local-cluster"
spark_only=0
while [ $# -gt 0 ]; do
  case "$1" in
    --workers) workers="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --ui-port) ui_port="$2"; shift 2 ;;
    --cores) cores="$2"; shift 2 ;;
    --memory) memory="$2"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    --spark-only) spark_only=1; shift ;;
    *) echo "local-cluster: unknown option $1" >&2; exit 2 ;;
  esac
done
case "$workers" in ''|*[!0-9]*|0) echo "local-cluster: --workers must be a whole number from 1, got $workers" >&2; exit 2 ;; esac

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# The module opens spark-submit passes on Java 17 (the same list as ./empathy).
OPENS=(
  -XX:+IgnoreUnrecognizedVMOptions
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false
  -Dio.netty.tryReflectionSetAccessible=true
)

stop_all() {
  local found=0
  for pidfile in "$dir"/pids/*.pid; do
    [ -f "$pidfile" ] || continue
    found=1
    local pid
    pid="$(cat "$pidfile")"
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
  done
  [ "$found" = 1 ] && echo "local-cluster: stopped" >&2 || echo "local-cluster: nothing was running in $dir" >&2
}

spark_home() {
  local home="$dir/spark-home"
  rm -rf "$home"
  mkdir -p "$home/jars" "$home/conf"
  for jar in "$EMPATHY_HOME"/cli/target/lib/*.jar "$EMPATHY_HOME"/cli/target/empathy-cli.jar; do
    if [ "$spark_only" = 1 ]; then
      # What the thin jar carries (the shade plug-in's includes in cli/pom.xml); commons-math3
      # stays, as Spark's own copy (ours is relocated in the thin jar).
      case "$(basename "$jar")" in
        empathy-*|picocli-*|jfreechart-*|openpdf-*|lucene-*|smile-*|commons-csv-*) continue ;;
      esac
    fi
    ln -s "$jar" "$home/jars/$(basename "$jar")"
  done
  echo "Spark (the empathy runner's jars)" >"$home/RELEASE"
  # The Master's and Workers' logs at INFO for Spark's deploy classes (executors launched,
  # finished and why, with their exit status), warnings for the rest.
  cat >"$home/conf/log4j2.properties" <<'LOG'
status = error
appender.console.type = Console
appender.console.name = stderr
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = stderr
logger.deploy.name = org.apache.spark.deploy
logger.deploy.level = info
LOG
  echo "$home"
}

# The number of alive workers on the master's JSON page (bash's /dev/tcp: no curl needed), or
# nothing while the page is not up.
alive_workers() {
  local reply
  reply="$( (exec 3<>"/dev/tcp/127.0.0.1/$ui_port" && printf 'GET /json/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3 \
      && timeout 5 cat <&3) 2>/dev/null)" || return 0
  echo "$reply" | tr -d ' \n' | sed -n 's/.*"aliveworkers":\([0-9]*\).*/\1/p'
}

case "$command" in
  start)
    if [ ! -f "$EMPATHY_HOME/cli/target/empathy-cli.jar" ] || [ ! -d "$EMPATHY_HOME/cli/target/lib" ]; then
      echo "local-cluster: building the runner first" >&2
      "$EMPATHY_HOME/empathy" --version >/dev/null
    fi
    mkdir -p "$dir/pids" "$dir/logs"
    if compgen -G "$dir/pids/*.pid" >/dev/null; then
      echo "local-cluster: a cluster is already running from $dir; stop it first" >&2
      exit 1
    fi
    home="$(spark_home)"
    export SPARK_HOME="$home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1 SPARK_NO_DAEMONIZE=1
    "$JAVA" "${OPENS[@]}" -Xmx512m -Dlog4j2.configurationFile="$home/conf/log4j2.properties" -cp "$home/jars/*" \
      org.apache.spark.deploy.master.Master \
      --host 127.0.0.1 --port "$port" --webui-port "$ui_port" >"$dir/logs/master.log" 2>&1 &
    echo $! >"$dir/pids/master.pid"
    for i in $(seq 1 "$workers"); do
      mkdir -p "$dir/work-$i"
      "$JAVA" "${OPENS[@]}" -Xmx512m -Dlog4j2.configurationFile="$home/conf/log4j2.properties" -cp "$home/jars/*" \
        org.apache.spark.deploy.worker.Worker \
        --host 127.0.0.1 --cores "$cores" --memory "$memory" --work-dir "$dir/work-$i" \
        --webui-port "$((ui_port + i))" "spark://127.0.0.1:$port" >"$dir/logs/worker-$i.log" 2>&1 &
      echo $! >"$dir/pids/worker-$i.pid"
    done
    for _ in $(seq 1 120); do
      alive="$(alive_workers)"
      if [ "${alive:-0}" -ge "$workers" ]; then
        echo "spark://127.0.0.1:$port"
        exit 0
      fi
      for pidfile in "$dir"/pids/*.pid; do
        if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
          echo "local-cluster: $(basename "$pidfile" .pid) exited; see $dir/logs/" >&2
          stop_all
          exit 1
        fi
      done
      sleep 1
    done
    echo "local-cluster: the workers did not register within 120 s; see $dir/logs/" >&2
    stop_all
    exit 1
    ;;
  stop)
    stop_all
    ;;
  *)
    echo "usage: scripts/local-cluster.sh start [--workers N] [--port P] [--ui-port U] [--cores C] [--memory M] [--dir DIR] [--spark-only]" >&2
    echo "       scripts/local-cluster.sh stop [--dir DIR]" >&2
    exit 2
    ;;
esac
