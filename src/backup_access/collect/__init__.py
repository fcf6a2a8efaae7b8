"""The only code that talks to AWS: read-only collection of a world through boto3.

Nothing here is imported by the core (``policy``, ``conditions``, ``engine``, ``catalogue``,
``diagnose``, ``fix``); the CLI imports it only for the commands that need AWS, so that
``backup-access --help`` does not pay for importing boto3.
"""
