"""python -m glocal: the same as the glocal command."""

from .cli import main

main(prog_name="glocal")
