"""19.0.1.2.0: the carrier event source "manual" is gone (nothing ever wrote it).

Should a database hold such an event anyway (written by hand or by a script), it becomes "poll",
the default, before the ORM drops the value from the selection, so no row is left with a value
the field no longer knows.
"""

from odoo.tools import SQL


def migrate(cr, version):
    cr.execute(SQL("UPDATE order_tracking_event SET source = 'poll' WHERE source = 'manual'"))
