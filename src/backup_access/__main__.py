"""``python -m backup_access``."""

from backup_access.cli import main

main()
