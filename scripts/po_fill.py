"""Fill translations into a .po file and compile it.

Usage: python scripts/po_fill.py APP/locale/zh_Hans/LC_MESSAGES/django.po MAPPING.json

MAPPING.json maps each English msgid to its Chinese text. Entries already translated are
kept unless the mapping names them; the .mo beside the .po is written afterwards, so no
GNU gettext is needed. Prints the msgids still untranslated.
"""

import json
import sys

import polib


def main(po_path: str, mapping_path: str) -> int:
    with open(mapping_path, encoding="utf-8") as handle:
        mapping = json.load(handle)
    po = polib.pofile(po_path)
    for entry in po:
        if entry.msgid in mapping:
            value = mapping[entry.msgid]
            if entry.msgid_plural:
                entry.msgstr_plural = {0: value}
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.metadata["Language"] = "zh_Hans"
    po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    po.save()
    po.save_as_mofile(po_path[:-3] + ".mo")
    missing = [entry.msgid for entry in po if not entry.translated() and not entry.obsolete]
    for msgid in missing:
        print("untranslated:", msgid)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
