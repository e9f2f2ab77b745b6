"""What a check reports, and the catalogue of every rule the checks can report."""

from __future__ import annotations

from dataclasses import dataclass

Severity = str  # "error" | "warning" | "info"
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    rule_id: str
    severity: Severity
    message_zh: str
    message_en: str
    cells: tuple[str, ...] = ()  # "table.row.col" keys involved


# rule_id -> (severity of a violation, zh description, en description).
# "info" findings of any rule (a check that could not run, a sentence not compared) are
# reported with severity "info" whatever the rule's own severity is.
RULES: dict[str, tuple[Severity, str, str]] = {
    "T3-1": ("error", "表三每列：一、本年新收 + 二、上年结转 = 三（七）总计 + 四、结转下年度继续办理"
                      "（表头所印勾稽关系）",
             "Table 3, each column: new + carried over = total handled + carried forward "
             "(printed in the header)"),
    "T3-2": ("error", "表三每列：（七）总计 = 各办理结果行之和"
                      "（2021 年格式含（六）1–3，2019 年格式（六）为单行）",
             "Table 3, each column: total handled = sum of the outcome rows"),
    "T3-3": ("error", "表三每行：总计 = 自然人 + 五类法人或其他组织",
             "Table 3, each row: total = natural persons + the five kinds of legal persons"),
    "T3-4": ("error", "表三所有数字为非负整数", "Table 3: every number is a non-negative integer"),
    "T3-6": ("warning", "表三（六）2 逾期未缴费 > 0 时，第六部分应报告信息处理费",
             "Table 3 (6)2 fee not paid > 0: section 6 should report information processing fees"),
    "T4-1": ("error", "表四各组：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结",
             "Table 4, each group: total = upheld + corrected + other + pending"),
    "T4-2": ("error", "表四所有数字为非负整数", "Table 4: every number is a non-negative integer"),
    "T2-1": ("error", "表二数字为非负整数（2021 年收费金额可为小数；2019 年“本年增/减”可为负）",
             "Table 2: non-negative integers (2021 fee amount may be decimal; 2019 change may be negative)"),
    "T2-2": ("warning", "2021 年格式：现行有效件数 ≈ 上年现行有效件数 + 本年制发 − 本年废止",
             "2021 form: in force ≈ last year's in force + issued − repealed"),
    "T2-3": ("warning", "2019 年格式：本年新公开数量 ≤ 对外公开总数量；"
                        "上一年项目数量 + 本年增/减 ≈ 下一年的上一年项目数量",
             "2019 form: newly published ≤ total published; items + change ≈ next year's items"),
    "T2-4": ("warning", "乡镇街道或县级机关不应制发规章",
             "Townships and county-level bodies do not issue regulations"),
    "T2-5": ("warning", "行政事业性收费金额的量级与单位（万元）",
             "Administrative fee amount: magnitude and unit (10k yuan)"),
    "X-1": ("error", "本年“上年结转” = 上年“结转下年度继续办理”（同一机关、同一口径、逐列）",
            "This year's carried over = last year's carried forward (same agency and scope, per column)"),
    "X-2": ("error", "正文所述申请收到、办结、结转数与表三一致",
            "Applications received, handled and carried forward stated in the text match table 3"),
    "X-3": ("error", "正文所述行政复议、行政诉讼件数与表四一致",
            "Administrative reviews and lawsuits stated in the text match table 4"),
    "X-4": ("warning", "正文提到收取信息处理费时，第六部分应报告信息处理费",
            "When the text reports fees collected, section 6 should report information processing fees"),
    "X-5": ("warning", "第五部分“存在的主要问题及改进情况”不应缺失、为空或只写“无”",
            "Section 5 (problems and improvements) is not missing, empty or just 'none'"),
    "D-2": ("warning", "六个部分和三张表齐全", "All six sections and the three tables are present"),
    "D-3": ("error", "统计期限年份与报告年份一致", "The statistic period is the report year"),
    "D-5": ("warning", "表格数字全部为 0", "Every number in the tables is 0"),
    "N-1": ("warning", "正文：网站发布数 + 新媒体发布数 > 主动公开总数（渠道可能重叠）",
            "Text: published on website + on new media > total published (channels may overlap)"),
}

# rule_id -> (short zh name, short en name), shown wherever a rule is named (charts, lists).
# Every rule in RULES has one here (tests/test_app_ux.py checks): add a line with a new rule.
RULE_NAMES: dict[str, tuple[str, str]] = {
    "T3-1": ("表三收支平衡", "Table 3 in = out"),
    "T3-2": ("表三办理结果合计", "Table 3 outcomes sum"),
    "T3-3": ("表三申请人合计", "Table 3 applicants sum"),
    "T3-4": ("表三数字格式", "Table 3 number format"),
    "T3-6": ("逾期未缴费与收费说明", "Unpaid fees vs fee section"),
    "T4-1": ("表四结果合计", "Table 4 outcomes sum"),
    "T4-2": ("表四数字格式", "Table 4 number format"),
    "T2-1": ("表二数字格式", "Table 2 number format"),
    "T2-2": ("现行有效件数衔接", "Documents in force carry over"),
    "T2-3": ("2019 格式项目数衔接", "2019 form item counts"),
    "T2-4": ("乡镇县级制发规章", "Regulations by county/township"),
    "T2-5": ("收费金额量级与单位", "Fee amount magnitude/unit"),
    "X-1": ("上年结转衔接", "Carry-over matches last year"),
    "X-2": ("正文申请数与表三", "Text application counts vs table 3"),
    "X-3": ("正文复议诉讼数与表四", "Text review/lawsuit counts vs table 4"),
    "X-4": ("正文收费与第六部分", "Fees in text vs section 6"),
    "X-5": ("第五部分内容", "Section 5 content"),
    "D-2": ("六部分三张表齐全", "Sections and tables present"),
    "D-3": ("统计年份一致", "Statistic period year"),
    "D-5": ("表格全为零", "All table numbers zero"),
    "N-1": ("正文发布渠道数", "Publication channel counts"),
}


def violation(rule_id: str, zh: str, en: str, cells: tuple[str, ...] = ()) -> Finding:
    """A finding at the rule's own severity."""
    return Finding(rule_id, RULES[rule_id][0], zh, en, cells)


def note(rule_id: str, zh: str, en: str, cells: tuple[str, ...] = ()) -> Finding:
    """An info finding: the rule did not run, or ran on less than it could."""
    return Finding(rule_id, "info", zh, en, cells)


# --- review rules (issue 14): declared in rules_review_catalog, one catalogue for the UI -------
from nianbao.check.rules_review_catalog import REVIEW_RULE_NAMES, REVIEW_RULES  # noqa: E402

RULES.update(REVIEW_RULES)
RULE_NAMES.update(REVIEW_RULE_NAMES)
