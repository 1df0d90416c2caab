"""`python -m gqrec`: the same command line as the `gqrec` script, where no script is on the PATH."""

from .cli import main

main()
