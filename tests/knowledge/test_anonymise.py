"""A draft from a case keeps no personal datum: the case's own names and numbers wherever they
occur, other people's forms of address, enterprise names, street addresses, phones, ID
numbers and credit codes (a property test over generated values), and ordinary words stay."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from banchengshi.knowledge.anonymise import anonymise

SURNAMES = "张王李赵刘陈杨黄周吴徐孙朱马胡郭林何高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国文斌宇浩凯鹏辉"
PLACES = "浦东长寿金沙江曹杨桃浦真如万里甘泉宜川石泉长风光复武宁中山南京西藏"
COMPANY = "鑫盛华达恒通永泰丰源宏远瑞祥新锐博创科技贸易餐饮物流建材"

names = st.builds(
    lambda s, g: s + g,
    st.sampled_from(SURNAMES),
    st.text(alphabet=GIVEN, min_size=1, max_size=2),
)
mobiles = st.builds(
    lambda second, rest: f"1{second}{rest}",
    st.sampled_from("3456789"),
    st.text(alphabet="0123456789", min_size=9, max_size=9),
)
landlines = st.builds(
    lambda rest: f"021-{rest}", st.text(alphabet="0123456789", min_size=8, max_size=8)
)
id_numbers = st.builds(
    lambda body, last: f"310{body}{last}",
    st.text(alphabet="0123456789", min_size=14, max_size=14),
    st.sampled_from("0123456789X"),
)
credit_codes = st.builds(
    lambda body: f"91{body}",
    st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=16, max_size=16),
)
addresses = st.builds(
    lambda place, kind, no, room: f"{place}{kind}{no}号{room}室",
    st.text(alphabet=PLACES, min_size=2, max_size=4),
    st.sampled_from(["路", "街", "大道", "弄", "新村"]),
    st.integers(1, 2999),
    st.integers(101, 2806),
)
enterprises = st.builds(
    lambda words, form: f"上海{words}{form}",
    st.text(alphabet=COMPANY, min_size=2, max_size=6),
    st.sampled_from(["有限公司", "有限责任公司", "股份有限公司", "商行", "合作社"]),
)


@settings(max_examples=150, deadline=None)
@given(
    petitioner=names,
    other=st.sampled_from(SURNAMES),
    mobile=mobiles,
    landline=landlines,
    id_number=id_numbers,
    credit_code=credit_codes,
    address=addresses,
    enterprise=enterprises,
    own_enterprise=enterprises,
)
def test_no_personal_datum_is_left(
    petitioner: str,
    other: str,
    mobile: str,
    landline: str,
    id_number: str,
    credit_code: str,
    address: str,
    enterprise: str,
    own_enterprise: str,
) -> None:
    text = (
        f"{petitioner}（身份证{id_number}）代表{own_enterprise}（信用代码{credit_code}）"
        f"来办营业执照变更，住{address}，电话{mobile}，座机{landline}。"
        f"窗口{other}先生说{enterprise}的材料也被退回过；{petitioner}要求一次办成。"
    )
    result = anonymise(text, known=(petitioner, own_enterprise, mobile, id_number, credit_code))
    for datum in (
        petitioner,
        mobile,
        landline,
        id_number,
        credit_code,
        address,
        enterprise,
        own_enterprise,
        f"{other}先生",
    ):
        assert datum not in result, (datum, result)
    # the house number is gone too, not only the whole address
    assert address.split("号")[0][-1] + "号" not in result
    # what the appeal was about stays readable
    assert "营业执照变更" in result
    assert "材料也被退回过" in result


def test_ordinary_text_is_kept() -> None:
    text = "社保卡补办需要本人到场，窗口要求的户籍证明可在线开具，3个工作日内办结。"
    assert anonymise(text) == text


def test_exact_result() -> None:
    assert (
        anonymise(
            "张三丰的上海鑫盛科技有限公司在长寿路123号5室，电话13812345678。张老师已告知。",
            known=("张三丰",),
        )
        == "***的***在***，电话***。***已告知。"
    )
