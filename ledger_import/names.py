"""Plausible Chinese names for demo and benchmark data (never real people)."""

import random

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢谭廖邹"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建国志辉海燕亮斌波宁凤琴云飞鹏浩宇晨欣怡子涵梓轩雨婷俊峰"
COMPANY_PLACES = ["衡东", "衡阳", "湘中", "洣水", "杨桥", "大浦", "吴集", "新塘", "甘溪", "草市"]
COMPANY_TRADES = {
    "A01": ["农业开发", "种植专业合作社", "生态农业"],
    "A03": ["生猪养殖", "畜牧", "牧业"],
    "C13": ["粮油食品", "米业", "食品加工"],
    "C15": ["酒业", "茶业"],
    "C20": ["竹木制品", "木业"],
    "C26": ["化工", "精细化工"],
    "C30": ["建材", "新型墙体材料", "水泥制品"],
    "C33": ["五金制品", "金属制品"],
    "E48": ["路桥建设", "建筑工程"],
    "F52": ["商贸", "超市"],
    "G54": ["物流", "运输"],
    "H62": ["餐饮管理", "土菜馆"],
}


def person_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def company_name(rng: random.Random, industry_code: str) -> str:
    trade = rng.choice(COMPANY_TRADES.get(industry_code, ["实业"]))
    suffix = "有限公司" if rng.random() < 0.8 else "有限责任公司"
    return f"{rng.choice(COMPANY_PLACES)}县{rng.choice(GIVEN)}{rng.choice(GIVEN)}{trade}{suffix}"
