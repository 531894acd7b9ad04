"""Opening a database from a benchmark script, as ``odoo-bin`` would: the configuration file
and the database parsed into Odoo's config, then its registry. Shared by the benchmarks that
run the addon's code in-process (``bench_sync.py``, ``bench_notifications.py``,
``bench_reports.py``), with the command-line options that name them."""

import argparse
import os

DEFAULT_CONFIG = os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))), ".devenv", "odoo.conf"
)


def database_parser(doc):
    """An argument parser described by the first paragraph of ``doc``, with ``--db`` (required)
    and ``--config`` (this checkout's Odoo configuration)."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n", 1)[0])
    parser.add_argument("--db", required=True, help="database with the addon installed")
    parser.add_argument("--config", default=DEFAULT_CONFIG)
    return parser


def load_odoo(config, db):
    """``(odoo, registry)`` of ``db`` with the options of ``config`` (warnings only in the log).

    Odoo is imported here, after the caller has checked its arguments, as odoo-bin does.
    """
    import odoo
    from odoo.modules.registry import Registry
    from odoo.tools import config as odoo_config

    odoo_config.parse_config(["-c", config, "-d", db, "--log-level=warn"])
    return odoo, Registry(db)
