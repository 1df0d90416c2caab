"""`python -m gqrec`: the same command line as the `gqrec` script, where no script is on the PATH."""

from .cli import main

if __name__ == "__main__":  # not when a tool imports every module of the package
    main()
