#!/usr/bin/env bash
# Refresh i18n/order_tracking_chatbot.pot and i18n/fa.po from the code: installs the addon into a
# scratch database (loading the current fa.po), then exports the template and the Persian catalogue
# with every existing translation kept and new terms left empty for a translator.
# Usage: bash tools/i18n.sh   (tests/test_i18n.py fails while any term has no Persian translation)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/tools/bootstrap.sh" >/dev/null
# shellcheck source=tools/lib.sh
source "$ROOT/tools/lib.sh"
# shellcheck source=tools/db.sh
source "$ROOT/tools/db.sh"
DB="${I18N_DB:-order_tracking_i18n}"
step "scratch database $DB"
tpl=$(ensure_dependency_template)
copy_database "$tpl" "$DB"
install_addon "$DB"
step "exporting terms"
# Odoo's export leaves code terms (self.env._ / _()) untranslated: keep the current catalogue to
# carry their translations over.
cp "$ROOT/i18n/fa.po" "$DEVENV/fa.po.before-export"
"$VENV/bin/python" "$ODOO_LAUNCHER" i18n export -c "$ODOO_CONF" -d "$DB" -l pot fa_IR -- order_tracking_chatbot >"$DEVENV/i18n.log" 2>&1 \
    || { tail -20 "$DEVENV/i18n.log"; fail "export failed"; }
"$VENV/bin/python" - "$ROOT/i18n/fa.po" "$DEVENV/fa.po.before-export" <<'PY'
import sys
import polib
po = polib.pofile(sys.argv[1])
before = {e.msgid: e.msgstr for e in polib.pofile(sys.argv[2]) if e.msgstr}
for entry in po:
    if not entry.msgstr and entry.msgid in before:
        entry.msgstr = before[entry.msgid]
po.save(sys.argv[1])
missing = [e.msgid for e in po if not e.msgstr and not e.obsolete]
print(f"    {len(po)} terms, {len(missing)} without a Persian translation")
PY
dropdb --force "$DB"
