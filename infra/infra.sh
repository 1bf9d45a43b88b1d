#!/usr/bin/env bash
# Local single-node Apache Kafka (KRaft) and Apache Cassandra for Fleetline development and tests.
#
#   bash infra/infra.sh up|down|status|logs [kafka|cassandra] [-f]
#
# The server jars come from Maven Central through Maven (infra/maven/*/pom.xml, copied once into
# the state dir); both servers run as plain JVM processes bound to 127.0.0.1. See infra/README.md.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
STATE_DIR=${FLEETLINE_INFRA_DIR:-$REPO_ROOT/.infra}
# Where the fetched jars are kept (<dir>/<service>/lib-<version>); default: the state dir. A
# second instance with its own state dir (a test's broker) points here to reuse the jars.
LIB_ROOT=${FLEETLINE_INFRA_LIB_DIR:-}

# Pinned versions (the poms carry the same defaults; these are passed to Maven with -D).
KAFKA_VERSION=${KAFKA_VERSION:-4.4.0}
CASSANDRA_VERSION=${CASSANDRA_VERSION:-5.0.9}

KAFKA_PORT=${KAFKA_PORT:-9092}
KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9093}
CASSANDRA_PORT=${CASSANDRA_PORT:-9042}
CASSANDRA_STORAGE_PORT=${CASSANDRA_STORAGE_PORT:-7000}
# JMX (nodetool) listens on loopback only; set to "off" (or 0) to disable it.
CASSANDRA_JMX_PORT=${CASSANDRA_JMX_PORT:-7199}

# Either "-Xms.. -Xmx.." style flags or a single size used for both (e.g. "768m").
KAFKA_HEAP=${KAFKA_HEAP:--Xms256m -Xmx512m}
CASSANDRA_HEAP=${CASSANDRA_HEAP:--Xms1g -Xmx1g}
# Extra JVM flags, appended as-is (word-split).
KAFKA_JVM_OPTS=${KAFKA_JVM_OPTS:-}
# A file of broker properties appended to the generated server.properties (a later key wins,
# so it can replace listeners: e.g. add SSL or SASL_SSL listeners), and extra arguments to the
# storage format of a fresh state dir (word-split; e.g. --add-scram 'SCRAM-SHA-512=[name=u,password=p]').
KAFKA_EXTRA_PROPERTIES=${KAFKA_EXTRA_PROPERTIES:-}
KAFKA_FORMAT_ARGS=${KAFKA_FORMAT_ARGS:-}
CASSANDRA_JVM_OPTS=${CASSANDRA_JVM_OPTS:-}

KAFKA_START_TIMEOUT=${KAFKA_START_TIMEOUT:-120}
CASSANDRA_START_TIMEOUT=${CASSANDRA_START_TIMEOUT:-240}
INFRA_STOP_TIMEOUT=${INFRA_STOP_TIMEOUT:-60}
INFRA_LOG_LINES=${INFRA_LOG_LINES:-100}

# External services: when set, nothing is fetched or started for that service.
KAFKA_BROKERS=${KAFKA_BROKERS:-}
CASSANDRA_CONTACT_POINTS=${CASSANDRA_CONTACT_POINTS:-}

KAFKA_STARTED_LINE='Kafka Server started'
CASSANDRA_STARTED_LINE='Starting listening for CQL clients'

# ---------------------------------------------------------------------------------------------
# helpers

say() { printf 'infra: %s\n' "$*"; }
warn() { printf 'infra: %s\n' "$*" >&2; }
die() {
  printf 'infra: ERROR: %s\n' "$*" >&2
  exit 1
}

usage() {
  cat <<'EOF'
usage: infra.sh up|down|status|logs [kafka|cassandra] [-f]

  up      fetch (first time), configure and start the services, wait until healthy
  down    stop what this state dir started (SIGTERM, then SIGKILL after a deadline)
  status  one line per service; exit code 0 only if every requested service is healthy
  logs    print the last lines of a service's log (-f to follow)

No service name means both. See infra/README.md for the environment variables.
EOF
}

with_timeout() { # with_timeout SECONDS cmd...
  local secs=$1
  shift
  if command -v timeout >/dev/null 2>&1; then
    timeout "$secs" "$@"
  else
    "$@"
  fi
}

# TCP connect only.
tcp_open() { # host port
  # shellcheck disable=SC2016 # $0/$1 expand in the child shell
  with_timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null
}

# Reads the first bytes a server answers to a raw request; prints them as hex, one line.
probe_bytes() { # host port request(printf format) nbytes
  # shellcheck disable=SC2016 # $0..$3 expand in the child shell
  with_timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1" || exit 1
    printf "$2" >&3
    head -c "$3" <&3 | od -An -tx1' "$1" "$2" "$3" "$4" 2>/dev/null | tr -s ' \n' '  '
}

# A Kafka broker answers an ApiVersions v0 request (correlation id 0x2a2a). Error code 0, or
# 35 (UNSUPPORTED_VERSION, should a future broker drop v0), both mean "a Kafka broker is serving".
kafka_probe() { # host port
  local out b err
  # size=19 | api_key=18 | api_version=0 | correlation_id=0x00002a2a | client_id="fleetline"
  out=$(probe_bytes "$1" "$2" '\x00\x00\x00\x13\x00\x12\x00\x00\x00\x00\x2a\x2a\x00\x09fleetline' 10) || return 1
  read -r -a b <<<"$out"
  ((${#b[@]} >= 10)) || return 1
  [[ ${b[4]}${b[5]}${b[6]}${b[7]} == 00002a2a ]] || return 1
  err=$((16#${b[8]}${b[9]}))
  ((err == 0 || err == 35))
}

# A Cassandra node answers a CQL v4 OPTIONS frame with SUPPORTED (response version 0x84, opcode 6).
cql_probe() { # host port
  local out b
  out=$(probe_bytes "$1" "$2" '\x04\x00\x00\x01\x05\x00\x00\x00\x00' 9) || return 1
  read -r -a b <<<"$out"
  ((${#b[@]} >= 9)) || return 1
  [[ ${b[0]} == 84 && ${b[4]} == 06 ]]
}

# "host:port", "host", "scheme://host:port", "[::1]:port" -> "host port" (default port $2).
split_host_port() { # spec default_port
  local spec=${1#*://} host port
  spec=${spec%%/*}
  if [[ $spec == \[* ]]; then
    host=${spec%%]*}
    host=${host#[}
    port=${spec#*]}
    port=${port#:}
  elif [[ $spec == *:*:* ]]; then # bare IPv6 address, no port
    host=$spec
    port=
  elif [[ $spec == *:* ]]; then
    host=${spec%:*}
    port=${spec##*:}
  else
    host=$spec
    port=
  fi
  printf '%s %s\n' "$host" "${port:-$2}"
}

heap_flags() { # value -> JVM flags
  if [[ $1 == -* ]]; then printf '%s\n' "$1"; else printf '%s\n' "-Xms$1 -Xmx$1"; fi
}

java_bin() {
  if [[ -n ${FLEETLINE_JAVA:-} ]]; then
    printf '%s\n' "$FLEETLINE_JAVA"
  elif [[ -n ${JAVA_HOME:-} && -x ${JAVA_HOME}/bin/java ]]; then
    printf '%s\n' "$JAVA_HOME/bin/java"
  else
    printf '%s\n' java
  fi
}
JAVA=$(java_bin)

java_major() {
  "$JAVA" -XshowSettings:properties -version 2>&1 |
    awk -F'= ' '/java.specification.version/ { v = $2; sub(/^1\./, "", v); print v; exit }'
}

check_java() { # service
  local major
  command -v "$JAVA" >/dev/null 2>&1 || die "no java found (set FLEETLINE_JAVA or JAVA_HOME to a Java 17 JDK)"
  major=$(java_major)
  case $1 in
  kafka)
    if ! [[ $major =~ ^[0-9]+$ ]] || ((major < 17)); then
      die "Kafka $KAFKA_VERSION needs Java 17+, '$JAVA' is Java '$major' (set FLEETLINE_JAVA)"
    fi
    ;;
  cassandra) [[ $major == 11 || $major == 17 ]] ||
    die "Cassandra $CASSANDRA_VERSION runs on Java 11 or 17, '$JAVA' is Java '$major' (set FLEETLINE_JAVA to a Java 17 binary)" ;;
  esac
}

# ---------------------------------------------------------------------------------------------
# per-service facts

svc_dir() { printf '%s\n' "$STATE_DIR/$1"; }
svc_pidfile() { printf '%s\n' "$STATE_DIR/$1/$1.pid"; }
svc_port() { if [[ $1 == kafka ]]; then printf '%s\n' "$KAFKA_PORT"; else printf '%s\n' "$CASSANDRA_PORT"; fi; }
svc_version() { if [[ $1 == kafka ]]; then printf '%s\n' "$KAFKA_VERSION"; else printf '%s\n' "$CASSANDRA_VERSION"; fi; }
svc_lib() { printf '%s\n' "${LIB_ROOT:-$STATE_DIR}/$1/lib-$(svc_version "$1")"; }
svc_log() { if [[ $1 == kafka ]]; then printf '%s\n' "$STATE_DIR/kafka/logs/server.log"; else printf '%s\n' "$STATE_DIR/cassandra/logs/system.log"; fi; }
svc_stdout() { printf '%s\n' "$STATE_DIR/$1/logs/stdout.log"; }
svc_timeout() { if [[ $1 == kafka ]]; then printf '%s\n' "$KAFKA_START_TIMEOUT"; else printf '%s\n' "$CASSANDRA_START_TIMEOUT"; fi; }

svc_external() { # prints "host port" of the first external endpoint, or fails if local
  if [[ $1 == kafka && -n $KAFKA_BROKERS ]]; then
    split_host_port "${KAFKA_BROKERS%%,*}" "$KAFKA_PORT"
  elif [[ $1 == cassandra && -n $CASSANDRA_CONTACT_POINTS ]]; then
    split_host_port "${CASSANDRA_CONTACT_POINTS%%,*}" "$CASSANDRA_PORT"
  else
    return 1
  fi
}

svc_probe() { # service host port: protocol-level health check
  if [[ $1 == kafka ]]; then kafka_probe "$2" "$3"; else cql_probe "$2" "$3"; fi
}

svc_ports() { # every port the service binds
  if [[ $1 == kafka ]]; then
    printf '%s\n' "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"
  else
    printf '%s\n' "$CASSANDRA_PORT" "$CASSANDRA_STORAGE_PORT"
    jmx_enabled && printf '%s\n' "$CASSANDRA_JMX_PORT"
  fi
  return 0
}

jmx_enabled() { [[ $CASSANDRA_JMX_PORT != off && $CASSANDRA_JMX_PORT != 0 && -n $CASSANDRA_JMX_PORT ]]; }

# The pid from the pid file if that process is alive and is the JVM this state dir started
# (guards against a recycled pid).
our_pid() { # service
  local pidfile pid args
  pidfile=$(svc_pidfile "$1")
  [[ -f $pidfile ]] || return 1
  pid=$(<"$pidfile")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  args=$(ps -ww -p "$pid" -o args= 2>/dev/null) || return 1
  [[ $args == *"-Dfleetline.infra.service=$1 "* && $args == *"-Dfleetline.infra.dir=$STATE_DIR "* ]] || return 1
  printf '%s\n' "$pid"
}

local_healthy() { # service
  svc_probe "$1" 127.0.0.1 "$(svc_port "$1")"
}

# Startup health: process alive (checked by the caller), the "started" log line written after
# this launch, and the protocol probe answering.
started_healthy() { # service
  local log offset size line
  log=$(svc_log "$1")
  if [[ $1 == kafka ]]; then line=$KAFKA_STARTED_LINE; else line=$CASSANDRA_STARTED_LINE; fi
  if [[ $1 == kafka ]]; then
    [[ -f $log ]] || return 1
    offset=$(cat "$(svc_dir "$1")/log.offset" 2>/dev/null || echo 0)
    size=$(wc -c <"$log")
    ((size >= offset)) || offset=0 # the log rolled over meanwhile
    tail -c +"$((offset + 1))" "$log" | grep -qF "$line" || return 1
  fi
  # Cassandra opens the native port only once it is ready ("$CASSANDRA_STARTED_LINE").
  local_healthy "$1"
}

print_log_tail() { # service: what this launch wrote (not older runs' lines)
  local log out offset size
  log=$(svc_log "$1")
  out=$(svc_stdout "$1")
  offset=$(cat "$(svc_dir "$1")/log.offset" 2>/dev/null || echo 0)
  if [[ -f $log ]]; then
    size=$(wc -c <"$log")
    ((size >= offset)) || offset=0
    if ((size > offset)); then
      warn "---- last 40 lines of $log ----"
      tail -c +"$((offset + 1))" "$log" | tail -n 40 >&2
    else
      warn "(nothing new in $log)"
    fi
  fi
  if [[ -s $out ]]; then
    warn "---- last 20 lines of $out (JVM stdout/stderr) ----"
    tail -n 20 "$out" >&2
  fi
  warn "----"
}

# ---------------------------------------------------------------------------------------------
# fetch (Maven) and configuration

fetch_lib() { # service
  local svc=$1 version lib pom prop want tmp t0 n
  version=$(svc_version "$svc")
  lib=$(svc_lib "$svc")
  pom=$SCRIPT_DIR/maven/$svc/pom.xml
  if [[ $svc == kafka ]]; then prop=kafka.version; else prop=cassandra.version; fi
  # The marker records version + pom checksum: a complete lib dir skips Maven entirely.
  want="$svc $version $(cksum <"$pom" | tr -s ' ' '-')"
  if [[ -f $lib/.fetched && $(<"$lib/.fetched") == "$want" ]]; then
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || die "Maven (mvn) is needed to fetch $svc $version the first time"
  if [[ -n $LIB_ROOT ]] && command -v flock >/dev/null 2>&1; then
    # Jars shared by several state dirs: one fetch at a time (the state-dir lock does not cover it).
    exec 8>"$LIB_ROOT/.fetch.lock"
    flock -w 900 8 || die "another infra.sh holds $LIB_ROOT/.fetch.lock"
    if [[ -f $lib/.fetched && $(<"$lib/.fetched") == "$want" ]]; then
      exec 8>&-
      return 0
    fi
  fi
  say "fetching $svc $version from Maven Central with Maven (once per version) ..."
  t0=$SECONDS
  tmp=$lib.partial
  rm -rf "$tmp"
  mkdir -p "$(svc_dir "$svc")/logs"
  if ! mvn -q -B -f "$pom" dependency:copy-dependencies "-D$prop=$version" "-Dinfra.lib.dir=$tmp" \
    >"$(svc_dir "$svc")/logs/fetch.log" 2>&1 9>&-; then
    tail -n 40 "$(svc_dir "$svc")/logs/fetch.log" >&2 || true
    rm -rf "$tmp"
    die "Maven could not fetch $svc $version (full output: $(svc_dir "$svc")/logs/fetch.log)"
  fi
  printf '%s\n' "$want" >"$tmp/.fetched"
  rm -rf "$lib"
  mv "$tmp" "$lib"
  n=$(find "$lib" -name '*.jar' | wc -l | tr -d ' ')
  say "fetched $svc $version ($n jars) in $((SECONDS - t0)) s"
  if [[ -n $LIB_ROOT ]]; then exec 8>&-; fi
}

write_kafka_config() {
  local dir=$STATE_DIR/kafka
  mkdir -p "$dir/conf" "$dir/data" "$dir/logs"
  cat >"$dir/conf/server.properties" <<EOF
# Generated by infra/infra.sh on every 'up'; edit the script, not this file.
# Single-node KRaft: this process is both broker and controller.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$dir/data

# Topics: auto-creation stays on; 3 partitions by default; everything replicated once.
auto.create.topics.enable=true
num.partitions=3
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0

# Retention for a dev/test box: a day or 1 GiB per partition, whichever comes first.
log.retention.hours=24
log.retention.bytes=1073741824
log.segment.bytes=67108864
log.retention.check.interval.ms=300000

# Keep thread counts low on a small machine.
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
background.threads=4
EOF
  if [[ -n $KAFKA_EXTRA_PROPERTIES ]]; then
    [[ -r $KAFKA_EXTRA_PROPERTIES ]] || die "KAFKA_EXTRA_PROPERTIES: cannot read $KAFKA_EXTRA_PROPERTIES"
    {
      printf '\n# Appended from KAFKA_EXTRA_PROPERTIES (%s); a later key wins.\n' "$KAFKA_EXTRA_PROPERTIES"
      cat "$KAFKA_EXTRA_PROPERTIES"
    } >>"$dir/conf/server.properties"
  fi
  cat >"$dir/conf/log4j2.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<!-- Generated by infra/infra.sh. Kafka logs to ${sys:kafka.logs.dir}/server.log only. -->
<Configuration status="warn">
  <Appenders>
    <RollingFile name="server" fileName="${sys:kafka.logs.dir}/server.log"
                 filePattern="${sys:kafka.logs.dir}/server.log.%i">
      <PatternLayout pattern="[%d] %p %m (%c)%n"/>
      <Policies><SizeBasedTriggeringPolicy size="50 MB"/></Policies>
      <DefaultRolloverStrategy max="5"/>
    </RollingFile>
  </Appenders>
  <Loggers>
    <Root level="INFO"><AppenderRef ref="server"/></Root>
    <Logger name="kafka.request.logger" level="WARN"/>
    <Logger name="kafka.authorizer.logger" level="WARN"/>
    <Logger name="state.change.logger" level="WARN"/>
  </Loggers>
</Configuration>
EOF
}

kafka_java_args() { # prints one argument per line (used by launch and the storage tool)
  local dir=$STATE_DIR/kafka
  printf '%s\n' \
    -Djava.awt.headless=true \
    "-Dlog4j2.configurationFile=$dir/conf/log4j2.xml" \
    "-Dkafka.logs.dir=$dir/logs" \
    -cp "$(svc_lib kafka)/*"
}

format_kafka_storage() {
  local dir=$STATE_DIR/kafka id args=() extra=()
  [[ -f $dir/data/meta.properties ]] && return 0
  read -r -a extra <<<"$KAFKA_FORMAT_ARGS"
  mapfile -t args < <(kafka_java_args)
  if [[ ! -s $dir/cluster.id ]]; then
    "$JAVA" "${args[@]}" kafka.tools.StorageTool random-uuid >"$dir/cluster.id" 9>&- ||
      die "kafka.tools.StorageTool random-uuid failed"
  fi
  id=$(tr -d '[:space:]' <"$dir/cluster.id")
  say "formatting Kafka storage (cluster id $id)"
  if ! "$JAVA" "${args[@]}" kafka.tools.StorageTool format -t "$id" -c "$dir/conf/server.properties" \
    ${extra[@]+"${extra[@]}"} >"$dir/logs/format.log" 2>&1 9>&-; then
    cat "$dir/logs/format.log" >&2
    die "formatting Kafka storage failed"
  fi
}

write_cassandra_config() {
  local dir=$STATE_DIR/cassandra
  mkdir -p "$dir/conf" "$dir/data" "$dir/logs"
  # Derived from conf/cassandra.yaml of Cassandra 5.0 (new-style names with units); everything
  # not listed keeps the 5.0 default. Cassandra rejects unknown keys.
  cat >"$dir/conf/cassandra.yaml" <<EOF
# Generated by infra/infra.sh on every 'up'; edit the script, not this file.
cluster_name: 'fleetline-dev'
num_tokens: 1
partitioner: org.apache.cassandra.dht.Murmur3Partitioner
endpoint_snitch: SimpleSnitch
seed_provider:
  - class_name: org.apache.cassandra.locator.SimpleSeedProvider
    parameters:
      - seeds: "127.0.0.1:$CASSANDRA_STORAGE_PORT"

listen_address: 127.0.0.1
rpc_address: 127.0.0.1
storage_port: $CASSANDRA_STORAGE_PORT
start_native_transport: true
native_transport_port: $CASSANDRA_PORT

data_file_directories:
  - '$dir/data/data'
commitlog_directory: '$dir/data/commitlog'
saved_caches_directory: '$dir/data/saved_caches'
hints_directory: '$dir/data/hints'
cdc_raw_directory: '$dir/data/cdc_raw'

commitlog_sync: periodic
commitlog_sync_period: 10000ms
commitlog_segment_size: 16MiB
auto_snapshot: false
disk_access_mode: standard

# A fresh node that is never upgraded from 4.x: enable everything 5.0 offers.
storage_compatibility_mode: NONE

# Small machine: one compactor, modest caches.
concurrent_compactors: 1
compaction_throughput: 64MiB/s
key_cache_size: 16MiB
EOF
  cat >"$dir/conf/logback.xml" <<'EOF'
<!-- Generated by infra/infra.sh: INFO to ${cassandra.logdir}/system.log, no console, no debug.log. -->
<configuration scan="false">
  <appender name="SYSTEMLOG" class="ch.qos.logback.core.rolling.RollingFileAppender">
    <file>${cassandra.logdir}/system.log</file>
    <rollingPolicy class="ch.qos.logback.core.rolling.FixedWindowRollingPolicy">
      <fileNamePattern>${cassandra.logdir}/system.log.%i.zip</fileNamePattern>
      <minIndex>1</minIndex>
      <maxIndex>5</maxIndex>
    </rollingPolicy>
    <triggeringPolicy class="ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy">
      <maxFileSize>20MB</maxFileSize>
    </triggeringPolicy>
    <encoder>
      <pattern>%-5level [%thread] %date{ISO8601} %F:%L - %msg%n</pattern>
    </encoder>
  </appender>
  <root level="INFO">
    <appender-ref ref="SYSTEMLOG"/>
  </root>
</configuration>
EOF
}

# ---------------------------------------------------------------------------------------------
# launch / stop

launch() { # service
  local svc=$1 dir lib log pidfile pid heap=() extra=() args=() jamm
  dir=$(svc_dir "$svc")
  lib=$(svc_lib "$svc")
  log=$(svc_log "$svc")
  pidfile=$(svc_pidfile "$svc")
  mkdir -p "$dir/logs"
  # Only log lines written after this offset count as "started" for this launch.
  if [[ -f $log ]]; then wc -c <"$log" | tr -d ' ' >"$dir/log.offset"; else echo 0 >"$dir/log.offset"; fi

  if [[ $svc == kafka ]]; then
    read -r -a heap <<<"$(heap_flags "$KAFKA_HEAP")"
    read -r -a extra <<<"$KAFKA_JVM_OPTS"
    mapfile -t args < <(kafka_java_args)
    # GC flags as in Kafka's bin/kafka-run-class.sh.
    args=(
      "${heap[@]}"
      -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35
      -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15
      "-XX:ErrorFile=$dir/logs/hs_err_pid%p.log"
      "-Dfleetline.infra.service=kafka" "-Dfleetline.infra.dir=$STATE_DIR"
      "${args[@]}"
      "${extra[@]}"
      kafka.Kafka "$dir/conf/server.properties"
    )
  else
    read -r -a heap <<<"$(heap_flags "$CASSANDRA_HEAP")"
    read -r -a extra <<<"$CASSANDRA_JVM_OPTS"
    jamm=$(find "$lib" -maxdepth 1 -name 'jamm-*.jar' | head -n 1)
    [[ -n $jamm ]] || die "jamm agent jar missing from $lib (delete that dir to re-fetch)"
    args=(
      "${heap[@]}"
      -XX:+UseG1GC -XX:+ParallelRefProcEnabled -XX:MaxTenuringThreshold=1
      -XX:+PerfDisableSharedMem -XX:+ExitOnOutOfMemoryError
      "-XX:ErrorFile=$dir/logs/hs_err_pid%p.log"
      -Djava.net.preferIPv4Stack=true
      # Java 17 module flags, from Cassandra 5.0 conf/jvm17-server.options.
      -Djdk.attach.allowAttachSelf=true
      --add-exports java.base/jdk.internal.misc=ALL-UNNAMED
      --add-exports java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED
      --add-exports java.rmi/sun.rmi.registry=ALL-UNNAMED
      --add-exports java.rmi/sun.rmi.server=ALL-UNNAMED
      --add-exports java.sql/java.sql=ALL-UNNAMED
      --add-exports java.base/java.lang.ref=ALL-UNNAMED
      --add-exports jdk.unsupported/sun.misc=ALL-UNNAMED
      --add-exports jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
      --add-exports jdk.attach/sun.tools.attach=ALL-UNNAMED
      --add-opens java.base/java.lang.module=ALL-UNNAMED
      --add-opens java.base/jdk.internal.loader=ALL-UNNAMED
      --add-opens java.base/jdk.internal.ref=ALL-UNNAMED
      --add-opens java.base/jdk.internal.reflect=ALL-UNNAMED
      --add-opens java.base/jdk.internal.math=ALL-UNNAMED
      --add-opens java.base/jdk.internal.module=ALL-UNNAMED
      --add-opens java.base/jdk.internal.util.jar=ALL-UNNAMED
      --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED
      --add-opens java.base/sun.nio.ch=ALL-UNNAMED
      --add-opens java.base/java.io=ALL-UNNAMED
      --add-opens java.base/java.lang.reflect=ALL-UNNAMED
      --add-opens jdk.compiler/com.sun.tools.javac=ALL-UNNAMED
      --add-opens java.base/java.lang=ALL-UNNAMED
      --add-opens java.base/java.util=ALL-UNNAMED
      -Dio.netty.tryReflectionSetAccessible=true
      -Dio.netty.allocator.useCacheForAllThreads=true
      -Dio.netty.allocator.maxOrder=11
      # Cassandra measures object sizes with the jamm agent.
      "-javaagent:$jamm"
      -Dcassandra-foreground=yes
      "-Dcassandra.config=file://$dir/conf/cassandra.yaml"
      "-Dcassandra.storagedir=$dir/data"
      "-Dcassandra.logdir=$dir/logs"
      "-Dlogback.configurationFile=$dir/conf/logback.xml"
      # Test-only start-up speed-ups for a single node (never use them in production):
      #  - skip the gossip "settle" polling (nothing to settle with one node),
      #  - shorten the ring delay (wait for other nodes' state; there are none),
      #  - unsafesystem: no fsync for system keyspace writes (faster schema changes).
      -Dcassandra.skip_wait_for_gossip_to_settle=0
      -Dcassandra.ring_delay_ms=1000
      -Dcassandra.unsafesystem=true
      "-Dfleetline.infra.service=cassandra" "-Dfleetline.infra.dir=$STATE_DIR"
    )
    # JMX for nodetool, bound to loopback only (cassandra.jmx.local.port); off if disabled.
    # The RMI server shares that port (as bin/cassandra sets it) instead of a random one.
    if jmx_enabled; then
      args+=("-Dcassandra.jmx.local.port=$CASSANDRA_JMX_PORT" "-Dcom.sun.management.jmxremote.rmi.port=$CASSANDRA_JMX_PORT")
    fi
    args+=("${extra[@]}" -cp "$dir/conf:$lib/*" org.apache.cassandra.service.CassandraDaemon)
  fi

  # Detached from this shell (setsid: no controlling terminal; no stdin), output to a file; fd 9
  # (the state-dir lock) is not inherited.
  if command -v setsid >/dev/null 2>&1; then
    (cd "$dir" && exec setsid nohup "$JAVA" "${args[@]}") </dev/null >"$(svc_stdout "$svc")" 2>&1 9>&- &
  else
    (cd "$dir" && exec nohup "$JAVA" "${args[@]}") </dev/null >"$(svc_stdout "$svc")" 2>&1 9>&- &
  fi
  pid=$!
  printf '%s\n' "$pid" >"$pidfile"
  say "started $svc $(svc_version "$svc") (pid $pid, 127.0.0.1:$(svc_port "$svc")); log: $log"
}

stop_pids() { # "svc:pid" ... : SIGTERM all, wait with a deadline, then SIGKILL
  local entry svc pid deadline t0 pending=()
  t0=$SECONDS
  for entry in "$@"; do
    svc=${entry%%:*}
    pid=${entry##*:}
    say "stopping $svc (pid $pid) ..."
    kill -TERM "$pid" 2>/dev/null || true
    pending+=("$entry")
  done
  deadline=$((SECONDS + INFRA_STOP_TIMEOUT))
  while ((${#pending[@]} > 0)); do
    local still=()
    for entry in "${pending[@]}"; do
      svc=${entry%%:*}
      pid=${entry##*:}
      if kill -0 "$pid" 2>/dev/null; then
        if ((SECONDS >= deadline)); then
          warn "$svc (pid $pid) still running after ${INFRA_STOP_TIMEOUT} s; sending SIGKILL"
          kill -KILL "$pid" 2>/dev/null || true
          still+=("$entry")
        else
          still+=("$entry")
        fi
      else
        rm -f "$(svc_pidfile "$svc")"
        say "$svc stopped after $((SECONDS - t0)) s"
      fi
    done
    pending=(${still[@]+"${still[@]}"})
    ((${#pending[@]} == 0)) || sleep 1
    if ((SECONDS >= deadline + 10 && ${#pending[@]} > 0)); then
      die "could not stop: ${pending[*]}"
    fi
  done
}

lock_state_dir() {
  mkdir -p "$STATE_DIR"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$STATE_DIR/.lock"
    flock -w 900 9 || die "another infra.sh up/down holds $STATE_DIR/.lock"
  fi
}

# ---------------------------------------------------------------------------------------------
# commands

cmd_up() {
  local svc hp host port pid starting=() to_start=() failed=0
  lock_state_dir

  # 1. decide per service: external / already running / reuse / start
  for svc in "$@"; do
    if hp=$(svc_external "$svc"); then
      read -r host port <<<"$hp"
      if ! wait_external "$svc" "$host" "$port"; then failed=1; fi
      continue
    fi
    port=$(svc_port "$svc")
    if pid=$(our_pid "$svc"); then
      if local_healthy "$svc"; then
        say "$svc already running (pid $pid, 127.0.0.1:$port)"
      else
        say "$svc (pid $pid) is running but not healthy yet; waiting for it"
        starting+=("$svc:$pid:$SECONDS")
      fi
      continue
    fi
    if [[ -f $(svc_pidfile "$svc") ]]; then
      say "$svc: removing stale pid file (pid $(<"$(svc_pidfile "$svc")") is gone)"
      rm -f "$(svc_pidfile "$svc")"
    fi
    if local_healthy "$svc"; then
      say "$svc: 127.0.0.1:$port is already served by a healthy $svc not started from $STATE_DIR; reusing it"
      continue
    fi
    local p
    for p in $(svc_ports "$svc"); do
      if tcp_open 127.0.0.1 "$p"; then
        die "$svc: port $p on 127.0.0.1 is in use by something that is not a healthy $svc" \
          "(another process, or an instance still starting); free it or choose other ports (see infra/README.md)"
      fi
    done
    check_java "$svc"
    to_start+=("$svc")
  done

  # 2. fetch (sequentially: Maven's local cache is not safe for concurrent writers), configure
  for svc in ${to_start[@]+"${to_start[@]}"}; do
    fetch_lib "$svc"
  done
  for svc in ${to_start[@]+"${to_start[@]}"}; do
    if [[ $svc == kafka ]]; then
      write_kafka_config
      format_kafka_storage
    else
      write_cassandra_config
    fi
  done

  # 3. start both JVMs, then wait for both in parallel
  for svc in ${to_start[@]+"${to_start[@]}"}; do
    launch "$svc"
    starting+=("$svc:$(<"$(svc_pidfile "$svc")"):$SECONDS")
  done
  if ((${#starting[@]} > 0)); then
    wait_healthy "${starting[@]}" || failed=1
  fi
  ((failed == 0)) || exit 1
}

wait_external() { # service host port
  local svc=$1 host=$2 port=$3 deadline t0
  t0=$SECONDS
  deadline=$((SECONDS + $(svc_timeout "$svc")))
  while ! tcp_open "$host" "$port"; do
    if ((SECONDS >= deadline)); then
      warn "$svc is external ($host:$port) and not reachable after $(svc_timeout "$svc") s"
      return 1
    fi
    sleep 1
  done
  say "$svc is external: $host:$port reachable (waited $((SECONDS - t0)) s); nothing started"
}

wait_healthy() { # "svc:pid:startSeconds" ...
  local entry svc pid t0 timeout pending=("$@") rc=0
  while ((${#pending[@]} > 0)); do
    local still=()
    for entry in "${pending[@]}"; do
      IFS=: read -r svc pid t0 <<<"$entry"
      timeout=$(svc_timeout "$svc")
      if ! kill -0 "$pid" 2>/dev/null; then
        warn "$svc (pid $pid) exited during start-up after $((SECONDS - t0)) s"
        print_log_tail "$svc"
        rm -f "$(svc_pidfile "$svc")"
        warn "$svc failed to start; more: bash infra/infra.sh logs $svc"
        rc=1
      elif started_healthy "$svc"; then
        say "$svc is up after $((SECONDS - t0)) s (pid $pid, 127.0.0.1:$(svc_port "$svc"))"
      elif ((SECONDS - t0 >= timeout)); then
        warn "$svc (pid $pid) not healthy after $timeout s; stopping it"
        print_log_tail "$svc"
        stop_pids "$svc:$pid" >&2
        warn "$svc failed to start in time (raise ${svc^^}_START_TIMEOUT if the machine is just slow)"
        rc=1
      else
        still+=("$entry")
      fi
    done
    pending=(${still[@]+"${still[@]}"})
    ((${#pending[@]} == 0)) || sleep 1
  done
  return "$rc"
}

cmd_down() {
  local svc pid to_stop=()
  lock_state_dir
  for svc in "$@"; do
    if svc_external "$svc" >/dev/null; then
      say "$svc is external; not stopping it"
      continue
    fi
    if pid=$(our_pid "$svc"); then
      to_stop+=("$svc:$pid")
    elif [[ -f $(svc_pidfile "$svc") ]]; then
      rm -f "$(svc_pidfile "$svc")"
      say "$svc was not running (removed stale pid file)"
    elif local_healthy "$svc"; then
      say "$svc: 127.0.0.1:$(svc_port "$svc") is served by an instance not started from $STATE_DIR; leaving it"
    else
      say "$svc is not running"
    fi
  done
  if ((${#to_stop[@]} > 0)); then stop_pids "${to_stop[@]}"; fi
}

cmd_status() {
  local svc pid hp host port rc=0
  for svc in "$@"; do
    if hp=$(svc_external "$svc"); then
      read -r host port <<<"$hp"
      if tcp_open "$host" "$port"; then
        printf '%-10s external   %s:%s reachable\n' "$svc" "$host" "$port"
      else
        printf '%-10s external   %s:%s UNREACHABLE\n' "$svc" "$host" "$port"
        rc=1
      fi
      continue
    fi
    port=$(svc_port "$svc")
    if pid=$(our_pid "$svc"); then
      if local_healthy "$svc"; then
        printf '%-10s running    pid %s  127.0.0.1:%s  %s\n' "$svc" "$pid" "$port" "$(svc_version "$svc")"
      else
        printf '%-10s starting   pid %s  127.0.0.1:%s  (not healthy yet)\n' "$svc" "$pid" "$port"
        rc=1
      fi
    elif local_healthy "$svc"; then
      printf '%-10s running    pid -  127.0.0.1:%s  (not started from this state dir)\n' "$svc" "$port"
    else
      printf '%-10s stopped    pid -  127.0.0.1:%s\n' "$svc" "$port"
      rc=1
    fi
  done
  return "$rc"
}

cmd_logs() { # follow services...
  local follow=$1 svc files=()
  shift
  for svc in "$@"; do
    if svc_external "$svc" >/dev/null; then
      say "$svc is external; no local log"
      continue
    fi
    if [[ -f $(svc_log "$svc") ]]; then
      files+=("$(svc_log "$svc")")
    elif [[ -f $(svc_stdout "$svc") ]]; then
      files+=("$(svc_stdout "$svc")")
    else
      say "$svc: no log yet ($(svc_log "$svc"))"
    fi
  done
  ((${#files[@]} > 0)) || return 0
  if [[ $follow == 1 ]]; then
    tail -n "$INFRA_LOG_LINES" -F "${files[@]}"
  else
    tail -n "$INFRA_LOG_LINES" "${files[@]}"
  fi
}

main() {
  local cmd=${1:-} follow=0 services=() arg
  [[ -n $cmd ]] || {
    usage >&2
    exit 2
  }
  shift
  for arg in "$@"; do
    case $arg in
    kafka | cassandra) services+=("$arg") ;;
    -f | --follow) follow=1 ;;
    -h | --help)
      usage
      exit 0
      ;;
    *)
      usage >&2
      die "unknown argument '$arg'"
      ;;
    esac
  done
  ((${#services[@]} > 0)) || services=(kafka cassandra)
  mkdir -p "$STATE_DIR"
  STATE_DIR=$(cd "$STATE_DIR" && pwd -P)
  if [[ -n $LIB_ROOT ]]; then
    mkdir -p "$LIB_ROOT"
    LIB_ROOT=$(cd "$LIB_ROOT" && pwd -P)
  fi
  case $cmd in
  up) cmd_up "${services[@]}" ;;
  down) cmd_down "${services[@]}" ;;
  status) cmd_status "${services[@]}" ;;
  logs) cmd_logs "$follow" "${services[@]}" ;;
  -h | --help | help) usage ;;
  *)
    usage >&2
    exit 2
    ;;
  esac
}

main "$@"
