"""The report's words: title, statistic period, six sections of narrative that state numbers.

The narrative states what real reports state (format-spec §5.4 X-2/X-3, corpus
``expected-narrative``): items published and by which channel, applications received /
handled / carried forward, 行政复议 and 行政诉讼 cases, 信息处理费. Every number stated is
recorded, so a text/table check can be tested; a planted X-2/X-3 error states one wrongly.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from nianbao.form import SECTIONS
from nianbao.synth.agencies import Agency
from nianbao.synth.cells import Cell, Key
from nianbao.synth.phrases import plan_sentences, work_sentences

# Block kinds: title, para, heading, subheading, table, sign
Block = tuple[str, str]


@dataclass
class Narrative:
    blocks: list[Block]
    title: str
    stated: dict[str, int] = field(default_factory=dict)
    errors: list[dict] = field(default_factory=list)


def make_title(agency: Agency, year: int, rng: random.Random) -> str:
    """Title patterns of format-spec §7.1."""
    r = rng.random()
    if r < 0.70:
        return f"{agency.name}{year}年政府信息公开工作年度报告"
    if r < 0.85:
        return f"{agency.name}{year}年度政府信息公开工作年度报告"
    if r < 0.95:
        return f"{year}年{agency.name}政府信息公开工作年度报告"
    return f"{agency.name}{year}年政府信息公开年度报告"


def _heading(number: str, rng: random.Random, variant_share: float = 0.15) -> str:
    section = next(s for s in SECTIONS if s.number == number)
    title = section.zh
    if section.variants and number in "四五六" and rng.random() < variant_share:
        title = section.variants[0]
    return f"{number}、{title}"


def _stated(cells: dict[Key, Cell], table: str, row: str) -> int:
    """The figure a report's text gives for a row: its printed 总计, or the sum of its
    printed cells when the 总计 cell is blank."""
    total = cells.get((table, row, "total"))
    if total and total.value not in ("", "NA"):
        return int(total.value)
    return sum(int(c.value) for (t, r, _), c in cells.items()
               if t == table and r == row and c.value not in ("", "NA"))


def write_narrative(agency: Agency, year: int, cells: dict[Key, Cell],
                    figures_published: tuple[int, int, int],
                    fee: tuple[int, int], rng: random.Random, mismatch: str | None = None,
                    signed_day: int = 15) -> Narrative:
    """All text blocks of one report; tables appear as ("table", key) placeholders.

    ``mismatch``: "X-2" states one application figure wrongly, "X-3" one review figure.
    """
    title = make_title(agency, year, rng)
    who = agency.short
    me = agency.self_ref
    stated: dict[str, int] = {}
    errors: list[dict] = []
    new = _stated(cells, "applications", "new_received")
    carried = _stated(cells, "applications", "carried_over")
    handled = _stated(cells, "applications", "total")
    forward = _stated(cells, "applications", "carried_forward")
    review = _stated(cells, "review_litigation", "review")
    suits = _stated(cells, "review_litigation", "litigation_direct") + _stated(
        cells, "review_litigation", "litigation_after_review")
    app_figures = {"applications_received": new, "applications_carried_over": carried,
                   "applications_handled": handled, "applications_carried_forward": forward}
    review_figures = {"review_total": review, "litigation_total": suits}
    if mismatch in ("X-2", "X-3"):
        pool = app_figures if mismatch == "X-2" else review_figures
        key = rng.choice(sorted(pool))
        table_value = pool[key]
        delta = rng.randint(1, 5) if table_value < 6 or rng.random() < 0.5 else -rng.randint(1, 5)
        pool[key] = table_value + delta
        errors.append({"kind": "text_table_mismatch" if mismatch == "X-2" else "text_review_mismatch",
                       "rules": [mismatch], "narrative_key": key,
                       "stated": pool[key], "table": table_value})
    pub_total, pub_web, pub_media = figures_published

    blocks: list[Block] = [("title", title)]
    period = f"本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
    blocks.append(("para", rng.choice((
        f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《中华人民共和国政府信息公开工作"
        f"年度报告格式》要求，由{agency.name}编制。全文包括总体情况、主动公开政府信息情况、收到和处理政府信息"
        f"公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。"
        f"{period}如对本报告有疑问，请与{agency.name}联系。",
        f"根据《中华人民共和国政府信息公开条例》规定，现向社会公布{agency.name}{year}年度政府信息公开工作"
        f"年度报告。{period}",
    ))))
    blocks.append(("heading", _heading("一", rng)))
    blocks.append(("para", rng.choice((
        f"{year}年，{who}认真贯彻落实《条例》和上级关于政务公开工作的部署要求，坚持以公开为常态、不公开为例外，"
        f"围绕中心工作做好政府信息公开，不断提升政务公开质量。",
        f"{year}年，{me}坚持以人民为中心的发展思想，深入推进决策、执行、管理、服务、结果公开，"
        f"政府信息公开工作取得新成效。",
    ))))
    # this year's own work, from a generator of its own so the other draws stay as they were
    phrases = random.Random(f"phrases:{agency.id}:{year}")
    blocks.append(("para", work_sentences(phrases, 12)))
    blocks.append(("subheading", "（一）主动公开"))
    stated.update(published_total=pub_total, published_website=pub_web, published_new_media=pub_media)
    blocks.append(("para", rng.choice((
        f"全年共主动公开政府信息{pub_total}条，其中通过政府网站公开{pub_web}条，通过政务新媒体发布{pub_media}条，"
        f"重点做好政策文件、财政资金、重大项目等领域信息公开。",
        f"{year}年，{me}主动公开政府信息{pub_total}条。其中，在政府网站发布信息{pub_web}条，"
        f"通过政务新媒体发布信息{pub_media}条。",
    ))))
    blocks.append(("subheading", "（二）依申请公开"))
    n, c, h, f = (app_figures[k] for k in ("applications_received", "applications_carried_over",
                                           "applications_handled", "applications_carried_forward"))
    stated.update(app_figures)
    blocks.append(("para", rng.choice((
        f"{year}年，{me}共收到政府信息公开申请{n}件，上年结转{c}件，已办结{h}件，结转下年度继续办理{f}件，"
        f"均在法定期限内予以答复。",
        f"本年度共受理政府信息公开申请{n}件，另有上年度结转申请{c}件；全年答复{h}件，"
        f"{f}件顺延至下一年度办理。",
    ))))
    blocks.append(("subheading", "（三）政府信息管理"))
    blocks.append(("para", "严格落实公开前保密审查和合法性审查制度，动态调整政府信息公开目录，"
                           "规范信息发布流程。"))
    blocks.append(("subheading", "（四）政府信息公开平台建设"))
    blocks.append(("para", f"持续完善政府网站信息公开专栏，加强政务新媒体管理，{who}信息公开平台运行平稳。"))
    blocks.append(("subheading", "（五）监督保障"))
    r, s = review_figures["review_total"], review_figures["litigation_total"]
    stated.update(review_figures)
    blocks.append(("para", rng.choice((
        f"将政务公开工作纳入年度目标考核，加强业务培训。本年度因政府信息公开工作被申请行政复议{r}件，"
        f"被提起行政诉讼{s}件。",
        f"健全监督保障机制，全年发生政府信息公开行政复议案件{r}件、行政诉讼案件{s}件。",
    ))))
    blocks.append(("heading", _heading("二", rng)))
    blocks.append(("table", "active"))
    blocks.append(("heading", _heading("三", rng)))
    blocks.append(("table", "applications"))
    blocks.append(("heading", _heading("四", rng)))
    blocks.append(("table", "review_litigation"))
    blocks.append(("heading", _heading("五", rng)))
    blocks.append(("para", rng.choice((
        f"{year}年，{me}政府信息公开工作取得了一定成效，但仍存在一些不足：公开内容的深度和广度有待拓展，"
        f"政策解读形式还不够丰富。下一步，{me}将加强业务培训，提高信息发布的及时性和准确性。",
        "一是主动公开的精准度有待提高；二是依申请公开答复的规范化水平仍需提升。针对上述问题，"
        "将进一步健全工作机制，强化人员培训，推动政务公开工作提质增效。",
    ))))
    blocks.append(("para", plan_sentences(phrases, 4)))
    blocks.append(("heading", _heading("六", rng)))
    notices, yuan = fee
    if notices:
        stated.update(fee_notices=notices, fee_collected_yuan=yuan)
        fee_text = (f"依据《政府信息公开信息处理费管理办法》，{me}本年度共发出收费通知{notices}件，"
                    f"实际收取信息处理费{yuan}元。")
    else:
        stated.update(fee_notices=0, fee_collected_yuan=0)
        fee_text = f"{me}{year}年未收取信息处理费。"
    blocks.append(("para", fee_text + rng.choice(("无其他需要报告的事项。", "本年度无其他需要报告的事项。",
                                                  "人大代表建议和政协提案办理结果已按要求公开。"))))
    blocks.append(("sign", agency.name))
    blocks.append(("sign", f"{year + 1}年1月{signed_day}日"))
    return Narrative(blocks, title, stated, errors)
