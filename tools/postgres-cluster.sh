# A private PostgreSQL cluster for tools/demo-postgres and tools/load (sourced, not run).
# Debian's server binaries (/usr/lib/postgresql/N/bin, the newest N; tools/setup installs
# them), trust authentication for user postgres, 127.0.0.1 on a free port, the unix socket
# in the cluster's own folder, PostgreSQL's default durability (fsync, synchronous
# commit). PostgreSQL refuses to run as root, so as root every step runs as the postgres
# user, who owns the cluster's folder (and must be able to reach it).
#
#   pg_cluster_start DIR   initdb DIR unless it holds a cluster, start it, create the
#                          database couponmark when missing; sets PG_URL and PG_DIR
#   pg_cluster_stop        stops it (fast shutdown), if started

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
PG_DIR=""
PG_URL=""

# Runs a PostgreSQL tool, as the postgres user when we are root.
pg_as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then
        su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
    else
        "$@"
    fi
}

pg_cluster_start() {
    local dir=$1
    if [ ! -x "$PG_BIN/initdb" ]; then
        echo "no PostgreSQL server binaries under /usr/lib/postgresql (run tools/setup)" >&2
        return 1
    fi
    if [ ! -f "$dir/PG_VERSION" ]; then
        mkdir -p "$dir"
        chmod 0700 "$dir"
        if [ "$(id -u)" -eq 0 ]; then
            chown postgres: "$dir"
            if ! su postgres -s /bin/sh -c "test -w '$dir'"; then
                echo "the postgres user cannot reach $dir; use a folder it can reach (e.g. under /tmp)" >&2
                return 1
            fi
        fi
        pg_as_postgres "$PG_BIN/initdb" -D "$dir" -A trust -U postgres >/dev/null
    fi
    local port
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    pg_as_postgres "$PG_BIN/pg_ctl" -D "$dir" -l "$dir/postgres.log" -w \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
    PG_DIR=$dir
    local exists
    exists=$(pg_as_postgres "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAq \
        -c "SELECT 1 FROM pg_database WHERE datname = 'couponmark'")
    [ "$exists" = 1 ] || pg_as_postgres "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres couponmark
    PG_URL="postgres://postgres@127.0.0.1:$port/couponmark"
}

pg_cluster_stop() {
    if [ -n "$PG_DIR" ]; then
        pg_as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR" -m fast -w stop >/dev/null 2>&1 || true
        PG_DIR=""
    fi
}
