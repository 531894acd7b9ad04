"""Opening a database from a benchmark script, as ``odoo-bin`` would: the configuration file
and the database parsed into Odoo's config, then its registry. Shared by the benchmarks that
run the addon's code in-process (``bench_sync.py``, ``bench_notifications.py``)."""


def load_odoo(config, db):
    """``(odoo, registry)`` of ``db`` with the options of ``config`` (warnings only in the log).

    Odoo is imported here, after the caller has checked its arguments, as odoo-bin does.
    """
    import odoo
    from odoo.modules.registry import Registry
    from odoo.tools import config as odoo_config

    odoo_config.parse_config(["-c", config, "-d", db, "--log-level=warn"])
    return odoo, Registry(db)
