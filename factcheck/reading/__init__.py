"""Reading sources: page furniture, metadata, outlets and language, one small module each.

Nothing here imports trafilatura, lxml or the language detector at module level: a user error
(a missing file) is reported before any of them loads.
"""
