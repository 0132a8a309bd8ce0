"""Seed data of the simulator: templates of every kind, deterministic users, special users.

Chinese text here is simulator seed data (what a real account would hold), allowed by docs/interfaces.md.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field

from .config import SANDBOX_MINI_APPID, SANDBOX_OA_APPID


@dataclass(frozen=True, slots=True)
class SeedTemplate:
    template_id: str
    title: str
    kind: str  # "subscribe" | "weapp" (legacy mini program) | "mp" (Official Account)
    fields: tuple[tuple[str, str, str], ...]  # (key, label, example value)
    sub_type: int | None = None  # subscribe: 2 one-time, 3 long-term
    # subscribe: enum values; mp category templates: the values approved for each `const` field (the first one is
    # the example shown in the template list, as WeChat shows the approved constant there)
    enums: dict[str, tuple[str, ...]] = field(default_factory=dict)
    industry: tuple[str, str] = ("", "")  # mp: (primary, deputy)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(key for key, _, _ in self.fields)

    def label(self, key: str) -> str:
        return next((lbl for k, lbl, _ in self.fields if k == key), key)

    @property
    def content(self) -> str:
        lines = [f"{lbl}:{{{{{key}.DATA}}}}" if lbl else f"{{{{{key}.DATA}}}}" for key, lbl, _ in self.fields]
        return "\n".join(lines) + "\n"

    @property
    def example(self) -> str:
        return "\n".join(f"{lbl}:{ex}" if lbl else ex for _, lbl, ex in self.fields) + "\n"


def _t(tid: str, title: str, sub_type: int, fields: list[tuple[str, str, str]],
       enums: dict[str, tuple[str, ...]] | None = None) -> SeedTemplate:
    return SeedTemplate(tid, title, "subscribe", tuple(fields), sub_type, enums or {})


# Subscribe templates: together they use every field type of the rules table (and the real `enum_string`).
SUBSCRIBE_TEMPLATES: tuple[SeedTemplate, ...] = (
    _t("DfMXLkmOgyxams5lD-pnV-RDzrUEUI4fBeGupLedoOA", "预约成功通知", 2, [
        ("thing1", "预约项目", "社保卡补办"), ("time2", "预约时间", "2024年5月20日 09:30"),
        ("thing3", "预约地点", "市民服务中心三楼A区"), ("name4", "预约人", "张三"),
        ("phone_number5", "联系电话", "0766-88886666")]),
    _t("k8GkS4XzkL2AXbklp_k7NAXY6yn6PGJgKSIk5SRB6Oc", "订单发货提醒", 2, [
        ("character_string1", "订单编号", "DD20240520001"), ("thing2", "商品名称", "办公用A4打印纸"),
        ("amount3", "订单金额", "¥128.50"), ("date4", "发货时间", "2024-05-20"),
        ("phrase5", "物流状态", "已发货")]),
    _t("yh6zMczM8j8EroBiXtMq1hMcBhrwSA7ijvstXDttS7M", "会议提醒", 3, [
        ("thing1", "会议主题", "第二季度工作总结会"), ("time2", "会议时间", "2024年5月21日 14:00~16:00"),
        ("thing3", "会议地点", "行政楼302会议室"), ("name4", "主持人", "李四"),
        ("short_thing5", "会议类型", "内部会议")]),
    _t("5RFZrj218gWZ6BJ-DJ5kMUbN67jJ7Srl_BDp6UZl1t0", "缴费通知", 3, [
        ("thing1", "缴费项目", "2024年物业费"), ("amount2", "支付金额", "1280.00元"),
        ("date3", "截止日期", "2024年6月30日"), ("number4", "户号", "1020304"),
        ("enum5", "缴费状态", "待缴费")],
       {"enum5": ("待缴费", "已缴费", "已逾期")}),
    _t("j_dWJeD5wzS7LPqVNgMDbPq_UKp9LlGXhdAhwKOPesU", "审核结果通知", 2, [
        ("thing1", "申请事项", "营业执照变更登记"), ("phrase2", "审核结果", "审核通过"),
        ("time3", "审核时间", "2024-05-20 16:45"), ("thing4", "备注", "请于五个工作日内领取")]),
    _t("BqE_7hfc0kmUKgjpSFIjsqLivgyPPQGnFOuXmrsojj4", "车辆违章提醒", 3, [
        ("car_number1", "车牌号", "粤A8Z888挂"), ("time2", "违章时间", "2024年5月18日 08:12"),
        ("thing3", "违章地点", "中山大道与天河路交叉口"), ("amount4", "罚款金额", "¥200"),
        ("number5", "扣分", "3")]),
    _t("OX2330Z2eT6dIfjKPz8XEtNz5c6yil_HwVDyBMNo12I", "考试成绩通知", 3, [
        ("name1", "考生姓名", "王五"), ("letter2", "成绩等级", "A"), ("number3", "总分", "92.5"),
        ("symbol4", "评级", "★★★★"), ("character_string5", "准考证号", "2024-0520-0113")]),
    _t("cT27ZDV-1vTu15ktxsHsCJzBgfQ-QI7fKF7MmoQgA-E", "排队叫号提醒", 2, [
        ("character_string1", "排队号码", "A023"), ("short_thing2", "办理窗口", "3号窗口"),
        ("number3", "前方等待", "2"), ("thing4", "温馨提示", "请携带身份证到窗口办理")]),
    _t("ix_-XeokqdwntJgDr5oPEDVmfooHwFPwCYaK0sb7jOY", "设备故障提醒", 2, [
        ("time1", "发生时间", "2024年5月20日 12:00"), ("enum_string2", "所在位置", "客厅"),
        ("thing3", "提示说明", "设备工作异常，请及时查看")],
       {"enum_string2": ("客厅", "餐厅", "卧室", "洗手间")}),
)

_OA_FIELDS_NOTE = ("remark", "", "如有疑问请致电 0766-88886666")


def _mp(tid: str, title: str, industry: tuple[str, str], fields: list[tuple[str, str, str]],
        consts: dict[str, tuple[str, ...]] | None = None) -> SeedTemplate:
    return SeedTemplate(tid, title, "mp", tuple(fields), None, consts or {}, industry)


# Official Account templates: classic keywordN style (with first/remark) and the 2023 typed style.
MP_TEMPLATES: tuple[SeedTemplate, ...] = (
    _mp("h7aZPqSynj8NCMIlk8E_1KargQM7UbTCUED4rhBAek4", "订单状态更新通知", ("IT科技", "互联网|电子商务"), [
        ("first", "", "您的订单状态已更新"), ("keyword1", "订单编号", "DD20240520001"),
        ("keyword2", "订单状态", "已发货"), ("keyword3", "更新时间", "2024年5月20日 10:00"), _OA_FIELDS_NOTE]),
    _mp("lSUZRGhudPYEyQk5RWs1-axkEY_hoEQCIMXryW60Kgs", "缴费提醒", ("房地产", "物业"), [
        ("first", "", "您有一笔费用待缴纳"), ("keyword1", "缴费项目", "2024年物业费"),
        ("keyword2", "缴费金额", "1280.00元"), ("keyword3", "截止日期", "2024年6月30日"), _OA_FIELDS_NOTE]),
    _mp("9Z6k14z82h5xhD4HP6ctqBunMjJynM2PzKPahtppc_Q", "会议通知", ("政府与公共事业", "政务民生"), [
        ("thing1", "会议名称", "第二季度工作总结会"), ("time2", "会议时间", "2024年5月21日 14:00"),
        ("thing3", "会议地点", "行政楼302会议室")]),
    _mp("pZaYQ-eRQ1BVmBO1Uc2VEtsa3HMhCAoYdmJDypSDksM", "审核结果通知", ("政府与公共事业", "政务民生"), [
        ("thing1", "申请事项", "营业执照变更登记"), ("phrase2", "审核结果", "审核通过"),
        ("time3", "审核时间", "2024-05-20 16:45")]),
    _mp("avbFKAbJTt46IvAqHs62UTuV5ZXvqQ-QhWQrlvPjcuk", "预约到期提醒", ("医疗护理", "医疗保健"), [
        ("first", "", "您预约的服务即将开始"), ("keyword1", "预约项目", "体检"),
        ("keyword2", "预约时间", "2024年5月22日 08:30"), ("keyword3", "预约地点", "市人民医院体检中心"),
        _OA_FIELDS_NOTE]),
    # Category templates with a `const` field (its approved value is the example), modelled on the 工单催办提醒
    # template (52305) of a developer's report: https://developers.weixin.qq.com/community/develop/doc/
    # 00066407b58fc04dade12a65a6b000 (工单类型:{{const3.DATA}} 工单名称:{{thing1.DATA}}).
    _mp("Kc3NnWmJ4kD0xQ2Vw8yRcz5T7uPfLbHs1aE9gYjO6iM", "工单催办提醒", ("IT科技", "IT软件与服务"), [
        ("thing1", "工单名称", "营业执照变更登记"), ("character_string2", "工单编号", "GD-20240520-001"),
        ("const3", "工单类型", "投诉工单"), ("time4", "催办时间", "2024年5月20日 16:45")],
       {"const3": ("投诉工单",)}),
    _mp("Pq7rS9tUvW1xY3zA5bC7dE9fG1hI3jK5lM7nO9pQ1rS", "停车支付成功通知", ("交通工具", "汽车相关"), [
        ("car_number1", "车牌号", "粤A8Z888挂"), ("amount2", "支付金额", "¥12.50"),
        ("date3", "支付日期", "2024-05-20"), ("phone_number4", "客服电话", "0766-88886666"),
        ("const5", "支付方式", "微信支付")],
       {"const5": ("微信支付",)}),
)

_LEGACY = (
    ("购买成功通知", ("物品名称", "购买时间", "支付金额")),
    ("订单支付成功通知", ("订单编号", "支付金额", "支付时间")),
    ("预约成功通知", ("预约项目", "预约时间", "预约地点", "联系电话")),
    ("报名成功通知", ("活动名称", "报名时间", "活动地点")),
    ("活动开始提醒", ("活动名称", "开始时间", "活动地点")),
    ("退款通知", ("退款金额", "退款原因", "退款时间")),
    ("订单取消通知", ("订单编号", "取消原因", "取消时间")),
    ("物流配送通知", ("快递公司", "快递单号", "发货时间")),
    ("会员注册成功通知", ("会员卡号", "注册时间")),
    ("积分变动提醒", ("变动积分", "当前积分", "变动原因")),
    ("优惠券到期提醒", ("优惠券名称", "到期时间")),
    ("取件提醒", ("取件码", "取件地址", "截止时间")),
    ("课程开课提醒", ("课程名称", "上课时间", "上课地点")),
    ("签到成功通知", ("签到时间", "签到地点")),
    ("服务评价提醒", ("服务项目", "服务时间")),
    ("审核通过通知", ("申请事项", "审核时间", "备注")),
    ("审核未通过通知", ("申请事项", "未通过原因", "审核时间")),
    ("缴费成功通知", ("缴费项目", "缴费金额", "缴费时间")),
    ("账户余额变动提醒", ("变动金额", "当前余额", "变动时间")),
    ("拼团成功通知", ("商品名称", "拼团价", "成团时间")),
    ("预约取消通知", ("预约项目", "预约时间", "取消原因")),
    ("会议签到提醒", ("会议名称", "签到时间", "会议地点")),
)


def _legacy_id(index: int) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(f"weapp-{index}".encode()).digest()).decode()[:43]


# Legacy mini program templates (wxopen/template/list; keywordN placeholders), 22 of them so paging matters.
WEAPP_TEMPLATES: tuple[SeedTemplate, ...] = tuple(
    SeedTemplate(_legacy_id(i), title, "weapp",
                 tuple((f"keyword{n}", label, f"示例{label}") for n, label in enumerate(labels, 1)))
    for i, (title, labels) in enumerate(_LEGACY, 1)
)

# -- users -------------------------------------------------------------------------------------------------------
_OPENID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

OPERATOR_INDEX = 0  # accepted everything (unlimited), follows the OA, customer-service window open
SPECIAL_INDEXES = {"operator": 0, "one_time_once": 3, "refused": 7, "not_following": 9}


def openid_for(appid: str, index: int) -> str:
    """28 characters like a real openid: `o` + 27 of [A-Za-z0-9_-], deterministic per app and user."""
    digest = hashlib.sha256(f"{appid}/{index}".encode()).digest()
    return "o" + "".join(_OPENID_CHARS[b & 63] for b in digest[:27])


def unionid_for(index: int) -> str:
    return openid_for("unionid", index)


def mini_openid(index: int) -> str:
    return openid_for(SANDBOX_MINI_APPID, index)


def oa_openid(index: int) -> str:
    return openid_for(SANDBOX_OA_APPID, index)


def seeded_follows(index: int) -> bool:
    """About 90 % of seeded users follow the OA; every index ending in 9 does not (43004)."""
    return index % 10 != 9


def seeded_refused(index: int) -> bool:
    """Users whose index ends in 7 refused every subscribe template (43101)."""
    return index % 10 == 7 and index != OPERATOR_INDEX


def seeded_one_time_accepts(index: int) -> int:
    """Accepted one-time (type 2) subscriptions per template: 1 + index % 3 sends, then 43101."""
    return 1 + index % 3


def phone_for(index: int) -> str:
    return f"138{(index * 7919 + 1000) % 100_000_000:08d}"
