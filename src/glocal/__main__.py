"""python -m glocal: the same as the glocal command."""

from .cli import main

if __name__ == "__main__":  # not when a query worker process (multiprocessing spawn) imports it
    main(prog_name="glocal")
