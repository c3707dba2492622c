"""Default industry policies (GB/T 4754-2017 codes) seeded for the demo and new installs.

Sources: the provincial branch's prohibitions (禁止性规定) on anything touching private
fund-raising (民间集资), and the strict gate for high-risk industries such as chemicals
named in the branch's credit policy; the branch head edits the list on /screening/industries/.
"""

from loans.models import PolicyLevel

PROVINCIAL_PROHIBITIONS = "省分行禁止性规定"
CREDIT_POLICY = "年度信贷政策指引"

DEFAULT_POLICIES = [
    (
        "C25",
        "石油、煤炭及其他燃料加工业",
        PolicyLevel.RESTRICTED,
        "高耗能、高污染，严格审查环评和安全生产",
        CREDIT_POLICY,
    ),
    (
        "C26",
        "化学原料和化学制品制造业",
        PolicyLevel.RESTRICTED,
        "化工行业，严格审查环保、安全和现金流",
        CREDIT_POLICY,
    ),
    ("C27", "医药制造业", PolicyLevel.ALLOWED, "", CREDIT_POLICY),
    ("C31", "黑色金属冶炼和压延加工业", PolicyLevel.RESTRICTED, "产能过剩行业，控制新增", CREDIT_POLICY),
    ("B06", "煤炭开采和洗选业", PolicyLevel.RESTRICTED, "严格审查采矿许可和安全生产", CREDIT_POLICY),
    (
        "J69",
        "其他金融业（含民间融资、集资类机构）",
        PolicyLevel.PROHIBITED,
        "涉及民间集资，一律禁止准入",
        PROVINCIAL_PROHIBITIONS,
    ),
    (
        "J6639",
        "其他非货币银行服务（小额贷款、民间借贷中介）",
        PolicyLevel.PROHIBITED,
        "涉及民间集资或放贷，禁止",
        PROVINCIAL_PROHIBITIONS,
    ),
    ("K70", "房地产业", PolicyLevel.RESTRICTED, "名单制管理，审查项目资本金和销售回款", CREDIT_POLICY),
    ("A01", "农业", PolicyLevel.ALLOWED, "支持县域农业", CREDIT_POLICY),
    ("C13", "农副食品加工业", PolicyLevel.ALLOWED, "", CREDIT_POLICY),
]
