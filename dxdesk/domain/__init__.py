"""Pure rules of the programme: municipality codes, fiscal years, the assessment catalog,
scoring and the support-level suggestion.

Nothing here imports Qt, SQLAlchemy or the store; only the standard library and the bundled
data files (``dxdesk.resources``).
"""
