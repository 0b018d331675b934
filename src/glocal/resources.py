"""Where the ontology, curated data and stored queries live.

An installed package carries them as package data (``glocal/_files``); a source checkout
reads them from the top-level folders, so edits there take effect without reinstalling.
"""

from pathlib import Path

_PACKAGED = Path(__file__).parent / "_files"
_CHECKOUT = Path(__file__).resolve().parents[2]


def _folder(name: str) -> Path:
    for root in (_PACKAGED, _CHECKOUT):
        if (root / name).is_dir():
            return root / name
    raise FileNotFoundError(f"glocal: the '{name}' folder is missing from the installation")


def ontology_dir() -> Path:
    """The folder holding glocal.ttl, themes.ttl and shapes.ttl."""
    return _folder("ontology")


def data_dir() -> Path:
    """The folder holding the curated data files."""
    return _folder("data")


def queries_dir() -> Path:
    """The folder holding the stored queries (``*.rq``)."""
    return _folder("queries")
