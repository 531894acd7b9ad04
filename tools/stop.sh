#!/usr/bin/env bash
# `make stop`: stop the Odoo server started by `make demo` or `make serve`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=tools/lib.sh
source "$ROOT/tools/lib.sh"
stopped=0
for name in demo server; do
    PIDFILE="$DEVENV/odoo-$name.pid"
    if [ -s "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
        pid=$(cat "$PIDFILE")
        kill "$pid"
        # A multi-worker master stops its workers first: wait for it, so the ports are free.
        for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
        rm -f "$PIDFILE"
        echo "the $name server stopped"
        stopped=1
    fi
done
[ "$stopped" = 1 ] || echo "no server running"
