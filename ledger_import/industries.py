"""GB/T 4754-2017 industry classification (国民经济行业分类): the sections and the divisions
a county branch meets. A code is a section letter, optionally followed by the two-digit
division (and deeper digits); the name shown is the division's, else the section's."""

import re

SECTIONS = {
    "A": "农、林、牧、渔业",
    "B": "采矿业",
    "C": "制造业",
    "D": "电力、热力、燃气及水生产和供应业",
    "E": "建筑业",
    "F": "批发和零售业",
    "G": "交通运输、仓储和邮政业",
    "H": "住宿和餐饮业",
    "I": "信息传输、软件和信息技术服务业",
    "J": "金融业",
    "K": "房地产业",
    "L": "租赁和商务服务业",
    "M": "科学研究和技术服务业",
    "N": "水利、环境和公共设施管理业",
    "O": "居民服务、修理和其他服务业",
    "P": "教育",
    "Q": "卫生和社会工作",
    "R": "文化、体育和娱乐业",
    "S": "公共管理、社会保障和社会组织",
    "T": "国际组织",
}

DIVISIONS = {
    "A01": "农业",
    "A02": "林业",
    "A03": "畜牧业",
    "A04": "渔业",
    "A05": "农、林、牧、渔专业及辅助性活动",
    "B10": "非金属矿采选业",
    "C13": "农副食品加工业",
    "C14": "食品制造业",
    "C15": "酒、饮料和精制茶制造业",
    "C17": "纺织业",
    "C18": "纺织服装、服饰业",
    "C20": "木材加工和木、竹、藤、棕、草制品业",
    "C21": "家具制造业",
    "C25": "石油、煤炭及其他燃料加工业",
    "C26": "化学原料和化学制品制造业",
    "C27": "医药制造业",
    "C29": "橡胶和塑料制品业",
    "C30": "非金属矿物制品业",
    "C31": "黑色金属冶炼和压延加工业",
    "C32": "有色金属冶炼和压延加工业",
    "C33": "金属制品业",
    "C34": "通用设备制造业",
    "C38": "电气机械和器材制造业",
    "C39": "计算机、通信和其他电子设备制造业",
    "D44": "电力、热力生产和供应业",
    "E47": "房屋建筑业",
    "E48": "土木工程建筑业",
    "E50": "建筑装饰、装修和其他建筑业",
    "F51": "批发业",
    "F52": "零售业",
    "G54": "道路运输业",
    "G59": "装卸搬运和仓储业",
    "H61": "住宿业",
    "H62": "餐饮业",
    "K70": "房地产业",
    "L72": "商务服务业",
    "O80": "居民服务业",
    "O81": "机动车、电子产品和日用产品修理业",
    "P83": "教育",
    "Q84": "卫生",
    "R88": "文化艺术业",
}


# A section letter, then nothing or 2 to 4 ASCII digits (never '²' or '１', see core.text).
_CODE = re.compile(r"[A-Z]([0-9]{2,4})?", re.ASCII)


def industry_name(code: str) -> str | None:
    """The name for a valid code, or None when the code is not GB/T 4754 shaped."""
    code = code.strip().upper()
    if not _CODE.fullmatch(code) or code[0] not in SECTIONS:
        return None
    return DIVISIONS.get(code[:3]) or SECTIONS[code[0]]
