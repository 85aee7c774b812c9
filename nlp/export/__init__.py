"""Export: the store's contents in formats other tools read.

:mod:`nlp.export.ftm` writes FollowTheMoney entities (Aleph, OpenSanctions,
nomenklatura, yente); ``sanctions export`` is in :mod:`nlp.export.commands`.
"""
