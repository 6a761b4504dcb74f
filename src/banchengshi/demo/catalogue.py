# ruff: noqa: E501
"""The demo district's catalogue of service matters (R-CAT-1): about a hundred real Shanghai
matters, each with the department that owns it and the centers where it is handled.

`centers` names unit keys of `district.UNITS`, plus two groups: "SQ" (every community-affairs
acceptance center) and "MSO" (every street market-supervision office). Matters without an
owning department belong to bodies outside the district's tree (public security, tax,
housing fund, health): auto-dispatch then uses the place where they are handled, or leaves
them to the hub's manual queue when there are several places or none (R-DIS-1).

Flags: O online (一网通办), W whole-city (全市通办), D door-to-door (上门帮办), R remote window
(远程虚拟窗口). Time limits are working days; None where the matter is done on the spot.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MatterSpec:
    code: str
    name: str
    owner: str | None
    centers: tuple[str, ...]
    limit: int | None
    flags: str
    materials: str
    fees: str = "不收费"

    @property
    def domain(self) -> str:
        """The code's middle part ("MSB" of "SH-MSB-001"): which texts describe its cases."""
        return self.code.split("-")[1]


ID = "申请人有效身份证件"
FORM = "申请表"
M = MatterSpec

# fmt: off
MATTERS: tuple[MatterSpec, ...] = (
    # 区市场监管局
    M("SH-MSB-001", "企业设立登记", "MSB", ("HALL",), 1, "OW", f"{FORM}；章程；{ID}；住所使用证明"),
    M("SH-MSB-002", "企业变更登记", "MSB", ("HALL",), 1, "OW", f"{FORM}；股东会决议；营业执照正副本"),
    M("SH-MSB-003", "企业注销登记", "MSB", ("HALL",), 1, "OW", "注销登记申请书；清算报告；营业执照"),
    M("SH-MSB-004", "个体工商户设立登记", "MSB", ("MSO", "HALL"), 1, "OW", f"{FORM}；{ID}；经营场所证明"),
    M("SH-MSB-005", "个体工商户变更登记", "MSB", ("MSO", "HALL"), 1, "OW", f"{FORM}；营业执照"),
    M("SH-MSB-006", "个体工商户注销登记", "MSB", ("MSO", "HALL"), 1, "OW", "注销登记申请书；营业执照"),
    M("SH-MSB-007", "食品经营许可（新办）", "MSB", ("HALL",), 10, "O", f"{FORM}；营业执照；食品安全管理制度"),
    M("SH-MSB-008", "食品经营许可变更", "MSB", ("HALL",), 10, "O", f"{FORM}；食品经营许可证正副本"),
    M("SH-MSB-009", "食品经营许可延续", "MSB", ("HALL",), 10, "O", f"{FORM}；食品经营许可证正副本"),
    M("SH-MSB-010", "小型餐饮店临时备案", "MSB", ("MSO",), 5, "D", f"{FORM}；{ID}；场所平面图"),
    M("SH-MSB-011", "药品零售企业经营许可", "MSB", ("HALL",), 15, "O", f"{FORM}；执业药师注册证；场所证明"),
    M("SH-MSB-012", "第二类医疗器械经营备案", "MSB", ("HALL",), None, "OW", "备案表；营业执照；质量管理制度"),
    M("SH-MSB-013", "特种设备使用登记", "MSB", ("HALL",), 15, "O", "使用登记表；产品合格证；监督检验证书"),
    M("SH-MSB-014", "企业名称自主申报", "MSB", (), None, "OW", "网上申报，无需提交纸质材料"),
    M("SH-MSB-015", "股权出质设立登记", "MSB", ("HALL",), 1, "O", "出质登记申请书；质押合同"),
    M("SH-MSB-016", "营业执照遗失补领", "MSB", ("HALL", "MSO"), 1, "OW", "补领申请书；遗失声明"),
    # 区医疗保障局
    M("SH-MIB-001", "医保关系转移接续", "MIB", ("MIC", "SQ"), 15, "OW", f"{ID}；参保凭证"),
    M("SH-MIB-002", "异地就医备案", "MIB", ("MIC", "SQ"), 1, "OW", f"{ID}；备案表"),
    M("SH-MIB-003", "门诊大病登记", "MIB", ("MIC", "SQ"), 1, "W", f"{ID}；医院诊断证明"),
    M("SH-MIB-004", "城乡居民基本医疗保险参保登记", "MIB", ("SQ",), 1, "OW", f"{ID}；户口簿或居住证"),
    M("SH-MIB-005", "医疗费用零星报销", "MIB", ("MIC", "SQ"), 20, "W", "医疗费用发票；费用明细；病历"),
    M("SH-MIB-006", "长期护理保险需求评估申请", "MIB", ("SQ",), 20, "WD", f"{FORM}；{ID}"),
    M("SH-MIB-007", "生育医疗费用及生育津贴申领", "MIB", ("MIC",), 10, "O", f"{ID}；出生医学证明"),
    M("SH-MIB-008", "职工医保个人账户家庭共济备案", "MIB", ("MIC", "SQ"), 1, "OW", f"{ID}；亲属关系证明"),
    M("SH-MIB-009", "新生儿参保登记", "MIB", ("SQ",), 1, "OW", "出生医学证明；户口簿"),
    # 区人社局
    M("SH-HRS-001", "灵活就业登记", "HRS", ("EPC", "SQ"), 1, "OW", f"{ID}；就业登记表"),
    M("SH-HRS-002", "失业保险金申领", "HRS", ("EPC", "SQ"), 5, "OW", f"{ID}；解除劳动合同证明"),
    M("SH-HRS-003", "就业困难人员认定", "HRS", ("SQ",), 10, "W", f"{ID}；相关困难情况证明"),
    M("SH-HRS-004", "创业担保贷款申请", "HRS", ("EPC",), 15, "O", "营业执照；经营计划；个人征信授权书"),
    M("SH-HRS-005", "职业技能培训补贴申领", "HRS", ("EPC",), 20, "O", "培训合格证书；缴费凭证"),
    M("SH-HRS-006", "社会保障卡申领", "HRS", ("SQ", "HALL"), 15, "OW", f"{ID}；近期证件照"),
    M("SH-HRS-007", "用人单位就业参保登记", "HRS", ("EPC",), 1, "OW", "营业执照；劳动合同"),
    M("SH-HRS-008", "城镇职工基本养老金申领", "HRS", ("HALL",), 20, "W", f"{ID}；人事档案"),
    M("SH-HRS-009", "一次性创业补贴申领", "HRS", ("EPC",), 20, "O", "营业执照；社保缴费记录"),
    M("SH-HRS-010", "青年见习补贴申领", "HRS", ("EPC",), 20, "O", "见习协议；考勤记录"),
    M("SH-HRS-011", "劳动人事争议仲裁申请", "HRS", (), 5, "", "仲裁申请书；劳动关系证明"),
    # 区退役军人事务局
    M("SH-VET-001", "退役军人优待证申领", "VET", ("VSC", "SQ"), 15, "OW", f"{ID}；退役证件"),
    M("SH-VET-002", "退役士兵自主就业一次性经济补助", "VET", ("VSC",), 20, "", "退役证件；银行卡"),
    M("SH-VET-003", "退役军人信息采集", "VET", ("VSC", "SQ"), None, "W", f"{ID}；退役证件"),
    M("SH-VET-004", "优抚对象抚恤补助金申领", "VET", ("VSC",), 20, "D", f"{ID}；优抚对象证件"),
    M("SH-VET-005", "退役军人创业贷款贴息", "VET", ("VSC",), 20, "O", "贷款合同；营业执照；退役证件"),
    M("SH-VET-006", "退役军人就业创业服务登记", "VET", ("VSC",), 5, "O", f"{ID}；退役证件"),
    M("SH-VET-007", "伤残抚恤关系转移", "VET", ("VSC",), 20, "", "残疾军人证；转移申请"),
    # 区民政局
    M("SH-CA-001", "内地居民结婚登记", "CA", ("MRC",), None, "", "双方户口簿；双方身份证；合影照片"),
    M("SH-CA-002", "内地居民离婚登记", "CA", ("MRC",), None, "", "双方户口簿；身份证；结婚证；离婚协议书"),
    M("SH-CA-003", "补领结婚证", "CA", ("MRC",), None, "", "户口簿；身份证；合影照片"),
    M("SH-CA-004", "最低生活保障申请", "CA", ("SQ",), 20, "WD", f"{FORM}；家庭收入及财产情况声明"),
    M("SH-CA-005", "临时救助申请", "CA", ("SQ",), 10, "WD", f"{FORM}；困难情况证明"),
    M("SH-CA-006", "养老服务补贴申请", "CA", ("SQ",), 20, "D", f"{FORM}；老年照护统一需求评估结果"),
    M("SH-CA-007", "老年综合津贴申领", "CA", ("SQ",), 15, "OWD", f"{ID}；户口簿；银行卡"),
    M("SH-CA-008", "社会团体成立登记", "CA", ("HALL",), 30, "O", "成立登记申请书；章程；验资报告"),
    M("SH-CA-009", "民办非企业单位成立登记", "CA", ("HALL",), 30, "O", "成立登记申请书；章程；场所证明"),
    M("SH-CA-010", "基本殡葬服务费用减免", "CA", ("SQ",), 5, "", "死亡证明；户口注销证明"),
    M("SH-CA-011", "困境儿童基本生活费申请", "CA", ("SQ",), 20, "D", f"{FORM}；监护情况证明"),
    # 区规划资源局
    M("SH-PNR-001", "不动产首次登记", "PNR", ("NRC",), 5, "O", "登记申请书；土地权属来源材料", "住宅80元/件"),
    M("SH-PNR-002", "不动产转移登记", "PNR", ("NRC",), 5, "OW", "登记申请书；买卖合同；完税凭证", "住宅80元/件"),
    M("SH-PNR-003", "不动产抵押登记", "PNR", ("NRC",), 5, "OW", "登记申请书；借款合同；抵押合同", "住宅80元/件"),
    M("SH-PNR-004", "不动产变更登记", "PNR", ("NRC",), 5, "O", "登记申请书；变更证明材料"),
    M("SH-PNR-005", "抵押权注销登记", "PNR", ("NRC",), 1, "OW", "注销申请书；抵押权人同意注销证明"),
    M("SH-PNR-006", "不动产权证书补换发", "PNR", ("NRC",), 5, "O", "补换发申请书；遗失声明", "工本费10元"),
    M("SH-PNR-007", "不动产登记资料查询", "PNR", ("NRC", "HALL"), None, "OW", f"{ID}；查询申请表"),
    M("SH-PNR-008", "建设工程规划许可证核发", "PNR", ("HALL",), 20, "O", "申请表；设计方案；土地权属证明"),
    M("SH-PNR-009", "临时建设工程规划许可", "PNR", ("HALL",), 20, "O", "申请表；临时建设方案"),
    # 区房管局
    M("SH-HMB-001", "商品房买卖合同网签备案", "HMB", ("REC",), 1, "OW", "买卖合同；买受人身份证明"),
    M("SH-HMB-002", "存量房买卖合同网签备案", "HMB", ("REC",), 1, "OW", "买卖合同；不动产权证书"),
    M("SH-HMB-003", "住房租赁合同登记备案", "HMB", ("REC", "SQ"), 3, "OW", "租赁合同；出租人产权证明"),
    M("SH-HMB-004", "公有住房承租人变更", "HMB", ("REC",), 15, "", "租赁凭证；同住人同意书"),
    M("SH-HMB-005", "廉租住房申请", "HMB", ("SQ",), 30, "W", "申请表；家庭收入及住房状况证明"),
    M("SH-HMB-006", "共有产权保障住房申请", "HMB", ("SQ",), 30, "", "申请表；户籍及住房状况证明"),
    M("SH-HMB-007", "住宅专项维修资金使用申请", "HMB", ("REC",), 10, "", "业主大会决议；维修方案及预算"),
    M("SH-HMB-008", "房地产登记信息查询", "HMB", ("REC",), None, "OW", f"{ID}；查询申请表"),
    # 区司法局
    M("SH-JUS-001", "法律援助申请", "JUS", ("LAC", "SQ"), 7, "OW", f"{FORM}；经济困难状况说明；案件材料"),
    M("SH-JUS-002", "法律咨询", "JUS", ("LAC",), None, "OR", "无需材料"),
    M("SH-JUS-003", "人民调解申请", "JUS", ("SQ",), 30, "", "调解申请书；纠纷相关材料"),
    M("SH-JUS-004", "公证法律服务预约", "JUS", ("LAC",), 3, "O", f"{ID}；公证事项相关材料"),
    # 区残联
    M("SH-DPF-001", "残疾人证核发", "DPF", ("DSC", "SQ"), 20, "WD", f"{FORM}；{ID}；近期照片"),
    M("SH-DPF-002", "残疾人证换领", "DPF", ("DSC", "SQ"), 10, "WD", "残疾人证；近期照片"),
    M("SH-DPF-003", "残疾人证迁移", "DPF", ("DSC",), 10, "", "残疾人证；户口迁移证明"),
    M("SH-DPF-004", "残疾人辅助器具适配补贴", "DPF", ("DSC", "SQ"), 20, "D", "残疾人证；适配评估表"),
    M("SH-DPF-005", "重残无业人员生活补助申请", "DPF", ("SQ",), 20, "D", "残疾人证；无业情况声明"),
    M("SH-DPF-006", "残疾人康复服务补贴", "DPF", ("DSC",), 20, "D", "残疾人证；康复机构证明"),
    M("SH-DPF-007", "残疾人就业岗位补贴申请", "DPF", ("DSC",), 20, "O", "劳动合同；残疾人证"),
    # 公安（不在区政务服务体系内）
    M("SH-GA-001", "居住证办理", None, ("SQ",), 15, "W", f"{ID}；居住登记凭证；社保或就业证明"),
    M("SH-GA-002", "居住证签注", None, ("SQ",), None, "OW", "居住证；社保缴纳记录"),
    M("SH-GA-003", "居住登记", None, ("SQ",), None, "O", f"{ID}；租赁合同或房屋权属证明"),
    M("SH-GA-004", "人才引进落户", None, (), 20, "O", "引进人才审批表；户口迁移证"),
    M("SH-GA-005", "出生登记（报户口）", None, (), 5, "O", "出生医学证明；父母户口簿及结婚证"),
    M("SH-GA-006", "往来港澳通行证签注", None, ("HALL",), 7, "OW", "通行证；身份证", "15元/次"),
    M("SH-GA-007", "普通护照签发", None, ("HALL",), 7, "W", "身份证；近期照片", "120元"),
    M("SH-GA-008", "无犯罪记录证明开具", None, (), 3, "O", f"{ID}；用途说明"),
    # 住房公积金、税务、卫生健康、交通、档案
    M("SH-GJJ-001", "住房公积金提取（租房）", None, ("HALL",), 3, "OW", "租赁合同；身份证"),
    M("SH-GJJ-002", "住房公积金个人账户设立", None, ("HALL",), 1, "O", "缴存登记表；身份证"),
    M("SH-SW-001", "增值税发票申领", None, ("HALL",), 1, "OW", "发票领用簿；经办人身份证"),
    M("SH-SW-002", "个体工商户定期定额核定", None, ("HALL",), 20, "", "定额核定申请表；营业执照"),
    M("SH-SW-003", "灵活就业人员社保费缴纳", None, ("HALL", "SQ"), 1, "OW", f"{ID}"),
    M("SH-WJ-001", "出生医学证明补发", None, (), 10, "", "补发申请；父母身份证；住院病历"),
    M("SH-WJ-002", "公共场所卫生许可", None, ("HALL",), 20, "O", "申请书；卫生管理制度；平面图"),
    M("SH-JT-001", "机动车驾驶证换证", None, (), None, "OW", "驾驶证；体检证明"),
    M("SH-DA-001", "个人人事档案查询", None, ("HALL",), None, "", f"{ID}；查询申请"),
    # "一件事"联办
    M("SH-ZH-001", "“出生一件事”联办", None, ("SQ",), 5, "OW", "出生医学证明；父母身份证、户口簿、结婚证"),
    M("SH-ZH-002", "“企业开办一件事”联办", None, ("HALL",), 1, "OW", "企业开办申请；股东身份证明"),
    M("SH-ZH-003", "二手房交易与水电气过户联办", None, ("HALL",), 1, "OW", "不动产权证书；买卖双方身份证"),
    M("SH-ZH-004", "“退休一件事”联办", None, ("SQ", "HALL"), 20, "W", f"{ID}；人事档案"),
    M("SH-ZH-005", "“残疾人服务一件事”联办", None, ("SQ",), 20, "D", "残疾人证；户口簿"),
)
# fmt: on

# Matters a person names at the window that the catalogue does not list (R-IN-1: free text),
# with the unit the hub would send them to.
UNLISTED = (
    ("新能源汽车专用牌照额度申领", "HALL"),
    ("公共租赁住房资格复核", "HMB"),
    ("企业开办补贴兑现", "MSB"),
    ("老旧小区加装电梯审批", "HMB"),
    ("燃气表迁移申请", "HALL"),
    ("学生医保报销咨询", "MIB"),
    ("中小企业纾困补贴申领", "HRS"),
    ("历史遗留房屋产权问题", "PNR"),
)
