"""Mutable world of the simulator: users, subscriptions, login/phone codes, form_ids, service windows."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from . import seed
from .config import SANDBOX_MINI_APPID, SANDBOX_OA_APPID

CODE_TTL = 300.0  # js_code and phone code live 5 minutes
FORM_ID_TTL = 7 * 86400.0  # form_id / prepay_id live 7 days
CS_WINDOW = 48 * 3600.0  # customer-service window after a user message
CS_MESSAGES = 5  # messages allowed in one window

# The shape the console's import accepts as an openid (console/core/recipients/validate.py `_OPENID`; the simulator
# never imports console.core): what a clerk's list can hold.
WELLFORMED_OPENID = re.compile(r"[A-Za-z0-9_-]{26,64}", re.ASCII)
_CODE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


@dataclass(slots=True)
class User:
    index: int
    openid: str  # mini program openid
    oa_openid: str
    unionid: str
    follows: bool
    refused: bool = False
    unlimited: bool = False  # every subscribe template accepted without a count (operator, created users)
    one_time: dict[str, int] = field(default_factory=dict)  # template_id -> remaining one-time sends
    cs: dict[str, list[float]] = field(default_factory=dict)  # appid -> [window end, messages left]
    rejected: set[str] = field(default_factory=set)  # templates the user rejected (popup or settings): 43101
    subscribe_time: int = 1_600_000_000


@dataclass(slots=True)
class Code:
    kind: str  # "js_code" | "phone"
    appid: str
    openid: str
    expires_at: float
    used: bool = False


@dataclass(slots=True)
class FormId:
    openid: str
    created_at: float
    uses_left: int


class World:
    """Users and everything keyed by them. Deterministic given the seed and the clock."""

    def __init__(self, seed_users: int, rng_seed: int, now: float) -> None:
        self.rng = random.Random(rng_seed * 7919 + 17)
        self.users: dict[str, User] = {}  # mini openid -> user
        self.by_oa: dict[str, User] = {}  # OA openid -> user
        self.codes: dict[str, Code] = {}
        self.form_ids: dict[str, FormId] = {}
        self._followers: list[str] | None = None
        self._next_index = 0
        for _ in range(max(seed_users, max(seed.SPECIAL_INDEXES.values()) + 1)):
            self._add_seeded(now)

    # -- users ---------------------------------------------------------------------------------------------
    def _new_user(self, follows: bool) -> User:
        i = self._next_index
        self._next_index += 1
        user = User(i, seed.mini_openid(i), seed.oa_openid(i), seed.unionid_for(i), follows,
                    subscribe_time=1_600_000_000 + i * 3607)
        self.users[user.openid] = user
        self.by_oa[user.oa_openid] = user
        self._followers = None
        return user

    def _add_seeded(self, now: float) -> None:
        i = self._next_index
        user = self._new_user(seed.seeded_follows(i))
        user.refused = seed.seeded_refused(i)
        if i == seed.OPERATOR_INDEX:
            user.unlimited = True
            self.open_cs_window(user.openid, now)
            self.open_cs_window(user.oa_openid, now)

    def create_users(self, count: int, form_ids: int, now: float) -> list[dict[str, object]]:
        out: list[dict[str, object]] = []
        for _ in range(count):
            user = self._new_user(True)
            user.unlimited = True
            ids = [self.issue_form_id(user.openid, now) for _ in range(form_ids)]
            out.append({"openid": user.openid, "unionid": user.unionid, "oa_openid": user.oa_openid,
                        "form_ids": ids})
        return out

    def adopt(self, openid: str, *, oa: bool = False) -> User | None:
        """SimConfig.accept_any_wellformed_openid: a well-formed openid nobody has becomes a demo user (following
        the OA, accepting every template); None when it is not well-formed (then 40003 as always)."""
        if WELLFORMED_OPENID.fullmatch(openid) is None:
            return None
        user = self._new_user(True)
        user.unlimited = True
        if oa:
            del self.by_oa[user.oa_openid]
            user.oa_openid = openid
            self.by_oa[openid] = user
        else:
            del self.users[user.openid]
            user.openid = openid
            self.users[openid] = user
        return user

    def find(self, openid: object, *, oa: bool = False, adopt: bool = False) -> User | None:
        """The user of a mini program (or with `oa`, an OA) openid; `adopt`: see adopt()."""
        if not isinstance(openid, str):
            return None
        user = (self.by_oa if oa else self.users).get(openid)
        return self.adopt(openid, oa=oa) if user is None and adopt else user

    def user_for(self, openid: str) -> tuple[User, str] | None:
        """The user and the appid this openid belongs to."""
        user = self.users.get(openid)
        if user is not None:
            return user, SANDBOX_MINI_APPID
        user = self.by_oa.get(openid)
        return (user, SANDBOX_OA_APPID) if user is not None else None

    def followers(self) -> list[str]:
        if self._followers is None:
            self._followers = [u.oa_openid for u in self.users.values() if u.follows]
        return self._followers

    def set_follows(self, user: User, follows: bool) -> None:
        user.follows = follows
        self._followers = None

    @staticmethod
    def consume_subscription(user: User, template_id: str, sub_type: int) -> bool:
        """One send against the user's subscription: False means 43101."""
        if template_id in user.rejected or (user.refused and template_id not in user.one_time):
            return False  # a seeded refuser accepts only the templates it answered "accept" to
        if user.unlimited or sub_type == 3:
            return True
        left = World.one_time_left(user, template_id)
        if left <= 0:
            return False
        user.one_time[template_id] = left - 1
        return True

    @staticmethod
    def one_time_left(user: User, template_id: str) -> int:
        """The user's remaining one-time sends of a template: the balance 43101 is enforced from."""
        left = user.one_time.get(template_id)
        return seed.seeded_one_time_accepts(user.index) if left is None else left

    @staticmethod
    def answer_subscription(user: User, template_id: str, accept: bool, *, popup: bool = True) -> int:
        """The user answers the subscription prompt (`popup`) or switches the template in the settings: an accepted
        prompt allows one more one-time send; a rejection blocks the template (43101) and drops the balance. Switching
        a template back on in the settings allows no send by itself. Returns the balance now."""
        if not accept:
            user.rejected.add(template_id)
            user.one_time[template_id] = 0
            return 0
        user.rejected.discard(template_id)
        left = World.one_time_left(user, template_id)
        user.one_time[template_id] = left + 1 if popup else left
        return user.one_time[template_id]

    # -- customer-service windows ---------------------------------------------------------------------------
    def open_cs_window(self, openid: str, now: float) -> bool:
        found = self.user_for(openid)
        if found is None:
            return False
        user, appid = found
        user.cs[appid] = [now + CS_WINDOW, CS_MESSAGES]
        return True

    @staticmethod
    def use_cs_window(user: User, appid: str, now: float) -> int:
        """0 when a customer-service message may go out now (and counts it), else 45015 or 45047."""
        window = user.cs.get(appid)
        if window is None or now >= window[0]:
            return 45015
        if window[1] <= 0:
            return 45047
        window[1] -= 1
        return 0

    # -- codes ----------------------------------------------------------------------------------------------
    def _random(self, n: int) -> str:
        return "".join(self.rng.choice(_CODE_CHARS) for _ in range(n))

    def issue_code(self, kind: str, appid: str, openid: str, now: float) -> str:
        if openid not in self.users:
            raise KeyError(f"unknown mini program openid: {openid}")
        code = ("0" if kind == "js_code" else "") + self._random(31 if kind == "js_code" else 64)
        self.codes[code] = Code(kind, appid, openid, now + CODE_TTL)
        return code

    def consume_code(self, kind: str, appid: str, code: str, now: float) -> tuple[int, User | None]:
        """(0, user) or (errcode, None): 40029 unknown/expired/other app, 40163 js_code used (40029 for phone)."""
        entry = self.codes.get(code)
        if entry is None or entry.kind != kind or entry.appid != appid or now >= entry.expires_at:
            return 40029, None
        if entry.used:
            return (40163 if kind == "js_code" else 40029), None
        entry.used = True
        return 0, self.users[entry.openid]

    # -- form_ids -------------------------------------------------------------------------------------------
    def issue_form_id(self, openid: str, now: float, age_seconds: float = 0.0, uses: int = 1) -> str:
        if openid not in self.users:
            raise KeyError(f"unknown mini program openid: {openid}")
        if uses == 1:  # a form submit's form_id looks like 32 hex digits
            fid = "".join(self.rng.choice("0123456789abcdef") for _ in range(32))
        else:  # a payment's prepay_id
            fid = "wx" + "".join(self.rng.choice("0123456789") for _ in range(14)) + self._random(18)
        self.form_ids[fid] = FormId(openid, now - age_seconds, uses)
        return fid

    def use_form_id(self, openid: str, form_id: str, now: float) -> int:
        """0 and one use consumed, or 41028 (unknown, other user's, expired) / 41029 (used up)."""
        entry = self.form_ids.get(form_id)
        if entry is None or entry.openid != openid or now - entry.created_at >= FORM_ID_TTL:
            return 41028
        if entry.uses_left <= 0:
            return 41029
        entry.uses_left -= 1
        return 0
