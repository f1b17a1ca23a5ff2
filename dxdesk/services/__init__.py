"""The application's services over the local store: one facade per area, search, know-who and
the analysis figures, gathered by ``workspace.Workspace`` for the UI and the CLI."""
