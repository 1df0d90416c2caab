"""gqrec: the records of the Groupes Qualité as plain text in git, checked against the cahier des charges."""

__version__ = "0.1.0"
