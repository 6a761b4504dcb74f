"""Chinese texts of the demo cases, composed from templates: what failed, what the person asks
for, the handler's cause analysis, replies, return-visit comments and so on.

Every function takes the generator's `random.Random`, so the same seed gives the same texts.
"""

from __future__ import annotations

import random

NUMERALS = {1: "一", 2: "两", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八"}

# --- what failed (R-IN-1 "a detailed description of what failed") ---------------------------

GENERIC_PROBLEMS = (
    "材料被退回{n}次，每次窗口说法不一致",
    "窗口要求补充的证明材料在其他部门开不出来",
    "系统一直提示“信息核验不通过”，窗口也查不出原因",
    "已经跑了{n}趟，每次都说还缺材料，但从没有一次性告知",
    "网上提交后显示“退回修改”，但没有写明需要修改什么",
    "窗口称该事项需到市级部门办理，市级部门又让回区里办",
    "预约号一直约不到，现场取号当天已满",
    "办理进度超过承诺时限仍显示“审核中”，咨询电话无人接听",
    "两个部门系统里的信息不一致，导致申请无法提交",
    "在自助终端办理时人脸识别多次失败，无法继续",
    "家中老人不会使用手机申报，现场也没有人帮忙",
    "办事指南上写的材料清单与窗口实际要求不一致",
    "被告知需要原单位盖章，但原单位已经注销",
    "线上申请被退回，理由只写了“不符合条件”",
)

# "关键词|text": the text fits only matters whose name holds the keyword.
DOMAIN_PROBLEMS: dict[str, tuple[str, ...]] = {
    "MSB": (
        "设立|注册地址被系统判定为“非住所”，无法完成登记",
        "经营范围表述被退回，但窗口说不清规范表述是什么",
        "食品|食品经营许可现场核查一直没有安排",
        "名称申报提示与已有企业近似，换了{n}个名称都不通过",
        "法定代表人在外地，电子签名实名认证一直失败",
        "变更|原股东联系不上，变更登记需要其签字",
    ),
    "MIB": (
        "转移|医保关系转移申请提交一个多月，转出地一直未办理",
        "异地|异地就医备案后在外地医院仍无法直接结算",
        "报销|零星报销被告知发票抬头不符合要求，医院又不给重开",
        "大病|门诊大病登记被医院和医保中心相互推诿",
        "参保|参保时系统提示户籍信息未同步",
        "医保信息系统显示的缴费年限与实际不符",
    ),
    "HRS": (
        "灵活就业|灵活就业登记提示已有单位参保记录，但原单位早已注销",
        "失业|失业保险金申领提示缴费记录不连续",
        "社会保障卡|社保卡补换后原卡余额无法转入新卡",
        "养老金|退休审批时档案中的出生日期与身份证不一致",
        "创业补贴|创业补贴申领提示营业执照状态异常，实际正常经营",
        "补贴|补贴申领提交后三个月没有到账，也查不到审核进度",
    ),
    "VET": (
        "优待证|退役军人优待证申领审核超过两个月仍未发放",
        "服役经历信息采集与档案记载不一致，无法提交",
        "抚恤|优抚补助金停发，没有收到任何通知",
    ),
    "CA": (
        "结婚|结婚登记时户口簿地址与身份证不一致被拒绝办理",
        "补领结婚证|补领结婚证需提供原登记档案，但档案查询不到",
        "低保|低保申请的家庭经济状况核对时间过长，一直没有结果",
        "养老服务|养老服务补贴评估完成后迟迟没有结论",
        "津贴|老年综合津贴到账金额与通知不符",
        "救助|家庭经济状况核对时间过长，一直没有结果",
    ),
    "PNR": (
        "不动产|不动产转移登记提示房屋存在查封，但法院已经解封",
        "转移|继承不动产需要全部继承人到场，其中一人在国外",
        "不动产|不动产权证书上的面积与购房合同不一致",
        "抵押|抵押登记线上申请一直显示银行未确认",
    ),
    "HMB": (
        "网签|网签备案系统中房源显示“已锁定”，无法签约",
        "公有住房|公房承租人去世后变更承租人，需要其他同住人签字但联系不上",
        "租赁|住房租赁合同备案时房东不配合提供产权证明",
        "维修资金|维修资金使用申请需业主大会决议，小区尚未成立业委会",
    ),
    "JUS": (
        "法律援助|法律援助申请被告知经济困难证明不符合要求",
        "调解|申请人民调解后一个月无人联系",
    ),
    "DPF": (
        "残疾人证|残疾人证换领时评残医院预约排到三个月后",
        "辅助器具|辅助器具适配补贴申请提交后未收到评估通知",
        "行动不便无法到现场办理，申请上门服务没有回音",
    ),
    "GA": (
        "居住证办理|居住证申领要求提供租赁合同备案证明，房东不愿配合",
        "居住|居住登记已满半年，系统却显示登记时间不足",
        "签注|签注时提示社保缴纳记录中断",
        "落户|落户材料审核通过后迁移证迟迟未开具",
        "出生|出生医学证明上的姓名有误，户籍窗口和医院互相推诿",
    ),
    "GJJ": ("提取|公积金提取提示“存在未结清贷款”，但贷款去年已还清",),
    "SW": ("发票|发票申领提示存在未申报记录，但已经按时申报",),
    "ZH": (
        "“一件事”联办中两个环节进度不一致，一个办结一个退回",
        "联办申请被退回，要求分别到各部门重新申请",
    ),
}

# Problems that can happen without setting foot in a hall.
ONLINE_PROBLEMS = tuple(
    text for text in GENERIC_PROBLEMS if not any(w in text for w in ("窗口", "现场", "趟", "取号"))
)

OPENINGS_WINDOW = (
    "在{place}办理{matter}，",
    "到{place}申请{matter}，",
    "{when}在{place}办理{matter}时，",
)
OPENINGS_ONLINE = (
    "通过“一网通办”网上申请{matter}，",
    "在“随申办”上办理{matter}，",
    "网上申报{matter}后，",
)
OPENINGS_HOTLINE = ("来电反映：在{place}办理{matter}时，", "12345转来：申请{matter}时，")
WHEN = ("上周", "本月初", "前几天", "上个月", "今年以来")

COMPLAINTS = (
    "窗口工作人员态度生硬，只说“办不了”，没有给出任何解决办法",
    "窗口工作人员互相推诿，让其到其他部门去问",
    "工作人员以“系统原因”为由拒绝受理，也不说明何时能办",
    "承诺的回电一直没有回，多次催问无果",
    "排队两个小时后被告知当天不再受理",
)
SUGGESTIONS = (
    "增加周末和午间办理时段",
    "实现线上全程办理，减少跑动",
    "简化申请表，不要重复填写已有信息",
    "在社区事务受理服务中心增设自助终端",
    "为老年人和行动不便的人提供上门帮办",
    "在办事指南中写明常见退回原因和示例",
)
CONSULTATIONS = (
    "咨询{matter}的办理条件和所需材料，此前在{place}得到的答复与网上办事指南不一致",
    "咨询{matter}能否全程网办，窗口和热线的说法不同",
    "咨询{matter}的办理时限，已超过承诺时间仍未办结",
)

REQUESTS = {
    "handling": (
        "希望一次性告知需要补充的全部材料",
        "希望尽快办结，并给出明确的办理时间",
        "希望部门之间核实数据，不要让申请人来回跑",
        "希望安排专人对接、帮办",
        "希望加快审核进度",
    ),
    "consultation": ("希望给出准确、统一的答复", "希望书面告知办理条件和材料清单"),
    "complaint": ("希望核查工作人员的服务态度并给予答复", "希望说明拒绝受理的依据"),
    "suggestion": ("希望相关部门研究采纳", "希望得到答复"),
}


def plain(matter: str) -> str:
    """The matter as the object of a verb: "居住证办理" reads "(办理)居住证"."""
    return matter[:-2] if matter.endswith("办理") and len(matter) > 3 else matter


def _count(rng: random.Random, visits: int) -> str:
    return NUMERALS.get(max(2, min(visits + rng.randint(0, 1), 8)), "多")


def description(
    rng: random.Random,
    *,
    category: str,
    domain: str,
    matter: str,
    place: str,
    online: bool,
    hotline: bool,
    visits: int,
) -> str:
    """What failed, as a clerk would write it on the registration form."""
    name, matter = matter, plain(matter)
    if category == "consultation":
        return rng.choice(CONSULTATIONS).format(matter=matter, place=place) + "。"
    if category == "complaint":
        return f"反映在{place}办理{matter}时，{rng.choice(COMPLAINTS)}。"
    if category == "suggestion":
        return f"建议{matter}{rng.choice(SUGGESTIONS)}。"
    if hotline:
        opening = rng.choice(OPENINGS_HOTLINE)
    elif online:
        opening = rng.choice(OPENINGS_ONLINE)
    else:
        opening = rng.choice(OPENINGS_WINDOW)
    problems = [
        text.rsplit("|", 1)[-1]
        for text in DOMAIN_PROBLEMS.get(domain, ())
        if "|" not in text or text.split("|", 1)[0] in name
    ]
    generic = ONLINE_PROBLEMS if online else GENERIC_PROBLEMS
    pool = problems if problems and rng.random() < 0.6 else generic
    problem = rng.choice(pool).format(n=_count(rng, visits))
    text = opening.format(place=place, matter=matter, when=rng.choice(WHEN)) + problem
    if rng.random() < 0.3:
        text += rng.choice(
            ("，影响正常经营", "，老人身体不好不便多跑", "，已请假多次", "，非常着急")
        )
    return text + "。"


def request(rng: random.Random, category: str) -> str:
    return rng.choice(REQUESTS.get(category, REQUESTS["handling"])) + "。"


# --- screening, handling, replies ------------------------------------------------------------

NOT_ADMISSIBLE = (
    "该诉求涉及法院已生效判决的执行，属于司法程序，不在政务服务受理范围内",
    "所反映事项依法须由申请人本人到场办理，不能代办，已解释法律依据",
    "诉求涉及的房屋未取得合法产权，按现行规定不能办理登记",
    "该事项属于其他省市管辖，本区无权办理，已告知受理机关及联系方式",
    "申请人要求突破政策规定的年龄条件，依规不能办理",
)
NOT_ADMISSIBLE_REPLY = (
    "已电话向申请人说明不予受理的理由和法律依据，并告知可通过{route}途径解决。",
    "已书面答复申请人不能办理的原因，并提供了{route}的联系方式。",
)
ROUTES = ("行政复议", "司法诉讼", "属地管辖机关", "信访")

CAUSE_NOTES = {
    "materials": (
        "申请人未提供{doc}，窗口未一次性告知",
        "申请人提交的{doc}信息有误，需要更正后重新提交",
    ),
    "implementation_list": (
        "事项实施清单中材料要求与办事指南不一致，窗口按旧版要求执行",
        "实施清单未列明特殊情形的办理路径，窗口无据可依",
    ),
    "process": (
        "审批流程中需两个部门分别审核，环节衔接不畅",
        "流程要求申请人往返取得同一部门出具的证明，属于重复提交",
    ),
    "policy": (
        "相关政策口径不明确，各窗口理解不一致",
        "新政策已出台但配套细则尚未落实到窗口",
    ),
    "system_fault": (
        "业务系统与市级平台数据接口异常，信息未同步",
        "系统核验规则设置有误，导致正常申请被拦截",
    ),
    "staff_conduct": (
        "窗口工作人员解释不到位，服务态度有待改进",
        "工作人员未执行首问负责制，存在推诿现象",
    ),
    "out_of_competence": ("所涉事项属市级部门权限，需协调市级部门办理",),
    "other": ("申请人情况特殊，现有规定未覆盖，需个案研究", "由第三方机构原因造成办理延误"),
}
DOCS = ("身份证明", "产权证明", "劳动合同", "户籍证明", "股东会决议", "租赁合同", "银行流水")
SOLUTIONS = {
    "materials": "已一次性告知需补充的材料清单，申请人补交后当场受理",
    "implementation_list": "已按最新实施清单重新受理，并同步修订办事指南",
    "process": "已协调相关部门并联审核，申请已办结",
    "policy": "已请业务主管科室明确政策口径，按规定为申请人办理",
    "system_fault": "已联系系统运维单位修复数据接口，申请人重新提交后办结",
    "staff_conduct": "已对相关工作人员批评教育，并安排专人为申请人办理",
    "out_of_competence": "已协调市级部门受理，并告知申请人办理进度查询方式",
    "other": "经个案研究，已为申请人开辟绿色通道办理",
}
REPLY_ENDINGS = (
    "申请人表示认可。",
    "已告知后续办理进度的查询方式。",
    "申请人对处理结果表示感谢。",
    "已约定办结后电话告知。",
)


def not_admissible_reason(rng: random.Random) -> str:
    return rng.choice(NOT_ADMISSIBLE) + "。"


def not_admissible_reply(rng: random.Random) -> str:
    return rng.choice(NOT_ADMISSIBLE_REPLY).format(route=rng.choice(ROUTES))


def cause_note(rng: random.Random, code: str) -> str:
    note: str = rng.choice(CAUSE_NOTES.get(code, CAUSE_NOTES["other"]))
    return note.format(doc=rng.choice(DOCS)) + "。"


def reply(rng: random.Random, code: str, matter: str, category: str = "handling") -> str:
    """不说不能办，只说怎么办 (000 §6(4)): the reply says how, never just no."""
    ending = rng.choice(REPLY_ENDINGS)
    matter = plain(matter)
    if category == "consultation":
        return (
            f"已向申请人逐项解答{matter}的办理条件、所需材料和办理时限，"
            f"并告知网上办理入口和咨询电话。{ending}"
        )
    if category == "suggestion":
        return (
            f"感谢您的建议。已转业务主管部门研究，{matter}的相关流程将纳入下一轮"
            f"办事指南修订和流程优化，结果将在政务服务网公开。{ending}"
        )
    solution = SOLUTIONS.get(code, SOLUTIONS["other"])
    if category == "complaint":
        return f"经核查，反映情况基本属实。{solution}。{ending}"
    return f"经核实，{matter}办理受阻的原因已查明。{solution}。{ending}"


def on_spot_reply(rng: random.Random, matter: str, category: str = "handling") -> str:
    matter = plain(matter)
    if category != "handling":
        return rng.choice(
            (
                f"当场解答{matter}的办理条件和材料要求，并打印办事指南交申请人。",
                f"窗口负责人当场接待，说明{matter}的办理流程和时限，申请人表示理解。",
            )
        )
    return rng.choice(
        (
            f"窗口当场核对材料，指导申请人完成{matter}的网上申报，当场办结。",
            f"当场协调业务窗口为申请人办理{matter}，已办结。",
        )
    )


CONTACT_OUTCOMES = {
    "phone": (
        "已电话联系申请人，了解具体情况，告知处理时限",
        "电话联系申请人，确认所需补充材料",
        "首次电话未接通，第二次联系上，已说明办理安排",
    ),
    "sms": ("已短信告知申请人工单已受理及处理时限",),
    "visit": ("上门了解情况，现场核对材料",),
    "in_person": ("申请人到窗口当面沟通，已记录具体诉求",),
}


def contact_outcome(rng: random.Random, method: str) -> str:
    return rng.choice(CONTACT_OUTCOMES[method]) + "。"


def cohandling_request(rng: random.Random, matter: str) -> str:
    matter = plain(matter)
    return rng.choice(
        (
            f"请协助核实申请人在贵单位的相关记录，以便办理{matter}",
            "请协助出具相关证明或说明，并反馈核实结果",
            "请贵单位对接系统数据，核查信息不一致的原因",
        )
    )


def cohandling_answer(rng: random.Random) -> str:
    return rng.choice(
        (
            "已核实，相关记录无误，已同步更新系统数据。",
            "已出具说明材料，扫描件已上传。",
            "经核查为数据推送延迟，已重新推送。",
        )
    )


def extension_reason(rng: random.Random) -> str:
    return rng.choice(
        (
            "需调取历史档案核实，档案馆查询需要时间，申请延期办理",
            "涉及多个部门会商，需延期办理并已告知申请人",
            "需等待市级部门反馈意见，申请延期",
        )
    )


def suspension_reason(rng: random.Random) -> str:
    return rng.choice(
        (
            "等待申请人补交材料，申请挂起",
            "申请人在外地，需回沪后补充签字，申请挂起",
            "等待申请人提供原单位证明，申请挂起",
        )
    )


def decision_note(rng: random.Random, approve: bool) -> str:
    if approve:
        return rng.choice(("同意。", "同意，请按期办结。", ""))
    return rng.choice(("理由不充分，请在原时限内办结。", "可通过协办解决，不同意延期。"))


def return_reason(rng: random.Random) -> str:
    return rng.choice(
        (
            "该事项不属于本单位职责，请重新派单",
            "诉求所涉业务已划转其他部门，退回重新派单",
            "办理地点不在本中心，请派至属地社区事务受理服务中心",
        )
    )


VISIT_COMMENTS = {
    5: ("问题已解决，非常满意", "办事人员很负责，感谢", "解决得很及时"),
    4: ("已经办好了，满意", "总体满意，希望以后流程再简化"),
    3: ("办是办了，但时间比较长", "基本解决，过程有些曲折"),
    2: ("问题没有根本解决", "答复不清楚，还要再跑一次"),
    1: ("问题仍未解决，对处理结果不满意", "答复敷衍，要求重新处理"),
}


def visit_comment(rng: random.Random, satisfaction: int) -> str:
    return rng.choice(VISIT_COMMENTS[satisfaction])


def supervision_reason(rng: random.Random) -> str:
    return rng.choice(
        (
            "回访中申请人反映问题未解决，请重新办理并按期反馈",
            "回访发现答复内容与实际办理情况不符，再次督办",
            "申请人对处理结果不满意，请单位负责人牵头重新研究",
        )
    )
