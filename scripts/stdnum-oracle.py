#!/usr/bin/env python3
"""python-stdnum as an oracle for the identity rules.

Reads JSON lines `["ci" | "ruc", "<input>"]` on stdin and writes one line per input: `ok` or the
stdnum exception class (InvalidLength, InvalidFormat, InvalidComponent, InvalidChecksum).
With --char-table, prints src/domain/identity/stdnum_chars.rs instead.
"""
import json
import sys

from stdnum.ec import ci, ruc
from stdnum.exceptions import ValidationError


def verdict(module, number):
    try:
        module.validate(number)
        return "ok"
    except ValidationError as error:
        return type(error).__name__


def char_table():
    from stdnum.util import _char_map
    rows = sorted((ord(k), v) for k, v in _char_map.items()
                  if ord(k) > 0x7f and (v in " -" or v.isdigit()))
    print("//! Non-ASCII characters that python-stdnum 2.2 (`stdnum.util._char_map`) folds before validating")
    print("//! an Ecuadorian number: space and dash variants (then removed) and digit variants (fullwidth,")
    print("//! mathematical). Generated from the installed package, so strict validation sees exactly what")
    print("//! stdnum sees; `scripts/stdnum-oracle.py --char-table` regenerates it.")
    print()
    print("/// What a folded character becomes: `None` is removed (space or dash), `Some(b'7')` a digit.")
    print("/// Sorted by code point for binary search.")
    print("pub(super) const FOLDED_CHARS: &[(char, Option<u8>)] = &[")
    for cp, v in rows:
        target = "None" if v in " -" else "Some(b'%s')" % v
        print("    ('\\u{%x}', %s)," % (cp, target))
    print("];")


def main():
    if "--char-table" in sys.argv:
        char_table()
        return
    modules = {"ci": ci, "ruc": ruc}
    out = sys.stdout
    for line in sys.stdin:
        kind, number = json.loads(line)
        out.write(verdict(modules[kind], number) + "\n")


if __name__ == "__main__":
    main()
