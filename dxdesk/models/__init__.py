"""The local store: tables, migrations, and one facade per area for the UI and the CLI."""
