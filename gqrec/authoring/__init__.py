"""Writing records rather than checking them: a new records repository (`init`), record skeletons
(`new`), and formatting that keeps every comment (`fmt`). The command module only calls these."""

from ..errors import UsageError



class AuthoringError(UsageError):
    """A request gqrec refuses (file already there, unknown group, bad identifier), in French."""
