#!/usr/bin/env bash
# Builds (or reuses) everything needed to run this addon in a real Odoo 19 Community:
# system packages, Odoo itself (Debian unstable's odoo-19 package, extracted, never installed),
# a Python venv with Odoo's dependencies and the OCA addons, rtlcss for RTL languages, Chromium
# for browser tests, a PostgreSQL server and role, and an Odoo config file.
#
# Safe to run again: every step checks what is already there and skips it.
# Environment knobs: ODOO_SRC (use an existing Odoo source tree instead of downloading one),
# DEVENV (where to build, default <checkout>/.devenv), PGHOST/PGPORT/PGUSER.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=tools/lib.sh
source "$ROOT/tools/lib.sh"

mkdir -p "$DEVENV" "$CACHE"

need_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        fail "'$*' needs root: run as root or install sudo"
    fi
}

apt_updated=0
apt_install() {
    # Install the Debian packages that are missing, updating the package lists once.
    local missing=()
    for pkg in "$@"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ $apt_updated -eq 0 ]; then
        need_root apt-get update -qq || fail "apt-get update failed: check the machine's Debian mirror"
        apt_updated=1
    fi
    say "installing system packages: ${missing[*]}"
    need_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
        >"$DEVENV/apt.log" 2>&1 || { tail -20 "$DEVENV/apt.log"; fail "apt-get install ${missing[*]} failed (log: $DEVENV/apt.log)"; }
}

step "system packages"
apt_install ca-certificates curl python3 python3-venv python3-dev gcc make libmagic1 \
    libjs-jquery libjs-jquery-form libjs-underscore \
    fonts-font-awesome fonts-ocr-b fonts-inconsolata fonts-roboto-unhinted \
    chromium postgresql-client
# Node.js may come from elsewhere (e.g. NodeSource, which bundles npm): only ask Debian when missing.
command -v npm >/dev/null || apt_install nodejs npm

# ---------------------------------------------------------------------------------------------
sid_apt() {
    # apt-get against a private sources list for Debian unstable: the system's apt state is untouched.
    local dir="$CACHE/apt-sid"
    mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
    if [ ! -s "$dir/sources.list" ]; then
        local mirror
        mirror=$(grep -hoE '^(URIs:|deb) *\S+' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null \
            | grep -v security | awk '{print $2}' | head -1)
        [ -n "$mirror" ] || fail "no Debian mirror found in /etc/apt to fetch odoo-19 from; set ODOO_SRC to an Odoo 19 tree"
        echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror sid main" >"$dir/sources.list"
    fi
    apt-get -q -o Dir::Etc::sourcelist="$dir/sources.list" -o Dir::Etc::sourceparts=/dev/null \
        -o Dir::State::Lists="$dir/lists" -o Dir::Cache="$dir/cache" -o Debug::NoLocking=1 "$@"
}

sid_download() {
    # Download the newest .deb of package $1 from Debian unstable into the cache; print its path.
    local pkg="$1" deb
    deb=$(ls -t "$CACHE/debs/${pkg}"_*.deb 2>/dev/null | head -1 || true)
    if [ -z "$deb" ]; then
        mkdir -p "$CACHE/debs"
        if [ ! -e "$CACHE/apt-sid/.updated" ]; then
            sid_apt update >"$DEVENV/apt-sid.log" 2>&1 || { tail -5 "$DEVENV/apt-sid.log"; fail "could not read Debian unstable's package lists"; }
            touch "$CACHE/apt-sid/.updated"
        fi
        (cd "$CACHE/debs" && sid_apt download "$pkg" >>"$DEVENV/apt-sid.log" 2>&1) \
            || { tail -5 "$DEVENV/apt-sid.log"; fail "could not download $pkg from Debian unstable"; }
        deb=$(ls -t "$CACHE/debs/${pkg}"_*.deb | head -1)
    fi
    echo "$deb"
}

step "Odoo 19 Community"
if [ -n "${ODOO_SRC:-}" ]; then
    [ -f "$ODOO_SRC/odoo/release.py" ] || fail "ODOO_SRC=$ODOO_SRC does not hold an Odoo tree (no odoo/release.py)"
    say "using the Odoo tree at $ODOO_SRC"
    ODOO_PARENT="$ODOO_SRC"
elif [ -f "$DEVENV/odoo/usr/lib/python3/dist-packages/odoo/release.py" ]; then
    say "reusing $DEVENV/odoo"
    ODOO_PARENT="$DEVENV/odoo/usr/lib/python3/dist-packages"
else
    deb=$(sid_download odoo-19)
    say "extracting $(basename "$deb")"
    rm -rf "$DEVENV/odoo.tmp" && mkdir -p "$DEVENV/odoo.tmp"
    dpkg -x "$deb" "$DEVENV/odoo.tmp"
    ODOO_PARENT="$DEVENV/odoo.tmp/usr/lib/python3/dist-packages"
    # Montserrat is only in unstable; the web client's fonts link to it.
    if [ ! -d /usr/share/fonts/truetype/montserrat ] && [ ! -d /usr/share/fonts/opentype/montserrat ]; then
        mdeb=$(sid_download fonts-montserrat)
        need_root dpkg -x "$mdeb" /
    fi
    # A non-free file Debian removed but mail's assets still list: an empty placeholder keeps
    # every asset build from logging an ERROR (it only serves video-call background blur).
    selfie="$ODOO_PARENT/odoo/addons/mail/static/lib/selfie_segmentation/selfie_segmentation.js"
    mkdir -p "$(dirname "$selfie")" && [ -e "$selfie" ] || : >"$selfie"
    rm -rf "$DEVENV/odoo" && mv "$DEVENV/odoo.tmp" "$DEVENV/odoo"
    ODOO_PARENT="$DEVENV/odoo/usr/lib/python3/dist-packages"
fi
if [ -z "${ODOO_SRC:-}" ]; then
    # Debian links JS libraries and fonts to system packages with relative links that dangle once
    # extracted elsewhere: point each at the absolute /usr/share path it was meant to reach.
    dangling=0
    while IFS= read -r link; do
        target=$(readlink "$link")
        abs="/usr/${target##*../}"
        if [ -e "$abs" ]; then ln -sfn "$abs" "$link"; else dangling=$((dangling + 1)); say "unresolved: $link -> $target"; fi
    done < <(find "$DEVENV/odoo" -xtype l)
    [ "$dangling" -eq 0 ] || fail "$dangling links of the Odoo tree point nowhere (see above): web pages would fail"
fi

# ---------------------------------------------------------------------------------------------
step "Python virtual environment"
reqs_hash=$(cat "$ROOT"/tools/requirements-*.txt | sha1sum | cut -c1-12)
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV" || fail "python3 -m venv failed: install python3-venv"
fi
echo "$ODOO_PARENT" >"$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/odoo-src.pth"
if [ "$(cat "$VENV/.reqs" 2>/dev/null)" != "$reqs_hash" ]; then
    export PIP_CACHE_DIR="$CACHE/pip" PIP_DISABLE_PIP_VERSION_CHECK=1
    say "installing Odoo's Python dependencies (about a minute the first time)"
    "$VENV/bin/pip" install -q -r "$ROOT/tools/requirements-odoo.txt" -r "$ROOT/tools/requirements-dev.txt" \
        >"$DEVENV/pip.log" 2>&1 || { grep -v 'is ignored: it is neither' "$DEVENV/pip.log" | tail -20; fail "pip install of Odoo's dependencies failed (log: $DEVENV/pip.log)"; }
    say "installing OCA addons (helpdesk_mgmt, delivery_state)"
    "$VENV/bin/pip" install -q --no-deps -r "$ROOT/tools/requirements-oca.txt" >>"$DEVENV/pip.log" 2>&1 || fail "pip install of the OCA addons failed"
    # The odoo egg-info asks for PyPDF2, which makes Odoo 19 refuse to start: keep it out.
    "$VENV/bin/pip" uninstall -q -y PyPDF2 >/dev/null 2>&1 || true
    echo "$reqs_hash" >"$VENV/.reqs"
else
    say "reusing $VENV"
fi
"$VENV/bin/python" -c "import odoo.release as r; assert r.version_info[0] == 19, r.version" \
    || fail "the venv does not import Odoo 19"

# ---------------------------------------------------------------------------------------------
step "rtlcss (right-to-left CSS for Persian)"
if [ ! -x "$DEVENV/node/node_modules/.bin/rtlcss" ]; then
    mkdir -p "$DEVENV/node"
    (cd "$DEVENV/node" && npm install --silent --no-audit --no-fund --prefix . rtlcss@4 >/dev/null 2>&1) \
        || fail "npm install rtlcss failed"
fi
say "$("$DEVENV/node/node_modules/.bin/rtlcss" --version 2>/dev/null | head -1 || echo rtlcss) ready"

# ---------------------------------------------------------------------------------------------
step "PostgreSQL"
if ! pg_isready -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null; then
    if ! command -v pg_lsclusters >/dev/null || [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
        apt_install postgresql
    fi
    read -r ver name _ < <(pg_lsclusters -h | head -1)
    say "starting PostgreSQL cluster $ver/$name"
    need_root pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start 2>/dev/null \
        || need_root pg_ctlcluster "$ver" "$name" start || fail "could not start PostgreSQL $ver/$name"
    for _ in $(seq 1 30); do pg_isready -q -h "$PGHOST" -p "$PGPORT" && break; sleep 1; done
    pg_isready -q -h "$PGHOST" -p "$PGPORT" || fail "PostgreSQL does not answer on $PGHOST:$PGPORT"
fi
if ! psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -tAc 'select 1' >/dev/null 2>&1; then
    say "creating the PostgreSQL role $PGUSER"
    # As the postgres superuser over the local socket; our PG* variables name the role to create.
    create_role="CREATE ROLE \"$PGUSER\" LOGIN SUPERUSER PASSWORD '$PGPASSWORD'"
    as_postgres=(sudo -u postgres)
    [ "$(id -u)" -eq 0 ] && as_postgres=(runuser -u postgres --)
    "${as_postgres[@]}" env -u PGHOST -u PGUSER -u PGPASSWORD -u PGDATABASE \
        psql -p "$PGPORT" -d postgres -qc "$create_role" || fail "could not create the role $PGUSER"
    psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -tAc 'select 1' >/dev/null 2>&1 \
        || fail "PostgreSQL refuses $PGUSER on $PGHOST:$PGPORT (check pg_hba.conf allows password or trust auth)"
fi
say "PostgreSQL answers on $PGHOST:$PGPORT as $PGUSER"

# ---------------------------------------------------------------------------------------------
step "Odoo configuration"
mkdir -p "$DEVENV/addons" "$ODOO_DATA"
# Odoo finds an addon by its folder name and the checkout may be called anything, so the addon
# folder is made of links to the checkout's entries. Not one link to the checkout itself: that
# would contain .devenv again, and tools that follow links (i18n export) would loop forever.
addon_dir="$DEVENV/addons/order_tracking_chatbot"
[ -L "$addon_dir" ] && rm -f "$addon_dir"
mkdir -p "$addon_dir"
# Only broken links are removed and only missing ones made: a test run started meanwhile from the
# same checkout never sees a link vanish.
find "$addon_dir" -maxdepth 1 -xtype l -delete
for entry in "$ROOT"/* "$ROOT"/.pylintrc-mandatory "$ROOT"/.ruff.toml; do
    link="$addon_dir/$(basename "$entry")"
    [ -e "$entry" ] && [ "$(readlink "$link" 2>/dev/null)" != "$entry" ] && ln -sfn "$entry" "$link"
done
cat >"$ODOO_CONF" <<EOF
[options]
addons_path = $ODOO_PARENT/odoo/addons,$DEVENV/addons
data_dir = $ODOO_DATA
db_host = $PGHOST
db_port = $PGPORT
db_user = $PGUSER
db_password = $PGPASSWORD
http_interface = 127.0.0.1
http_port = $ODOO_PORT
list_db = False
EOF
say "wrote $ODOO_CONF"
