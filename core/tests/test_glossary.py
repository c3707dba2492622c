"""The words of the Chinese UI: core/glossary.py rules terms out, docs/glossary.md explains
them, and every catalog and every page rendered in Chinese is checked against both."""

import re

import polib
import pytest
from django.utils import translation
from django.utils.translation import gettext, pgettext

from core.glossary import ALLOWED_ASCII_WORDS, BANNED
from core.tests.imports import ROOT
from core.tests.pages import rendered_pages

CATALOGS = sorted(ROOT.glob("*/locale/zh_Hans/LC_MESSAGES/django.po")) + [
    ROOT / "locale/zh_Hans/LC_MESSAGES/django.po"
]
# The page parts a reader takes as the interface: headings, table heads, buttons, labels, menus.
CHROME = re.compile(
    r"(?is)<(h[1-6]|th|button|label|legend|caption|title)\b[^>]*>(.*?)</\1>"
    r"|<a\b[^>]*class=\"[^\"]*(?:nav-link|dropdown-item|navbar-brand|btn)[^\"]*\"[^>]*>(.*?)</a>"
)
# Free text the access registry's builders type in (security/tests/registry.py: a violation
# "late check", a problem "late checks"): data shown in a heading, not interface words.
REGISTRY_DATA_WORDS = frozenset({"late", "check", "checks"})
ASCII_WORD = re.compile(r"(?<![\w/.@-])[A-Za-z][A-Za-z']+(?![\w/.@-])")


def _entries():
    for path in CATALOGS:
        for entry in polib.pofile(str(path)):
            if entry.msgstr and not entry.obsolete:
                yield path.relative_to(ROOT), entry


def _allowed_in_catalog(rule, entry) -> bool:
    return entry.msgctxt in rule.allowed_contexts or entry.msgid in rule.allowed_msgids


def test_no_catalog_uses_a_term_the_glossary_rules_out():
    found = [
        f"{path}: {entry.msgid!r} → {entry.msgstr} (say {rule.preferred}: {rule.why})"
        for path, entry in _entries()
        for rule in BANNED
        if rule.term in entry.msgstr and not _allowed_in_catalog(rule, entry)
    ]
    assert found == []


def test_a_message_reads_the_same_in_every_catalog():
    # Django merges every app's catalog into one: a msgid has one translation project-wide.
    seen: dict[tuple, tuple] = {}
    differ = []
    for path, entry in _entries():
        key = (entry.msgctxt, entry.msgid)
        if key in seen and seen[key][1] != entry.msgstr:
            differ.append(f"{entry.msgid!r}: {seen[key][0]} says {seen[key][1]}, {path} says {entry.msgstr}")
        seen.setdefault(key, (path, entry.msgstr))
    assert differ == [], "give the meanings different msgids or a msgctxt"


def test_the_page_shows_the_words_of_our_catalogs_not_djangos_own():
    # django.contrib.admin comes first in INSTALLED_APPS and words "Filter" as 过滤器; the
    # project catalog (LOCALE_PATHS) is read before every app's and has the last word.
    shown_otherwise = []
    with translation.override("zh-hans"):
        for path, entry in _entries():
            if entry.msgid_plural:
                continue
            shown = pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt else gettext(entry.msgid)
            if shown != entry.msgstr:
                shown_otherwise.append(f"{path}: {entry.msgid!r} is ours {entry.msgstr}, shown {shown}")
    assert shown_otherwise == []


def test_the_glossary_document_lists_every_term_it_rules_out():
    text = (ROOT / "docs/glossary.md").read_text()
    assert [rule.term for rule in BANNED if rule.term not in text] == []


def _untranslated_english(page_html: str) -> set[str]:
    words = set()
    for match in CHROME.finditer(page_html):
        inner = match.group(2) if match.group(2) is not None else match.group(3)
        text = re.sub(r"(?s)<[^>]+>", " ", re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", inner))
        words |= {
            word for word in ASCII_WORD.findall(text) if word not in ALLOWED_ASCII_WORDS | REGISTRY_DATA_WORDS
        }
    return words


@pytest.mark.django_db
def test_every_chinese_page_uses_the_glossary_words_and_no_untranslated_english(client, people):
    banned, english = {}, {}
    seen = 0
    for page in rendered_pages(client, people):
        seen += 1
        where = f"{page.persona} {page.path}"
        terms = [
            rule.term
            for rule in BANNED
            if rule.term in page.text and not page.path.startswith(rule.allowed_on or ("\0",))
        ]
        if terms:
            banned[where] = terms
        if words := _untranslated_english(page.html):
            english[where] = sorted(words)
    assert seen > 50
    assert banned == {}
    assert english == {}


@pytest.mark.django_db
def test_the_language_switcher_names_each_language_in_its_own_language(client_for, officer):
    page = client_for(officer).get("/", headers={"accept-language": "zh-hans"}).content.decode()
    switcher = page.split('id="language-select"')[1].split("</select>")[0]
    assert ">简体中文<" in switcher and ">English<" in switcher
    assert "英语" not in switcher
