"""How the addon reads a secret (a carrier's API key, an SMS gateway's password): one rule for
every provider, so an operator learns it once.

The environment variable named after the field in upper case (``OT_TIPAX_API_KEY``,
``OT_SMS_PASSWORD``) wins over the stored value, so a shop can keep secrets out of the database.
Stored secrets are system-group fields; they are read as superuser because the code that needs
them (a chat visitor's SMS, the carrier sync, a webhook) runs for users who may not read them.
Never log a credential or return it to a browser.
"""

import os


def read_credential(record, field_name):
    """The credential ``field_name`` of ``record`` (one record): its environment variable when
    set, else the stored value, else None."""
    record.ensure_one()
    from_env = os.environ.get(field_name.upper())
    if from_env:
        return from_env
    # sudo: <record's model> - credentials are system-group fields used server-side (see above)
    return record.sudo()[field_name] or None
