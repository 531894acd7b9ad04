"""Iranian SMS gateway clients: plain Python (stdlib + requests), no Odoo import.

One module per provider (Kavenegar, SMS.ir, Ghasedak, Melipayamak, IPPanel Edge/FarazSMS),
all filling ``base.SmsGateway``; ``GATEWAYS`` maps the names the Odoo layer stores
(``res.company.ot_sms_provider``) to their classes. HTTP goes through the carriers' one HTTP
path (``carriers.http.HttpMixin``): explicit timeouts, typed errors, secrets redacted.
"""

from .ghasedak import GhasedakGateway
from .ippanel import IppanelGateway
from .kavenegar import KavenegarGateway
from .melipayamak import MelipayamakGateway
from .smsir import SmsIrGateway

GATEWAYS = {
    cls.name: cls
    for cls in (
        KavenegarGateway,
        SmsIrGateway,
        GhasedakGateway,
        MelipayamakGateway,
        IppanelGateway,
    )
}


def get_gateway_class(name):
    """The client class for ``name``; ``KeyError`` for a name that is not a gateway."""
    return GATEWAYS[name]
