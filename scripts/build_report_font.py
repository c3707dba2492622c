"""Build the font the monthly report PDF embeds: dashboard/fonts/NotoSansSC-Report.ttf.

The report must read the same on a PC with no Chinese font installed, so the PDF embeds its
font. ReportLab embeds TrueType outlines only, and Noto Sans CJK is published as CFF (.otf /
.ttc), so this script takes the Simplified Chinese face of Noto Sans CJK, keeps the
characters a report prints (ASCII and Latin-1, general and CJK punctuation, full-width
forms, the GBK Chinese characters: GB 2312 and the rarer ones found in names) and converts
the cubic CFF outlines to quadratic TrueType ones. The result is committed, so neither the
application nor CI needs this script, fontTools or a system font package.

Run once, on a machine with Debian's fonts-noto-cjk and fontTools (``pip install
fonttools``):

    python scripts/build_report_font.py /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

Noto Sans CJK is under the SIL Open Font License 1.1 (dashboard/fonts/OFL.txt); a subset is
a Modified Version, which the licence allows as long as it keeps the licence and does not
use the reserved name alone (ours is "Noto Sans SC Report").
"""

import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, newTable

OUT = Path(__file__).resolve().parent.parent / "dashboard" / "fonts" / "NotoSansSC-Report.ttf"
FAMILY = "Noto Sans SC Report"
RANGES = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1: ·, ×, ÷, ±
    (0x2000, 0x206F),  # general punctuation: —, …, ‰, “ ”
    (0x2100, 0x215F),  # letterlike: ℃, №
    (0x2190, 0x21FF),  # arrows
    (0x2460, 0x24FF),  # circled numbers
    (0x2500, 0x25FF),  # box drawing, geometric shapes: ■ □ ▲ ○
    (0x3000, 0x303F),  # CJK punctuation: 、。《》「」【】
    (0xFF00, 0xFFEF),  # full-width forms: （）：；，％
]


def gbk_characters() -> set[int]:
    """Every character GBK encodes: GB 2312 plus the rarer characters of names."""
    found = set()
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            try:
                found.add(ord(bytes([lead, trail]).decode("gbk")))
            except UnicodeDecodeError:
                continue
    return found


def to_truetype(font) -> None:
    """Replace the CFF outlines by quadratic glyf ones (after fontTools' otf2ttf snippet)."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():
        width, _lsb = hmtx.metrics[name]
        hmtx.metrics[name] = (width, getattr(glyph, "xMin", 0))
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attribute in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, attribute, 0)
    maxp.maxZones = 1
    font["maxp"] = maxp
    font["post"].formatType = 3.0
    font.sfntVersion = "\0\1\0\0"


def rename(font) -> None:
    names = font["name"]
    for record in list(names.names):
        if record.nameID in (1, 3, 4, 16):
            names.setName(FAMILY, record.nameID, record.platformID, record.platEncID, record.langID)
        elif record.nameID == 6:
            names.setName(FAMILY.replace(" ", ""), 6, record.platformID, record.platEncID, record.langID)


def main(ttc_path: str) -> int:
    collection = TTCollection(ttc_path)
    font = next(f for f in collection.fonts if f["name"].getDebugName(1) == "Noto Sans CJK SC")
    options = subset.Options()
    options.layout_features = []
    options.drop_tables += ["vhea", "vmtx", "VORG", "GSUB", "GPOS", "GDEF", "BASE", "DSIG"]
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14, 16, 17]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    unicodes = gbk_characters()
    for low, high in RANGES:
        unicodes.update(range(low, high + 1))
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    to_truetype(font)
    rename(font)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    font.save(OUT)
    print(f"{OUT}: {OUT.stat().st_size / 1e6:.1f} MB, {len(font.getGlyphOrder())} glyphs")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
