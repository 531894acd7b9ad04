#!/usr/bin/env bash
# Shared settings and messages for the tools/*.sh scripts (sourced, not run).

ROOT="${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
DEVENV="${DEVENV:-$ROOT/.devenv}"
VENV="$DEVENV/venv"
# ODOO_CONF and ODOO_PORT can be overridden to run two test suites side by side on other ports.
ODOO_CONF="${ODOO_CONF:-$DEVENV/odoo.conf}"
# Odoo is always started through this script, never `python -m odoo`: see the script's docstring.
ODOO_LAUNCHER="$ROOT/tools/odoo_launcher.py"
# Downloads, and Odoo's filestore, live outside the checkout so a fresh clone on the same machine
# reuses them (database templates are shared the same way, see tools/db.sh).
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/order_tracking_chatbot"
ODOO_DATA="$CACHE/odoo-data"
ODOO_PORT="${ODOO_PORT:-8069}"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}"
export PGUSER="${PGUSER:-$(id -un)}" PGPASSWORD="${PGPASSWORD:-odoo}"
# rtlcss (npm) must be on Odoo's PATH for right-to-left asset bundles.
export PATH="$DEVENV/node/node_modules/.bin:$PATH"

CURRENT_STEP=""
step() {
    CURRENT_STEP="$1"
    printf '\n==> %s\n' "$1"
}
say() { printf '    %s\n' "$*"; }
fail() {
    printf '\nFAILED during step "%s": %s\n' "$CURRENT_STEP" "$*" >&2
    exit 1
}
trap 'rc=$?; [ $rc -eq 0 ] || [ -z "$CURRENT_STEP" ] || printf "\n(step \"%s\" exited with status %s)\n" "$CURRENT_STEP" "$rc" >&2' EXIT

odoo_bin() {
    # Run Odoo from the venv with this checkout's configuration; a subcommand (shell, ...) goes first.
    if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
        local sub="$1"
        shift
        "$VENV/bin/python" "$ODOO_LAUNCHER" "$sub" -c "$ODOO_CONF" "$@"
    else
        "$VENV/bin/python" "$ODOO_LAUNCHER" -c "$ODOO_CONF" "$@"
    fi
}
