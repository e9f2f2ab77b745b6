"""Year-specific work sentences for synthetic narratives: real reports describe a different
year's work each year, so an agency's reports must not read as copies of each other (the 雷同
rule D-6 would flag every synthetic report otherwise). Sentences are combined from parts, state
no numbers, and avoid the words the text-vs-table claims read (申请、复议、诉讼)."""

from __future__ import annotations

import random

_LEADS = ("围绕", "聚焦", "紧扣", "立足", "对照", "结合", "着眼", "针对")
_AREAS = ("优化营商环境", "乡村振兴", "安全生产", "生态环境保护", "民生保障", "城市更新", "教育公平",
          "医疗卫生服务", "食品药品安全", "就业创业", "养老服务", "防汛抗旱", "文明城市创建", "数字政府建设",
          "惠企政策兑现", "老旧小区改造", "农村人居环境整治", "重大项目建设")
_VERBS = ("梳理发布", "集中展示", "组织开展", "及时更新", "图解解读", "复核清理", "编印发放", "延伸公开", "协同发布",
          "动态调整", "专题推送", "细化完善")
_OBJECTS = ("政策问答", "工作进展", "办事指南", "服务清单", "宣讲活动", "历史文件", "便民手册", "专区内容", "典型案例",
            "重点任务", "责任清单", "惠民政策")
_RESULTS = ("，反响较好。", "，关注度提升。", "，回应关切。", "，获得肯定。", "，方便查询。", "，实效增强。")
_PLAN_A = ("政策解读", "基层公开", "新媒体运维", "目录更新", "发布审核", "专栏建设", "队伍建设", "督查考核")
_PLAN_B = ("加强培训", "完善台账", "精准对接", "规范发布", "协同配合", "压实责任", "强化督导", "优化流程")
_PLAN_LEADS = ("下一步，", "今后，", "明年，", "针对不足，")


def work_sentences(rng: random.Random, n: int = 6) -> str:
    """``n`` sentences on this year's work, different from year to year."""
    areas = rng.sample(_AREAS, n)
    return "".join(f"{rng.choice(_LEADS)}{area}，{rng.choice(_VERBS)}{rng.choice(_OBJECTS)}{rng.choice(_RESULTS)}"
                   for area in areas)


def plan_sentences(rng: random.Random, n: int = 2) -> str:
    """``n`` sentences on next year's plans."""
    return "".join(f"{rng.choice(_PLAN_LEADS)}围绕{rng.choice(_PLAN_A)}{rng.choice(_PLAN_B)}。" for _ in range(n))
