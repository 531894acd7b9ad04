"""Order Tracking Chatbot: answers "where is my order?" on an Odoo 19 website."""

from . import controllers, models
