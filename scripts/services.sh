# Local Redis and PostgreSQL for the integration tests (sourced by scripts/test.sh, not run).
# Starts them idempotently on loopback-only ports, without systemd, waits until they answer, and
# exports the URLs the tests read:
#   BANKFLOW_TEST_REDIS_URL=redis://127.0.0.1:6391/0
#   BANKFLOW_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5441/bankflow_test
# A URL already set in the environment is used as it is (nothing is started for it);
# BANKFLOW_NO_SERVICES=1 starts nothing (the tests then warn and run their SQLite/memory variants).

BANKFLOW_REDIS_PORT=${BANKFLOW_REDIS_PORT:-6391}
BANKFLOW_PG_PORT=${BANKFLOW_PG_PORT:-5441}
BANKFLOW_PG_DB=bankflow_test

_bf_log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Waits up to $1 tenths of a second for the command to succeed.
_bf_wait_for() {
  local tries=$1
  shift
  while ! "$@" >/dev/null 2>&1; do
    tries=$((tries - 1))
    [ "$tries" -le 0 ] && return 1
    sleep 0.1
  done
}

bankflow_start_redis() {
  local dir=/var/tmp/bankflow-redis
  [ "$(id -u)" = 0 ] || dir=/var/tmp/bankflow-redis-$(id -un)
  if ! redis-cli -h 127.0.0.1 -p "$BANKFLOW_REDIS_PORT" ping 2>/dev/null | grep -q PONG; then
    _bf_log "starting redis-server on 127.0.0.1:$BANKFLOW_REDIS_PORT ($dir)"
    mkdir -p "$dir"
    redis-server --bind 127.0.0.1 --port "$BANKFLOW_REDIS_PORT" --daemonize yes --save '' \
      --appendonly no --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null
    if ! _bf_wait_for 100 sh -c "redis-cli -h 127.0.0.1 -p $BANKFLOW_REDIS_PORT ping | grep -q PONG"; then
      echo "redis-server did not answer on port $BANKFLOW_REDIS_PORT; see $dir/redis.log" >&2
      return 1
    fi
  fi
  export BANKFLOW_TEST_REDIS_URL="redis://127.0.0.1:$BANKFLOW_REDIS_PORT/0"
}

bankflow_start_postgres() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$bin" ]; then
    echo "PostgreSQL server binaries not found under /usr/lib/postgresql" >&2
    return 1
  fi
  # postgres refuses to run as root: as root it runs as the postgres user, from a directory that
  # user can read (runuser keeps the working directory).
  local base=/var/tmp/bankflow-pg as=()
  if [ "$(id -u)" = 0 ]; then
    as=(runuser -u postgres --)
  else
    base=/var/tmp/bankflow-pg-$(id -un)
  fi
  local data=$base/data log=$base/postgres.log
  if ! "$bin/pg_isready" -q -h 127.0.0.1 -p "$BANKFLOW_PG_PORT"; then
    mkdir -p "$base"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$base" && chmod 700 "$base"
    if [ ! -f "$data/PG_VERSION" ]; then
      _bf_log "initialising a PostgreSQL cluster in $data"
      (cd "$base" && "${as[@]}" "$bin/initdb" -D "$data" -U postgres --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 >"$base/initdb.log" 2>&1) || {
        echo "initdb failed; see $base/initdb.log" >&2
        return 1
      }
    fi
    _bf_log "starting PostgreSQL on 127.0.0.1:$BANKFLOW_PG_PORT ($data)"
    (cd "$base" && "${as[@]}" "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 \
      -o "-p $BANKFLOW_PG_PORT -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off" \
      start >/dev/null) || {
      echo "PostgreSQL did not start; see $log" >&2
      return 1
    }
  fi
  if ! _bf_wait_for 300 "$bin/pg_isready" -q -h 127.0.0.1 -p "$BANKFLOW_PG_PORT"; then
    echo "PostgreSQL did not answer on port $BANKFLOW_PG_PORT; see $log" >&2
    return 1
  fi
  local psql=(psql -X -q -h 127.0.0.1 -p "$BANKFLOW_PG_PORT" -U postgres -d postgres -tA)
  if [ "$("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$BANKFLOW_PG_DB'")" != 1 ]; then
    "${psql[@]}" -c "CREATE DATABASE $BANKFLOW_PG_DB" >/dev/null || return 1
  fi
  export BANKFLOW_TEST_DATABASE_URL="postgresql://postgres@127.0.0.1:$BANKFLOW_PG_PORT/$BANKFLOW_PG_DB"
}

if [ "${BANKFLOW_NO_SERVICES:-}" = 1 ]; then
  _bf_log "BANKFLOW_NO_SERVICES=1: not starting Redis or PostgreSQL"
else
  [ -n "${BANKFLOW_TEST_REDIS_URL:-}" ] || bankflow_start_redis
  [ -n "${BANKFLOW_TEST_DATABASE_URL:-}" ] || bankflow_start_postgres
  _bf_log "Redis: ${BANKFLOW_TEST_REDIS_URL:-none}, PostgreSQL: ${BANKFLOW_TEST_DATABASE_URL:-none}"
fi
