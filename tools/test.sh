#!/usr/bin/env bash
# `make test`: lint (ruff, pylint-odoo mandatory checks), then a fresh test database with the addon
# installed and upgraded, then the whole suite through pytest-odoo: plain-Python unit tests,
# TransactionCase/HttpCase tests and browser tours in headless Chromium. Exits non-zero on any
# failure, and on any skipped test (a skipped browser tour is not a passing one).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/tools/bootstrap.sh"
# shellcheck source=tools/lib.sh
source "$ROOT/tools/lib.sh"
# shellcheck source=tools/db.sh
source "$ROOT/tools/db.sh"

# Options: --lint-only, --skip-lint (for quick local runs); anything else goes to pytest.
mode=all
case "${1:-}" in
    --lint-only) mode=lint; shift ;;
    --skip-lint) mode=tests; shift ;;
esac

if [ "$mode" != tests ]; then
step "ruff"
"$VENV/bin/ruff" check "$ROOT" || fail "ruff found problems (run: $VENV/bin/ruff check --fix .)"
"$VENV/bin/ruff" format --check "$ROOT" >/dev/null || {
    "$VENV/bin/ruff" format --diff "$ROOT" | head -40
    fail "files need formatting (run: $VENV/bin/ruff format .)"
}
say "clean"

step "pylint-odoo (mandatory checks)"
(cd "$DEVENV/addons" && "$VENV/bin/pylint" --rcfile="$ROOT/.pylintrc-mandatory" order_tracking_chatbot) \
    || fail "pylint-odoo found problems (see above)"
say "clean"

fi
[ "$mode" = lint ] && exit 0

DB="${TEST_DB:-order_tracking_test}"
step "fresh test database $DB"
tpl=$(ensure_dependency_template)
copy_database "$tpl" "$DB"
say "installing the addon"
install_addon "$DB"
say "upgrading the addon (the upgrade path must work too)"
odoo_bin -d "$DB" -u order_tracking_chatbot --stop-after-init --log-level=info >"$DEVENV/upgrade-$DB.log" 2>&1 \
    || { tail -30 "$DEVENV/upgrade-$DB.log"; fail "upgrading the addon failed"; }
check_log_clean "$DEVENV/upgrade-$DB.log" "upgrading order_tracking_chatbot"

step "test suite (pytest-odoo, headless Chromium)"
report="$DEVENV/pytest-report.txt"
set +e
# shellcheck disable=SC2086 # TEST_PATHS may list several paths
# tools/pytest_addon_name.py names the tests odoo.addons.order_tracking_chatbot.* whatever the clone's name.
PYTHONPATH="$ROOT/tools" "$VENV/bin/python" -m pytest ${TEST_PATHS:-$ROOT/tests} -p pytest_addon_name --odoo-config="$ODOO_CONF" --odoo-database="$DB" --odoo-http \
    -p no:cacheprovider -rs -q "$@" 2>&1 | tee "$report"
rc=${PIPESTATUS[0]}
set -e
[ "$rc" -eq 5 ] && fail "pytest collected no test"
[ "$rc" -eq 0 ] || fail "tests failed (pytest exit status $rc)"
if grep -qE '^SKIPPED|[0-9]+ skipped' "$report"; then
    fail "some tests were skipped (see the SKIPPED lines above): a skipped test or tour is not a pass"
fi
