"""The two ways a ./dev command ends early."""

from .ui import Fatal


class UsageError(Fatal):
    """The command line is wrong: exit status 2, with a pointer to the help."""

    def __init__(self, message: str):
        super().__init__(message, status=2)


__all__ = ["Fatal", "UsageError"]
