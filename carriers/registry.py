"""Provider name → client class, so callers dispatch by name instead of if/elif chains.

The names are the values the Odoo layer stores (``delivery.carrier`` tracking
provider) and the keys ``pool.fetch_many`` reports results under.
"""

from ..exceptions import PermanentError
from .aftership import AfterShipClient
from .chapar import ChaparClient
from .postex import PostexClient
from .simulated import SimulatedClient
from .tapin import TapinClient
from .tipax import TipaxClient
from .webhook import SignedWebhookClient

_CLIENTS = {}


def register(client_class):
    """Add a client class under its ``name``; usable as a class decorator."""
    if not client_class.name:
        raise ValueError(f"{client_class.__name__} has no name")
    if _CLIENTS.get(client_class.name, client_class) is not client_class:
        raise ValueError(f"provider {client_class.name!r} is already registered")
    _CLIENTS[client_class.name] = client_class
    return client_class


for _client_class in (
    AfterShipClient,
    TipaxClient,
    ChaparClient,
    PostexClient,
    TapinClient,
    SimulatedClient,
    SignedWebhookClient,
):
    register(_client_class)


def providers():
    """Registered provider names, sorted."""
    return tuple(sorted(_CLIENTS))


def get_client_class(name):
    """The client class for ``name``; ``PermanentError`` for an unknown provider."""
    try:
        return _CLIENTS[name]
    except KeyError:
        raise PermanentError(f"unknown tracking provider {name!r}") from None


def create_client(name, **options):
    """Instantiate the client for ``name`` with its constructor ``options``."""
    return get_client_class(name)(**options)
