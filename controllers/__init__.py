"""Public HTTP routes of the addon."""
