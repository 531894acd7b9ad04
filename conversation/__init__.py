"""Conversation logic of the order-tracking chatbot, in plain Python (no Odoo import).

- :mod:`.normalize`: Persian/Arabic text and Iranian mobile normalisation, masking, language.
- :mod:`.entities`: order refs, mobiles, tracking codes, cities, OTPs in free text.
- :mod:`.intents`: rule-based intent classification.
- :mod:`.replies`: the bilingual reply catalogue.
- :mod:`.backend`: the data contract the caller implements (``Backend`` protocol, views).
- :mod:`.policy`: the dialogue state machine (``Policy.handle``), with its flows in
  :mod:`.verification`, :mod:`.escalation` and :mod:`.shipping`, disclosure rules in
  :mod:`.disclosure`, state schema in :mod:`.state`, results in :mod:`.turn` and button
  actions in :mod:`.actions`.
- :mod:`.otp`: one-time code generation, hashing and send/check rules (used by the Odoo model).
"""
