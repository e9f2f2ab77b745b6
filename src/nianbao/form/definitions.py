"""Declarations of the 2019 (国办公开办函〔2019〕60号) and 2021 (国办公开办函〔2021〕30号) forms.

Keys follow ``shared/corpus/README.md``. Labels are the printed wording; ``variants`` are
other wordings seen in real reports (format-spec §6.3). Numbering such as （一） or 1. is
declared separately in ``prefix`` because reports print, drop or vary it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

FormVersion = str  # "2019" | "2021"


@dataclass(frozen=True, eq=False)  # declared once: identity is equality, and hashing is cheap
class Column:
    key: str
    zh: str
    en: str
    unit: str = "件"
    variants: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class Row:
    key: str
    zh: str
    en: str
    cols: tuple[str, ...]
    prefix: str = ""
    variants: tuple[str, ...] = ()
    group: str = ""  # the merged group label above the row, e.g. （三）不予公开

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.zh, *self.variants)


@dataclass(frozen=True, eq=False)
class Table:
    key: str
    number: str  # the report section that holds it: 二 / 三 / 四
    zh: str
    en: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    group_labels: tuple[str, ...] = ()  # merged labels that carry no values
    header_labels: tuple[str, ...] = ()

    def column(self, key: str) -> Column:
        return self._columns_by_key[key]

    def row(self, key: str) -> Row:
        return self._rows_by_key[key]

    @cached_property
    def _columns_by_key(self) -> dict[str, Column]:
        return {c.key: c for c in self.columns}

    @cached_property
    def _rows_by_key(self) -> dict[str, Row]:
        return {r.key: r for r in self.rows}

    def cells(self) -> list[tuple[Row, Column]]:
        return [(r, self.column(c)) for r in self.rows for c in r.cols]


@dataclass(frozen=True, eq=False)
class Form:
    version: FormVersion
    zh: str
    tables: tuple[Table, ...]
    markers: tuple[str, ...] = field(default=())  # labels only this version prints

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


@dataclass(frozen=True)
class Section:
    number: str
    key: str
    zh: str
    en: str
    variants: tuple[str, ...] = ()


SECTIONS: tuple[Section, ...] = (
    Section("一", "overview", "总体情况", "Overview", ("概述", "概况")),
    Section("二", "active", "主动公开政府信息情况", "Proactive disclosure",
            ("主动公开政府信息的情况", "主动公开情况")),
    Section("三", "applications", "收到和处理政府信息公开申请情况",
            "Disclosure applications received and handled",
            ("收到和处理政府信息公开申请的情况", "依申请公开政府信息情况")),
    Section("四", "review_litigation", "政府信息公开行政复议、行政诉讼情况",
            "Administrative review and litigation",
            ("因政府信息公开工作被申请行政复议、提起行政诉讼情况",
             "因政府信息公开申请行政复议、提起行政诉讼的情况",
             "因政府信息公开工作被申请行政复议和提起行政诉讼情况",
             "政府信息公开行政复议及行政诉讼情况",
             "政府信息公开行政复议、诉讼情况")),
    Section("五", "problems", "存在的主要问题及改进情况", "Problems and improvements",
            ("政府信息公开工作存在的主要问题及改进情况", "存在问题及改进情况",
             "存在的主要问题和改进情况", "存在的主要问题及改进措施", "存在的主要问题及整改措施",
             "政府信息公开工作存在的主要问题及整改措施")),
    Section("六", "other", "其他需要报告的事项", "Other matters", ("其他事项",)),
)

# --- columns -------------------------------------------------------------------------

_ISSUED = Column("issued", "本年制发件数", "issued this year")
_REPEALED = Column("repealed", "本年废止件数", "repealed this year")
_IN_FORCE = Column("in_force", "现行有效件数", "in force")
_DECISIONS_2021 = Column("decisions", "本年处理决定数量", "decisions this year")
_FEE_AMOUNT = Column("amount_10k_yuan", "本年收费金额", "fees collected", "万元",
                     ("本年收费金额(单位:万元)",))
_NEW_MADE = Column("new_made", "本年新制作数量", "newly made this year")
_NEW_PUBLISHED = Column("new_published", "本年新公开数量", "newly published this year")
_TOTAL_PUBLISHED = Column("total_published", "对外公开总数量", "total published")
_PREV_ITEMS = Column("prev_items", "上一年项目数量", "items last year", "项")
_CHANGE = Column("change", "本年增/减", "change this year", "项")
_DECISIONS_2019 = Column("decisions", "处理决定数量", "decisions")
_PROJECTS = Column("projects", "采购项目数量", "procurement projects", "项")
_AMOUNT = Column("amount", "采购总金额", "procurement amount", "as printed")

_APPLICANTS = (
    Column("natural_person", "自然人", "natural persons"),
    Column("commercial_enterprise", "商业企业", "commercial enterprises"),
    Column("research_institution", "科研机构", "research institutions"),
    Column("social_welfare_org", "社会公益组织", "social welfare organisations"),
    Column("legal_service_org", "法律服务机构", "legal service organisations"),
    Column("other_org", "其他", "other organisations"),
    Column("total", "总计", "total"),
)
_OUTCOMES = (
    Column("upheld", "结果维持", "upheld"),
    Column("corrected", "结果纠正", "corrected"),
    Column("other", "其他结果", "other result"),
    Column("pending", "尚未审结", "pending"),
    Column("total", "总计", "total"),
)

# --- table 二 ------------------------------------------------------------------------

_ACTIVE_2021 = Table(
    "active", "二", "主动公开政府信息情况", "Proactive disclosure",
    (_ISSUED, _REPEALED, _IN_FORCE, _DECISIONS_2021, _FEE_AMOUNT),
    (
        Row("regulations", "规章", "regulations", ("issued", "repealed", "in_force")),
        Row("normative_documents", "行政规范性文件", "normative documents",
            ("issued", "repealed", "in_force"), variants=("规范性文件",)),
        Row("licensing", "行政许可", "administrative licensing", ("decisions",)),
        Row("penalty", "行政处罚", "administrative penalties", ("decisions",)),
        Row("coercion", "行政强制", "administrative coercion", ("decisions",)),
        Row("admin_fees", "行政事业性收费", "administrative fees", ("amount_10k_yuan",)),
    ),
    header_labels=("信息内容", "本年制发件数", "本年废止件数", "现行有效件数",
                   "本年处理决定数量", "本年收费金额"),
)

_ACTIVE_2019 = Table(
    "active", "二", "主动公开政府信息情况", "Proactive disclosure",
    (_NEW_MADE, _NEW_PUBLISHED, _TOTAL_PUBLISHED, _PREV_ITEMS, _CHANGE, _DECISIONS_2019,
     _PROJECTS, _AMOUNT),
    (
        Row("regulations", "规章", "regulations", ("new_made", "new_published", "total_published")),
        Row("normative_documents", "规范性文件", "normative documents",
            ("new_made", "new_published", "total_published"), variants=("行政规范性文件",)),
        Row("licensing", "行政许可", "administrative licensing", ("prev_items", "change", "decisions")),
        Row("other_admin_services", "其他对外管理服务事项", "other external administrative services",
            ("prev_items", "change", "decisions")),
        Row("penalty", "行政处罚", "administrative penalties", ("prev_items", "change", "decisions")),
        Row("coercion", "行政强制", "administrative coercion", ("prev_items", "change", "decisions")),
        Row("admin_fees", "行政事业性收费", "administrative fees", ("prev_items", "change")),
        Row("gov_procurement", "政府集中采购", "government centralised procurement",
            ("projects", "amount")),
    ),
    header_labels=("信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量",
                   "上一年项目数量", "本年增/减", "处理决定数量", "采购项目数量", "采购总金额"),
)

# --- table 三 ------------------------------------------------------------------------

_A = tuple(c.key for c in _APPLICANTS)


def _app_row(key: str, zh: str, en: str, prefix: str = "", group: str = "",
             variants: tuple[str, ...] = ()) -> Row:
    return Row(key, zh, en, _A, prefix, variants, group)


_APPLICATION_ROWS_HEAD = (
    _app_row("new_received", "本年新收政府信息公开申请数量", "new applications received", "一、",
             variants=("本年新收政府信息公开申请", "本年新收申请数量", "本年新收政府公开申请数量")),
    _app_row("carried_over", "上年结转政府信息公开申请数量", "carried over from last year", "二、",
             variants=("上年结转政府信息公开申请", "上年结转申请数量", "上年结转政府公开申请数量")),
    _app_row("granted", "予以公开", "granted", "(一)", "三、本年度办理结果"),
    _app_row("partially_granted", "部分公开", "partially granted", "(二)", "三、本年度办理结果"),
    _app_row("denied_state_secret", "属于国家秘密", "denied: state secret", "1.", "(三)不予公开"),
    _app_row("denied_prohibited_by_law", "其他法律行政法规禁止公开",
             "denied: prohibited by other laws", "2.", "(三)不予公开",
             # 洪泽区 2023 and 2024 print the label with 法规禁 missing
             ("其他法律、行政法规禁止公开", "其他法律行政止公开")),
    _app_row("denied_three_safeties", '危及"三安全一稳定"',
             "denied: endangers the three safeties and stability", "3.", "(三)不予公开",
             ("危及三安全一稳定", '危及"三安全一稳定')),
    _app_row("denied_third_party", "保护第三方合法权益", "denied: third-party rights", "4.",
             "(三)不予公开"),
    _app_row("denied_internal_affairs", "属于三类内部事务信息", "denied: internal affairs", "5.",
             "(三)不予公开", ("三类内部事务信息",)),
    _app_row("denied_process_info", "属于四类过程性信息", "denied: process information", "6.",
             "(三)不予公开", ("四类过程性信息",)),
    _app_row("denied_enforcement_files", "属于行政执法案卷", "denied: enforcement files", "7.",
             "(三)不予公开", ("行政执法案卷",)),
    _app_row("denied_admin_query", "属于行政查询事项", "denied: administrative query", "8.",
             "(三)不予公开", ("行政查询事项",)),
    _app_row("unable_no_info", "本机关不掌握相关政府信息", "unable: information not held", "1.",
             "(四)无法提供", ("本机关不掌握相关信息",)),
    _app_row("unable_needs_creation", "没有现成信息需要另行制作",
             "unable: would need to be created", "2.", "(四)无法提供"),
    _app_row("unable_unclear", "补正后申请内容仍不明确", "unable: unclear after correction", "3.",
             "(四)无法提供"),
    _app_row("rejected_petition", "信访举报投诉类申请", "not processed: petitions and complaints",
             "1.", "(五)不予处理"),
    _app_row("rejected_repeat", "重复申请", "not processed: repeated", "2.", "(五)不予处理"),
    _app_row("rejected_publication", "要求提供公开出版物", "not processed: publications", "3.",
             "(五)不予处理"),
    _app_row("rejected_mass_repeat", "无正当理由大量反复申请",
             "not processed: mass repeated requests", "4.", "(五)不予处理"),
    _app_row("rejected_confirm_reissue", "要求行政机关确认或重新出具已获取信息",
             "not processed: confirm or reissue", "5.", "(五)不予处理"),
)
_APPLICATION_ROWS_TAIL = (
    _app_row("total", "总计", "total handled", "(七)"),
    _app_row("carried_forward", "结转下年度继续办理", "carried forward to next year", "四、",
             variants=("结转下一年度继续办理", "结转下年度继续办理申请数量")),
)
_OTHER_2019 = _app_row("other", "其他处理", "other handling", "(六)", "三、本年度办理结果")
_OTHER_2021 = (
    _app_row("other_no_correction", "申请人无正当理由逾期不补正,行政机关不再处理其政府信息公开申请",
             "other: no correction in time", "1.", "(六)其他处理",
             ("申请人无正当理由逾期不补正",)),
    _app_row("other_unpaid_fee", "申请人逾期未按收费通知要求缴纳费用,行政机关不再处理其政府信息公开申请",
             "other: fee not paid", "2.", "(六)其他处理",
             ("申请人逾期未按收费通知要求缴纳费用",)),
    _app_row("other_other", "其他", "other: other", "3.", "(六)其他处理"),
)

_APPLICATION_GROUPS = ("三、本年度办理结果", "(三)不予公开", "(四)无法提供", "(五)不予处理",
                       "(六)其他处理")
_APPLICATION_HEADERS = ("申请人情况", "自然人", "法人或其他组织", "商业企业", "科研机构",
                        "社会公益组织", "法律服务机构", "总计", "其他")


def _applications(rows: tuple[Row, ...]) -> Table:
    return Table("applications", "三", "收到和处理政府信息公开申请情况",
                 "Disclosure applications received and handled", _APPLICANTS, rows,
                 _APPLICATION_GROUPS, _APPLICATION_HEADERS)


# --- table 四 ------------------------------------------------------------------------

_O = tuple(c.key for c in _OUTCOMES)
_REVIEW = Table(
    "review_litigation", "四", "政府信息公开行政复议、行政诉讼情况",
    "Administrative review and litigation", _OUTCOMES,
    (
        Row("review", "行政复议", "administrative review", _O),
        Row("litigation_direct", "未经复议直接起诉", "litigation without prior review", _O,
            group="行政诉讼"),
        Row("litigation_after_review", "复议后起诉", "litigation after review", _O,
            group="行政诉讼"),
    ),
    header_labels=("行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计",
                   "未经复议直接起诉", "复议后起诉"),
)

FORM_2019 = Form(
    "2019", "中华人民共和国政府信息公开工作年度报告格式（试行）〔2019〕60号",
    (_ACTIVE_2019, _applications(_APPLICATION_ROWS_HEAD + (_OTHER_2019,) + _APPLICATION_ROWS_TAIL),
     _REVIEW),
    markers=("本年新制作数量", "本年新公开数量", "对外公开总数量", "其他对外管理服务事项",
             "政府集中采购", "采购总金额", "上一年项目数量"),
)
FORM_2021 = Form(
    "2021", "中华人民共和国政府信息公开工作年度报告格式〔2021〕30号",
    (_ACTIVE_2021, _applications(_APPLICATION_ROWS_HEAD + _OTHER_2021 + _APPLICATION_ROWS_TAIL),
     _REVIEW),
    markers=("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额", "逾期未按收费通知",
             "逾期不补正"),
)
FORMS: dict[FormVersion, Form] = {"2019": FORM_2019, "2021": FORM_2021}
TABLES: tuple[str, ...] = ("active", "applications", "review_litigation")


def form_for(version: FormVersion) -> Form:
    return FORMS[version]


@dataclass(frozen=True)
class Metric:
    """One cell of the form as the data dictionary lists it."""

    table: str
    row: str
    col: str
    zh: str
    en: str
    unit: str
    versions: tuple[FormVersion, ...]

    @property
    def key(self) -> str:
        return f"{self.table}.{self.row}.{self.col}"


def metric_catalog() -> list[Metric]:
    """Every (table, row, col) of both forms, once, in form order (2021 first, then 2019-only)."""
    seen: dict[tuple[str, str, str], Metric] = {}
    for version in ("2021", "2019"):
        for table in FORMS[version].tables:
            for row, col in table.cells():
                k = (table.key, row.key, col.key)
                if k in seen:
                    m = seen[k]
                    seen[k] = Metric(m.table, m.row, m.col, m.zh, m.en, m.unit, (*m.versions, version))
                    continue
                zh = f"{row.zh}·{col.zh}" if table.key != "applications" else f"{row.prefix}{row.zh}·{col.zh}"
                seen[k] = Metric(table.key, row.key, col.key, zh, f"{row.en} — {col.en}", col.unit,
                                 (version,))
    return list(seen.values())
