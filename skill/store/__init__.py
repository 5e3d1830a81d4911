"""Where the skill remembers a person between sessions (ask-sdk persistence adapters).

Importing this package loads nothing: the core reads :mod:`skill.store.values` and must not pull
in the SDK through the adapters (tests/test_architecture.py). Import each from its module:
``skill.store.sqlite``, ``skill.store.safe``, ``skill.store.factory`` (boto3 and the DynamoDB
adapter only when ``CRAMP_COACH_DB`` asks for ``dynamodb:TABLE``), ``skill.store.keys``.
"""
