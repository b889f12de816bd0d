"""Check a submission's timestamp.txt before nbgrader reads it.

nbgrader reads the file with the locale's encoding and parses it with
``parse_utc``; a file it cannot parse stops that submission with no grade
at all. A timestamp that passes here is one nbgrader parses: the same
function reads it, on text that is short, printable ASCII, and names its
time zone as a zone, not as a path.
"""
import re

from nbgrader.utils import parse_utc

PRINTABLE = re.compile(r"[ -~]*")
ZONE = re.compile(r"[A-Za-z0-9_+\-]+(?:/[A-Za-z0-9_+\-]+)*")


def problem(data, limit):
    """Why nbgrader could not use ``data`` as a submission time, or None."""
    if len(data) > limit:
        return f"is {len(data)} bytes long, more than a timestamp's {limit}"
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError:
        return "holds characters other than plain ASCII"
    text = text.strip()
    if not text:
        return None  # nbgrader grades an empty one as "no submission time", with a warning
    if not PRINTABLE.fullmatch(text):
        return "holds control characters"
    parts = text.split(" ")
    # parse_utc looks a third word up as a time zone file: it must be a zone name, not a path
    if len(parts) == 3 and not (ZONE.fullmatch(parts[2]) and ".." not in parts[2]):
        return f"names {parts[2]!r} as its time zone"
    try:
        parse_utc(text)
    except Exception as error:
        return f"is not a time nbgrader can read ({type(error).__name__}: {str(error)[:80]})"
    return None
