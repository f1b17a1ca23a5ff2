"""The local store itself: its tables, opening and migrating it, its backups."""
