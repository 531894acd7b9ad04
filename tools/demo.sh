#!/usr/bin/env bash
# `make demo`: build the environment, create (or reuse) the demo database, start Odoo in the
# background on http://127.0.0.1:$ODOO_PORT and print how to try the chatbot.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/tools/bootstrap.sh"
# shellcheck source=tools/lib.sh
source "$ROOT/tools/lib.sh"
# shellcheck source=tools/db.sh
source "$ROOT/tools/db.sh"

DB="${DEMO_DB:-order_tracking_demo}"
PIDFILE="$DEVENV/odoo-demo.pid"
LOG="$DEVENV/odoo-demo.log"
code_hash=$(cd "$ROOT" && git ls-files -z 2>/dev/null | xargs -0 cat 2>/dev/null | sha1sum | cut -c1-12)

step "stopping a running server"
bash "$ROOT/tools/stop.sh" | sed 's/^/    /'

step "demo database $DB"
if module_installed "$DB" order_tracking_chatbot; then
    if [ "$(psql -d "$DB" -tAc "SELECT value FROM ir_config_parameter WHERE key = 'order_tracking_chatbot.demo_code_hash'")" != "$code_hash" ]; then
        say "the addon changed since the last run: upgrading it"
        odoo_bin -d "$DB" -u order_tracking_chatbot --stop-after-init --log-level=warn >"$DEVENV/upgrade-$DB.log" 2>&1 \
            || { tail -30 "$DEVENV/upgrade-$DB.log"; fail "upgrading the addon in $DB failed"; }
        check_log_clean "$DEVENV/upgrade-$DB.log" "upgrading the addon"
    else
        say "reusing $DB"
    fi
else
    tpl=$(ensure_dependency_template)
    say "creating $DB from $tpl"
    copy_database "$tpl" "$DB"
    say "installing order_tracking_chatbot with its demo shop"
    install_addon "$DB"
fi
psql -d "$DB" -qc "INSERT INTO ir_config_parameter (key, value) VALUES ('order_tracking_chatbot.demo_code_hash', '$code_hash')
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"

step "starting Odoo"
: >"$LOG"
# One process with threads: the websocket (live chat) is served on the same port, so the demo
# needs no reverse proxy. `make serve` runs the production way (workers, proxy mode, websocket
# worker) through the same launcher.
nohup "$VENV/bin/python" "$ODOO_LAUNCHER" -c "$ODOO_CONF" -d "$DB" --log-level=info >>"$LOG" 2>&1 &
echo $! >"$PIDFILE"
for _ in $(seq 1 60); do
    curl -fsS -o /dev/null "http://127.0.0.1:$ODOO_PORT/web/login" 2>/dev/null && break
    kill -0 "$(cat "$PIDFILE")" 2>/dev/null || { tail -30 "$LOG"; fail "Odoo exited at start (log: $LOG)"; }
    sleep 1
done
for page in / /shop /order-tracking /web/login; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$ODOO_PORT$page")
    say "GET $page -> $code"
    [ "$code" = 200 ] || [ "$page" = /order-tracking ] || fail "$page answered $code (log: $LOG)"
done
check_log_clean "$LOG" "the demo server"

orders=$(psql -d "$DB" -tAF ' ' -c "
    SELECT o.name, o.client_order_ref, p.phone FROM sale_order o JOIN res_partner p ON p.id = o.partner_id
    WHERE o.client_order_ref IN ('DEMO-IN-TRANSIT', 'DEMO-DELAYED', 'DEMO-HANDED-OVER') ORDER BY o.id")
cat <<MSG

Order Tracking Chatbot demo is running.
    Shop:     http://127.0.0.1:$ODOO_PORT/shop
    Tracker:  http://127.0.0.1:$ODOO_PORT/order-tracking
    Backend:  http://127.0.0.1:$ODOO_PORT/odoo   (login: admin / password: admin)
    Log:      $LOG      Stop: make stop
Orders to try (number, stage, customer's mobile):
$(echo "$orders" | sed 's/^/    /')
MSG
