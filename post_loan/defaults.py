"""The default action templates and where each rule comes from.

Sources: 《对公信贷业务贷后管理实施细则》 and 《对公信贷业务贷后管理操作手册》 (the bank's
corporate post-loan rules the branch studies on Monday mornings), 《个人贷款管理暂行办法》
(CBRC 2010, art. 35-37: post-loan checks of individual loans and their collateral) and
《流动资金贷款管理暂行办法》 (CBRC 2010, art. 30: fund-use monitoring). The days and
intervals are the branch's usual practice; the branch head edits them on /actions/templates/.

Coming due (到期预警, docs/domain.md): the 90/60/30-day maturity steps and the 30 days
before an insurance, a business licence or a guarantee runs out are the branch's practice;
the yearly revaluation follows 《商业银行押品管理指引》(银监发〔2017〕16号), which asks for
revaluation at least once a year (article number from memory, not checked against the text).
"""

from loans.models import BorrowerType, Guarantee
from post_loan.models import RecordField, Trigger

CORPORATE_RULES = "《对公信贷业务贷后管理实施细则》"
INDIVIDUAL_RULES = "《个人贷款管理暂行办法》第三十五至三十七条"
WORKING_CAPITAL_RULES = "《流动资金贷款管理暂行办法》第三十条"
COLLATERAL_RULES = "《商业银行押品管理指引》（银监发〔2017〕16号）"
PRACTICE = "支行贷后管理惯例"

F = RecordField

# The 30-day maturity template was called "到期前提示还款" before the 90/60/30 steps.
MATURITY_REMINDER_NAME = "到期前30日安排还款或续贷"

DEFAULT_TEMPLATES = [
    {
        "code": "first-check-corporate",
        "name": "首次贷后检查（对公）",
        "description": "放款后15日内到企业现场，核实生产经营、资金到位和使用情况。",
        "source": CORPORATE_RULES,
        "trigger": Trigger.AFTER_DISBURSEMENT,
        "offset_days": 15,
        "borrower_type": BorrowerType.CORPORATE,
        "required_fields": [F.FINDINGS, F.SITE_VISIT, F.OPERATIONS, F.CASH_FLOW],
    },
    {
        "code": "first-check-individual",
        "name": "首次贷后检查（个人）",
        "description": "放款后30日内回访借款人，核实贷款用途和还款能力。",
        "source": INDIVIDUAL_RULES,
        "trigger": Trigger.AFTER_DISBURSEMENT,
        "offset_days": 30,
        "borrower_type": BorrowerType.INDIVIDUAL,
        "required_fields": [F.FINDINGS],
    },
    {
        "code": "fund-use-verification",
        "name": "贷款资金用途核查",
        "description": "核对受托支付凭证和交易对手，确认资金按合同约定用途使用，未流入股市、房市或民间借贷。",
        "source": WORKING_CAPITAL_RULES,
        "trigger": Trigger.AFTER_DISBURSEMENT,
        "offset_days": 30,
        "required_fields": [F.FINDINGS, F.ATTACHMENTS],
    },
    {
        "code": "quarterly-inspection-corporate",
        "name": "对公贷款按季贷后检查",
        "description": "每季度检查企业生产经营、财务状况、现金流、担保和抵押物，关注行业、市场和环保变化。",
        "source": CORPORATE_RULES,
        "trigger": Trigger.PERIODIC,
        "interval_months": 3,
        "borrower_type": BorrowerType.CORPORATE,
        "required_fields": [
            F.FINDINGS,
            F.SITE_VISIT,
            F.CASH_FLOW,
            F.OPERATIONS,
            F.ENVIRONMENT,
            F.MARKET,
        ],
    },
    {
        "code": "yearly-inspection-individual",
        "name": "个人贷款年度贷后检查",
        "description": "每年回访借款人，了解收入、工作和家庭变化，核实还款能力。",
        "source": INDIVIDUAL_RULES,
        "trigger": Trigger.PERIODIC,
        "interval_months": 12,
        "borrower_type": BorrowerType.INDIVIDUAL,
        "required_fields": [F.FINDINGS],
    },
    {
        "code": "maturity-arrange-90",
        "name": "到期前90日安排还款或续贷",
        "description": "贷款到期前90日了解借款人还款来源，确定到期还款或续贷方案。",
        "source": PRACTICE,
        "trigger": Trigger.BEFORE_MATURITY,
        "offset_days": 90,
        "required_fields": [F.FINDINGS],
    },
    {
        "code": "maturity-arrange-60",
        "name": "到期前60日安排还款或续贷",
        "description": "贷款到期前60日落实还款资金来源；需续贷的，收集资料并提交续贷申请。",
        "source": PRACTICE,
        "trigger": Trigger.BEFORE_MATURITY,
        "offset_days": 60,
        "required_fields": [F.FINDINGS],
    },
    {
        "code": "maturity-reminder",
        "name": MATURITY_REMINDER_NAME,
        "description": "贷款到期前30日提示借款人准备还款资金，确认到期还款或续贷安排已落实。",
        "source": CORPORATE_RULES,
        "trigger": Trigger.BEFORE_MATURITY,
        "offset_days": 30,
        "required_fields": [F.FINDINGS],
    },
    {
        "code": "collateral-reappraisal",
        "name": "抵押物重估",
        "description": "每12个月重估抵押物价值，现场查看抵押物状况和权证。",
        "source": COLLATERAL_RULES,
        "trigger": Trigger.COLLATERAL_REAPPRAISAL,
        "interval_months": 12,
        "guarantees": [Guarantee.MORTGAGE, Guarantee.PLEDGE],
        "required_fields": [F.FINDINGS, F.COLLATERAL_SEEN, F.ATTACHMENTS],
    },
    {
        "code": "overdue-check",
        "name": "逾期贷款现场核查",
        "description": "贷款出现逾期后7日内上门了解原因，核实经营和担保变化，制定催收措施。",
        "source": CORPORATE_RULES,
        "trigger": Trigger.ON_OVERDUE,
        "offset_days": 7,
        "required_fields": [F.FINDINGS, F.SITE_VISIT, F.CASH_FLOW],
    },
    {
        "code": "class-worsened-review",
        "name": "风险分类下调后检查",
        "description": "五级分类下调后7日内分析原因，检查担保和抵押物，提出风险化解措施。",
        "source": CORPORATE_RULES,
        "trigger": Trigger.ON_CLASS_WORSENED,
        "offset_days": 7,
        "required_fields": [F.FINDINGS, F.COLLATERAL_SEEN],
    },
    {
        "code": "signal-onsite-verification",
        "name": "预警信号现场核实",
        "description": "预警信号提出后5日内到现场核实，记录经营、现金流、环保和市场情况。",
        "source": CORPORATE_RULES,
        "trigger": Trigger.ON_SIGNAL,
        "offset_days": 5,
        "required_fields": [F.FINDINGS, F.SITE_VISIT],
    },
    {
        "code": "fake-mortgage-verification",
        "name": "楼盘假按揭核查",
        "description": "楼盘按揭借款人多为开发商员工或首付款收据与银行流水不符：由支行负责人组织核查。",
        "source": INDIVIDUAL_RULES,
        "trigger": Trigger.ON_PROJECT_FLAG,
        "offset_days": 10,
        "required_fields": [F.FINDINGS, F.SITE_VISIT, F.ATTACHMENTS],
    },
    {
        "code": "insurance-renewal",
        "name": "抵押物保险到期续保",
        "description": "抵押物保险到期前30日督促借款人续保，核对保单第一受益人为本行，收取新保单复印件。",
        "source": COLLATERAL_RULES,
        "trigger": Trigger.INSURANCE_EXPIRY,
        "offset_days": 30,
        "guarantees": [Guarantee.MORTGAGE, Guarantee.PLEDGE],
        "required_fields": [F.FINDINGS, F.ATTACHMENTS],
    },
    {
        "code": "licence-renewal",
        "name": "营业执照到期核实",
        "description": "借款企业营业执照到期前30日核实换领情况，收取新执照复印件，关注经营期限能否覆盖贷款期限。",
        "source": CORPORATE_RULES,
        "trigger": Trigger.LICENCE_EXPIRY,
        "offset_days": 30,
        "borrower_type": BorrowerType.CORPORATE,
        "required_fields": [F.FINDINGS, F.ATTACHMENTS],
    },
    {
        "code": "guarantee-gap",
        "name": "保证合同先于贷款到期",
        "description": "保证合同早于贷款到期：到期前30日与保证人续签保证合同或追加担保，避免贷款失去担保。",
        "source": PRACTICE,
        "trigger": Trigger.GUARANTEE_ENDS_EARLY,
        "offset_days": 30,
        "required_fields": [F.FINDINGS, F.ATTACHMENTS],
    },
]

# Added with the coming-due warnings (到期预警): a database seeded before them gets these.
COMING_DUE_CODES = (
    "maturity-arrange-90",
    "maturity-arrange-60",
    "insurance-renewal",
    "licence-renewal",
    "guarantee-gap",
)
