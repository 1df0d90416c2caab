"""The one family of errors gqrec raises on purpose, each with a French message for the user.

Three kinds, and only the command line turns them into exit statuses (see `cli`): a `UsageError` is a
request gqrec refuses or cannot understand (2), a `RecordsError` is a request the records cannot satisfy
(1, like a check with errors), an `InternalError` is a bug of gqrec's own (3). Malformed files are never
errors: they are findings.
"""

from __future__ import annotations


class GqrecError(Exception):
    """Something gqrec reports in one French sentence rather than a traceback."""


class UsageError(GqrecError):
    """A request gqrec refuses or cannot understand: unknown option value, region, revision…"""


class RecordsError(GqrecError):
    """A well-formed request the records cannot satisfy (no data for the period, say)."""


class InternalError(GqrecError):
    """A state gqrec should never reach: a bug, said plainly."""
