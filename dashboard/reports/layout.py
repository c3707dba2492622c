"""Column widths that make a table fit the page: numbers never wrap, text and headers wrap
when the natural widths are too wide (the widest columns first), and a table narrower than
the page is widened to it."""

from reportlab.pdfbase.pdfmetrics import stringWidth

PADDING = 8  # left + right cell padding (4 + 4, as in the PDF's table style)
TEXT_MIN_CHARACTERS = 5  # a wrapped text column keeps at least this many Chinese characters a line
HEADER_MIN_CHARACTERS = 3


def _width(text: str, font: str, size: float) -> float:
    return stringWidth(text, font, size)


def _longest_word(text: str, font: str, size: float) -> float:
    """The widest piece that cannot be broken: a Latin word or number (Chinese breaks anywhere)."""
    words = text.split() or [""]
    return max(_width(word, font, size) if word.isascii() else 0 for word in words)


def column_widths(
    headers: list[str],
    rows: list[list[str]],
    numeric: list[bool],
    available: float,
    *,
    font: str,
    size: float,
    force: bool = False,
) -> list[float] | None:
    """Widths summing to ``available``, or None when the table cannot fit even wrapped (unless
    ``force``: then every column gets its share, the last resort)."""
    columns = list(zip(*rows, strict=False)) if rows else [()] * len(headers)
    natural, minimum = [], []
    for header, cells, is_number in zip(headers, columns, numeric, strict=False):
        widest_cell = max((_width(text, font, size) for text in cells), default=0)
        header_width = _width(header, font, size)
        natural.append(max(widest_cell, header_width) + PADDING)
        header_min = max(min(header_width, HEADER_MIN_CHARACTERS * size), _longest_word(header, font, size))
        if is_number:
            cell_min = widest_cell
        else:
            longest_word = max((_longest_word(text, font, size) for text in cells), default=0)
            cell_min = max(min(widest_cell, TEXT_MIN_CHARACTERS * size), longest_word)
        minimum.append(max(header_min, cell_min) + PADDING)
    total = sum(natural)
    if total <= available:
        return [width + (available - total) * width / total for width in natural]
    floor = sum(minimum)
    if floor > available:
        if not force:
            return None
        return [available * width / floor for width in minimum]
    return _share(minimum, natural, available)


def _share(minimum: list[float], natural: list[float], available: float) -> list[float]:
    """Fair shares: find the cap under which every column gets its natural width, and wider
    columns (long text) get the cap, never less than their minimum (found by bisection)."""
    low, high = 0.0, max(natural)
    for _step in range(40):
        cap = (low + high) / 2
        used = sum(max(least, min(most, cap)) for least, most in zip(minimum, natural, strict=True))
        low, high = (cap, high) if used <= available else (low, cap)
    return [max(least, min(most, low)) for least, most in zip(minimum, natural, strict=True)]
