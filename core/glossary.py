"""The words the UI must not use, each with the word a Chinese banker uses instead.

docs/glossary.md explains the vocabulary; this table is the part a test can check: every
catalog (``*/locale/zh_Hans/LC_MESSAGES/django.po``) and every page rendered in Chinese is
searched for these terms (core/tests/test_glossary.py). A term that is right in one place
and wrong elsewhere names where it is right: the message contexts (``msgctxt``) and the
URL prefixes of the pages that may show it.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Banned:
    term: str
    preferred: str
    why: str
    allowed_contexts: tuple[str, ...] = ()  # msgctxt of the catalog entries that may use it
    allowed_msgids: tuple[str, ...] = ()  # msgids that may use it
    allowed_on: tuple[str, ...] = ()  # URL prefixes of the pages that may show it


BANNED: tuple[Banned, ...] = (
    Banned(
        "迟到",
        "逾期",
        "迟到 is a person's lateness (a meeting); an action or a loan is 逾期 (or 超期)",
        allowed_contexts=("attendance",),
        allowed_on=("/compliance/",),
    ),
    Banned(
        "完成期限",
        "截止日期 (a date) / 应完成 (a count)",
        "a column of counts is not a deadline; a deadline is 截止日期",
    ),
    Banned(
        "应还日期",
        "截止日期",
        "应还日期 is a repayment term: right for an instalment, wrong for a required action",
        allowed_msgids=("Due on", "due on", "Instalments due this month, not yet paid"),
        allowed_on=("/loans/", "/collections/"),
    ),
    Banned("原阶段", "变更前 / 年初余额", "a literal “from”; the year-start figure is 年初余额"),
    Banned(
        "未解决",
        "开放答题 (a test) / 未处理 (a signal)",
        "only a problem is 未解决",
        allowed_contexts=("meeting problem",),
        allowed_on=("/compliance/",),
    ),
    Banned("英语", "English", "a language switcher names each language in its own language"),
    Banned("过滤器", "筛选", "过滤器 is a device; a list is 筛选"),
    Banned("会话", "培训场次", "Django's word for a login session, not a training session"),
    Banned("正常还款中", "未结清", "an active loan is 未结清; 正常 is a five-tier class"),
    Banned("我的动作", "我的贷后动作", "the required actions are 贷后规定动作"),
    Banned("贷款官员", "客户经理", "a literal “loan officer”"),
    Banned("信贷官", "客户经理", "a literal “credit officer”"),
    Banned("行长", "支行负责人", "the product calls the branch head 支行负责人 throughout"),
)

# ASCII words a Chinese page may show: names of formats, standards and systems.
ALLOWED_ASCII_WORDS = frozenset(
    {
        "PDF",
        "Excel",
        "API",
        "CSV",
        "VIP",
        "SHA",
        "GB",
        "T",
        "ID",
        "HTML",
        "UTF",
        "GBK",
        "MB",
        "KB",
        "xlsx",
        "csv",
    }
)
