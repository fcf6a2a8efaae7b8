"""Fix generators: one module per kind of cause, each defining ``GENERATOR``
(``backup_access.fix.registry``)."""
