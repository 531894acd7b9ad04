#!/usr/bin/env bash
# `make serve`: run Odoo the way production does, in the background, and check that it is whole.
#
#   - worker processes (prefork), so one slow request never holds the others up;
#   - proxy mode: Odoo sits behind a reverse proxy (nginx, see the README) that terminates TLS and
#     sends X-Forwarded-For/-Host/-Proto, so rate limits count real visitor IPs;
#   - the websocket (gevent) worker on its own port, which the proxy routes /websocket to: live
#     chat with operators and every real-time notification need it;
#   - one database given with -d and no --db-filter (a filter makes Odoo list the databases, on a
#     new unpooled connection, on every request);
#   - started through tools/odoo_launcher.py, so the master can re-run it for the websocket worker.
#
# After start it checks that the websocket worker answers a websocket handshake and is still the
# same process a few seconds later (a crash-looping worker is respawned under a new pid).
#
# Knobs: SERVE_DB (default: $DEMO_DB or order_tracking_demo), ODOO_WORKERS (2 x cores + 1),
# ODOO_PORT (8069), ODOO_GEVENT_PORT (8072), ODOO_CRON_THREADS (1), SERVE_INTERFACE (127.0.0.1:
# only the reverse proxy on this machine reaches Odoo). `make stop` stops it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/tools/bootstrap.sh"
# shellcheck source=tools/lib.sh
source "$ROOT/tools/lib.sh"
# shellcheck source=tools/db.sh
source "$ROOT/tools/db.sh"

DB="${SERVE_DB:-${DEMO_DB:-order_tracking_demo}}"
WORKERS="${ODOO_WORKERS:-$(($(nproc) * 2 + 1))}"
GEVENT_PORT="${ODOO_GEVENT_PORT:-8072}"
CRON_THREADS="${ODOO_CRON_THREADS:-1}"
INTERFACE="${SERVE_INTERFACE:-127.0.0.1}"
PIDFILE="$DEVENV/odoo-server.pid"
LOG="$DEVENV/odoo-server.log"

step "production server for $DB"
module_installed "$DB" order_tracking_chatbot \
    || fail "database $DB has no order_tracking_chatbot installed (make demo creates one; or set SERVE_DB)"
bash "$ROOT/tools/stop.sh" >/dev/null
: >"$LOG"
nohup "$VENV/bin/python" "$ODOO_LAUNCHER" -c "$ODOO_CONF" -d "$DB" \
    --workers="$WORKERS" --max-cron-threads="$CRON_THREADS" --proxy-mode \
    --http-interface="$INTERFACE" --http-port="$ODOO_PORT" --gevent-port="$GEVENT_PORT" \
    --limit-time-real=120 --limit-time-cpu=60 --log-level=info --logfile="$LOG" \
    >/dev/null 2>&1 &
echo $! >"$PIDFILE"
say "master pid $(cat "$PIDFILE"), $WORKERS HTTP workers, $CRON_THREADS cron worker(s), log: $LOG"

for _ in $(seq 1 90); do
    curl -fsS -o /dev/null "http://127.0.0.1:$ODOO_PORT/web/health" 2>/dev/null && break
    kill -0 "$(cat "$PIDFILE")" 2>/dev/null || { tail -30 "$LOG"; fail "Odoo exited at start (log: $LOG)"; }
    sleep 1
done
curl -fsS -o /dev/null "http://127.0.0.1:$ODOO_PORT/web/health" || fail "Odoo does not answer on port $ODOO_PORT"
say "HTTP workers answer on $INTERFACE:$ODOO_PORT"

step "websocket worker"
"$VENV/bin/python" "$ROOT/tools/check_websocket.py" --master-pid "$(cat "$PIDFILE")" \
    --port "$GEVENT_PORT" --watch 5 || { tail -30 "$LOG"; fail "the websocket worker is not healthy"; }
check_log_clean "$LOG" "the production server"
cat <<MSG

Odoo is running in production mode for $DB.
    HTTP:       http://$INTERFACE:$ODOO_PORT        (the reverse proxy sends everything here...)
    Websocket:  http://$INTERFACE:$GEVENT_PORT/websocket  (...except /websocket, sent here)
    Stop:       make stop
MSG
