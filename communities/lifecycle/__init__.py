"""The life of a community after its founding: merge, split, dissolve, rename, undo.

Models in `models.py` (imported by communities.models so Django finds them),
writes in `services.py`, reads in `selectors.py`. Everything it does to
community-owned rows it learns from their ownership policies
(communities.ownership); it imports no feature app.
"""
