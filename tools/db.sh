#!/usr/bin/env bash
# Database helpers for demo.sh and test.sh (sourced, not run).
#
# Installing this addon's dependencies (website_sale, stock, helpdesk, ...) with demo data and the
# Persian language takes minutes, so that state is kept once per machine as a template database,
# named after a hash of everything that shapes it; new databases are copies of it plus the addon.

dependency_template_name() {
    local deps_hash
    deps_hash=$(
        {
            "$VENV/bin/python" -c "import ast; print(sorted(ast.literal_eval(open('$ROOT/__manifest__.py').read())['depends']))"
            cat "$ROOT"/tools/requirements-*.txt
            "$VENV/bin/python" -c "import odoo.release as r; print(r.serie, r.version)"
            echo "recipe 2: english database, persian loaded afterwards"
        } | sha1sum | cut -c1-10
    )
    echo "ot_template_$deps_hash"
}

db_exists() {
    [ "$(psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'")" = "1" ]
}

module_installed() {
    db_exists "$1" && [ "$(psql -d "$1" -tAc "SELECT state FROM ir_module_module WHERE name = '$2'" 2>/dev/null)" = "installed" ]
}

check_log_clean() {
    # Fail when Odoo logged an ERROR or CRITICAL line (its own log format: "<date> <pid> ERROR ...").
    local log="$1" what="$2"
    if grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' "$log" >/dev/null; then
        grep -E -A8 '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' "$log" | head -60
        fail "$what logged errors (full log: $log)"
    fi
}

ensure_dependency_template() {
    # Create the template database with every dependency, demo data and Persian, once per machine.
    local tpl
    tpl=$(dependency_template_name)
    # Several test runs may start at once: one builds the template, the others wait for it.
    exec 9>"$CACHE/template.lock"
    flock 9
    if db_exists "$tpl" && [ -d "$ODOO_DATA/filestore/$tpl" ]; then
        flock -u 9
        say "reusing the dependency template database $tpl" >&2
        echo "$tpl"
        return
    fi
    db_exists "$tpl" && dropdb "$tpl"
    db_exists "$tpl.tmp" && dropdb "$tpl.tmp"
    rm -rf "$ODOO_DATA/filestore/$tpl" "$ODOO_DATA/filestore/$tpl.tmp"
    local deps
    deps=$("$VENV/bin/python" -c "import ast; print(','.join(ast.literal_eval(open('$ROOT/__manifest__.py').read())['depends']))")
    say "creating the template database $tpl with $deps, demo data and Persian (about 4 minutes, once)" >&2
    # English first (the database's base language), then Persian as a second language.
    { odoo_bin -d "$tpl.tmp" -i "$deps" --with-demo --stop-after-init --log-level=warn \
        && odoo_bin -d "$tpl.tmp" --load-language=fa_IR --stop-after-init --log-level=warn; } \
        >"$DEVENV/template.log" 2>&1 || {
        tail -30 "$DEVENV/template.log" >&2
        fail "installing Odoo's modules into $tpl failed (log: $DEVENV/template.log)"
    }
    check_log_clean "$DEVENV/template.log" "creating the template database"
    psql -d postgres -qc "ALTER DATABASE \"$tpl.tmp\" RENAME TO \"$tpl\""
    mv "$ODOO_DATA/filestore/$tpl.tmp" "$ODOO_DATA/filestore/$tpl"
    flock -u 9
    echo "$tpl"
}

copy_database() {
    # Copy database $1 (and its filestore) to $2, replacing $2.
    local src="$1" dst="$2"
    db_exists "$dst" && dropdb --force "$dst"
    createdb -T "$src" "$dst" || fail "could not copy database $src to $dst"
    rm -rf "$ODOO_DATA/filestore/$dst"
    if [ -d "$ODOO_DATA/filestore/$src" ]; then
        cp -a "$ODOO_DATA/filestore/$src" "$ODOO_DATA/filestore/$dst"
    fi
}

install_addon() {
    # Install this addon (with its demo data) into database $1, failing on any logged error.
    local db="$1" log="$DEVENV/install-$1.log"
    odoo_bin -d "$db" -i order_tracking_chatbot --with-demo --stop-after-init --log-level=info >"$log" 2>&1 || {
        tail -40 "$log"
        fail "installing order_tracking_chatbot into $db failed (log: $log)"
    }
    check_log_clean "$log" "installing order_tracking_chatbot"
}
