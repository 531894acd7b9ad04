"""Public HTTP routes of the addon."""

from . import api
from . import page
from . import faq
from . import webhook
from . import address_completion
from . import sms_gateway
from . import notification
from . import messenger
