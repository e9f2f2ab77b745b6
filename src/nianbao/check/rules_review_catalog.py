"""The review rules (issue 14) in the catalogue's declaration style: rule id → (severity of a
violation, zh description, en description), plus a short zh/en name for each.

``nianbao.check.finding`` merges these into ``RULES``; nothing here imports from the checks, so
the catalogue stays the one place a rule is declared.
"""

from __future__ import annotations

REVIEW_RULES: dict[str, tuple[str, str, str]] = {
    "D-1": ("warning", "按时发布：部门年报于次年1月31日前、本级人民政府年报于次年3月31日前公布"
                       "（《政府信息公开条例》第四十九条）；层级不明的不作判断",
            "Published on time: a department's report by 31 January, a people's government's own report by "
            "31 March of the following year (Regulations on Open Government Information, art. 49); no finding "
            "when the level is unclear"),
    "D-4": ("warning", "重复报告：同一正文或同一组表格数字出现在两个机关或两个文件名下",
            "Duplicate report: the same text or the same table numbers under two agencies or two file names"),
    "D-6": ("warning", "内容雷同：与同一机关上一份报告逐部分比较，去除格式套话后重复率超过 50%",
            "Copied text: more than 50 % of the text repeats the agency's previous report, section by section, "
            "after removing the form's boilerplate"),
    "D-7": ("warning", "表格格式过时或错用：2021 年及以后的报告使用 2019 年格式表格，或 2020 年及以前的报告使用"
                       " 2021 年格式表格",
            "Outdated or wrong form: a report for 2021 or later prints the 2019 tables, or a report for 2020 or "
            "earlier prints the 2021 tables"),
    "D-8": ("warning", "表格与上一年完全相同：所有非零单元格的数字与同一机关上一份报告一致",
            "Tables identical to the previous year: every non-zero cell equals the agency's previous report"),
}

REVIEW_RULE_NAMES: dict[str, tuple[str, str]] = {
    "D-1": ("发布及时性", "Timeliness"),
    "D-4": ("重复报告", "Duplicate report"),
    "D-6": ("内容雷同", "Copied text"),
    "D-7": ("格式过时", "Outdated form"),
    "D-8": ("表格雷同", "Identical tables"),
}
