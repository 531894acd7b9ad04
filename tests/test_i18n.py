"""Every translatable term of the addon has a Persian translation with the same placeholders.

The terms come from Odoo's own exporter run on the installed addon (Python `_()` calls, views,
data, JS `_t()`), so a new string without a Persian translation fails this test; run
`bash tools/i18n.sh` and translate the empty entries of i18n/fa.po.
"""

import io
import re
from pathlib import Path

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import trans_export

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w+\}")
PO_FILE = Path(__file__).resolve().parent.parent / "i18n" / "fa.po"


@tagged("post_install", "-at_install")
class TestPersianTranslations(TransactionCase):
    def _exported_terms(self):
        buffer = io.BytesIO()
        trans_export(None, ["order_tracking_chatbot"], buffer, "po", self.env)
        return {entry.msgid for entry in polib.pofile(buffer.getvalue().decode()) if entry.msgid}

    def test_every_term_is_translated(self):
        catalogue = {e.msgid: e.msgstr for e in polib.pofile(str(PO_FILE)) if not e.obsolete}
        terms = self._exported_terms()
        self.assertGreater(len(terms), 100, "the exporter found the addon's terms")
        missing = sorted(term for term in terms if not catalogue.get(term))
        self.assertFalse(missing, f"{len(missing)} terms without Persian, e.g. {missing[:5]}")

    def test_placeholders_are_kept(self):
        for entry in polib.pofile(str(PO_FILE)):
            if not entry.msgstr:
                continue
            with self.subTest(msgid=entry.msgid[:60]):
                self.assertEqual(
                    sorted(PLACEHOLDER.findall(entry.msgid)),
                    sorted(PLACEHOLDER.findall(entry.msgstr)),
                )

    def test_persian_letters_not_arabic(self):
        for entry in polib.pofile(str(PO_FILE)):
            with self.subTest(msgid=entry.msgid[:60]):
                self.assertNotRegex(entry.msgstr, "[\u064a\u0643]", "use Persian ی and ک")
