"""Odoo's command line, as a script file: the one way this project starts Odoo.

Odoo's multi-worker (prefork) server starts its websocket worker by running
``[sys.executable, sys.argv[0], "gevent", ...]`` again. Started as ``python -m odoo``,
``sys.argv[0]`` is ``odoo/__main__.py``, which cannot run as a script ("attempted relative import
with no known parent package"): the websocket worker dies at once, the master respawns it several
times a second, a core burns, and live chat and every real-time notification are dead.
Running this file instead (``<venv>/bin/python tools/odoo_launcher.py -c odoo.conf ...``) gives
Odoo a script it can re-run, exactly as Debian's ``/usr/bin/odoo`` or Odoo's ``odoo-bin`` do.
"""

from odoo.cli.command import main

if __name__ == "__main__":
    main()
