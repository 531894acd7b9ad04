"""pytest plugin: import this checkout's tests as ``odoo.addons.order_tracking_chatbot.*``.

The repository root is the addon, but a clone may be named anything (``main``, ``fresh``...).
pytest names test modules after the folder that holds them, and pytest-odoo only prefixes that
name with ``odoo.addons.``; this maps the checkout's folder name to the addon's real name.
"""

from pathlib import Path

import _pytest.pathlib

ADDON = "order_tracking_chatbot"
CHECKOUT = Path(__file__).resolve().parent.parent


def pytest_collection(session):
    resolve = _pytest.pathlib.resolve_pkg_root_and_module_name
    if getattr(resolve, "_ot_wrapped", False):
        return

    def resolve_with_addon_name(path, *, consider_namespace_packages=False):
        pkg_root, module_name = resolve(
            path, consider_namespace_packages=consider_namespace_packages
        )
        prefix = f"odoo.addons.{CHECKOUT.name}"
        if (
            CHECKOUT.name != ADDON
            and Path(path).resolve().is_relative_to(CHECKOUT)
            and (module_name == prefix or module_name.startswith(prefix + "."))
        ):
            module_name = f"odoo.addons.{ADDON}" + module_name[len(prefix) :]
        return pkg_root, module_name

    resolve_with_addon_name._ot_wrapped = True
    _pytest.pathlib.resolve_pkg_root_and_module_name = resolve_with_addon_name
