"""`send … --dry-run` and `job … --dry-run`: the report of a whole job without a send call — on the in-process
sandbox and on the loopback `sim serve` server (GET /__sim__/stats), and the prediction test: the rows a dry run
says would fail are exactly the rows a real run then leaves out or fails."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from console.app import sandbox_services
from console.core.messages import dryrun as dry_msg
from console.sim import SANDBOX_MINI_APPID, SANDBOX_OA_APPID, SANDBOX_SECRET, Simulator
from console.sim.routes import ROUTES
from tests.cli.test_cli_jobs import BOOKING, LEGACY, OA_ORDER, job_file, send_booking, write_csv

SEND_PATHS = {path for path, route in ROUTES.items() if route.send}
DRY_KEYS = {"dry_run", "would_send", "would_fail", "expected_seconds", "failures"}
OA_DATA = ["--data", "keyword1=A100", "--data", "keyword2=已发货", "--data", "keyword3=顺丰"]


def send_calls(stats: dict[str, int]) -> dict[str, int]:
    return {path: n for path, n in stats.items() if path in SEND_PATHS}


@pytest.fixture
def sim(monkeypatch: pytest.MonkeyPatch) -> Simulator:
    """The --sandbox simulator of every command in the test, kept so its stats can be read."""
    simulator = Simulator()
    monkeypatch.setattr("console.cli.runtime.sandbox_services",
                        lambda home: sandbox_services(home, simulator=simulator))
    return simulator


# ---- sandbox -----------------------------------------------------------------------------------------------------

def test_send_dry_run_json_no_question_no_job_no_send(wx, sim: Simulator, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", range(1, 9), extra_rows=[
        ["not an openid", "", "王五", "x"],  # row 10
        ["o" + "x" * 27, "", "李四2号", "一号楼"],  # row 11: a digit in the name4 value
    ])
    r = send_booking(wx, path, "--dry-run", "--json", "--rate", "4")  # no --yes, no terminal: still runs
    assert r.code == 0, r.err
    body = r.json
    assert set(body) >= DRY_KEYS and body["dry_run"] is True
    assert (body["would_send"], body["would_fail"]) == (8, 2)
    assert body["expected_seconds"] == pytest.approx(2.0)  # 8 sends at min(4/s, 8 workers / a few ms)
    assert [(f["row"], f["openid"], f["column"]) for f in body["failures"]] == [
        (10, "not an openid", "openid"), (11, "o" + "x" * 27, "姓名")]
    assert all(set(f) == {"row", "openid", "column", "reason"} and f["reason"] for f in body["failures"])
    assert "--yes" not in r.err and "确认" not in r.err  # never asks
    assert send_calls(sim.stats) == {} and sim.messages == []
    assert "/wxaapi/newtmpl/gettemplate" in sim.stats  # template-list calls are allowed
    assert wx("--sandbox", "jobs", "--json").json == {"jobs": []}

    again = send_booking(wx, path, "--dry-run", "--yes", "--json")  # --yes changes nothing
    assert again.code == 0 and again.json["dry_run"] is True
    assert send_calls(sim.stats) == {} and wx("--sandbox", "jobs", "--json").json == {"jobs": []}


def test_send_dry_run_text_summary_first_failures_and_estimate(wx, sim: Simulator, tmp_path: Path) -> None:
    bad = [["o" + chr(ord("a") + i) * 27, "", f"李四{i}号", "一号楼"] for i in range(25)]  # 25 rule breakers
    path = write_csv(tmp_path / "r.csv", range(1, 4), extra_rows=bad)
    r = send_booking(wx, path, "--dry-run")
    assert r.code == 0, r.err
    assert "空跑完成" in r.out and "可以发送 3 人" in r.out and "会失败 25 人" in r.out and "预计用时" in r.out
    assert "第 5 行（oaaaaaaaaaaaaaaaaaaaaaaaaaaa），列“姓名”" in r.out
    assert r.out.count("列“姓名”") == 20 and "另有 5 人会失败" in r.out
    assert "估算：每秒最多 20 条" in r.out
    assert send_calls(sim.stats) == {}


def test_mp_dry_run_reports_the_non_follower(wx, sim: Simulator, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", range(1, 13))  # seeded index 9 (row 10) does not follow the OA
    r = wx("--sandbox", "send", "--kind", "mp", "--template", OA_ORDER, "--recipients", str(path), *OA_DATA,
           "--dry-run", "--json")
    assert r.code == 0, r.err
    assert (r.json["would_send"], r.json["would_fail"]) == (11, 1)
    assert r.json["failures"][0]["row"] == 10 and "没有关注公众号" in r.json["failures"][0]["reason"]
    assert "/cgi-bin/user/get" in sim.stats and send_calls(sim.stats) == {}
    assert "公众号关注者列表" in r.err


def test_job_dry_run_on_todays_wechat_makes_no_probe_and_says_so(wx, sim: Simulator, tmp_path: Path) -> None:
    """A real run probes the retired endpoint (a send call) and stops with 45109; the dry run may not call it,
    so it reports the rows and a note that the channel could not be checked."""
    path = job_file(tmp_path / "job.json", range(1, 4), {"keyword1": "手机", "keyword2": "¥10",
                                                          "keyword3": "2019-01-01"})
    r = wx("--sandbox", "job", str(path), "--dry-run", "--json")
    assert r.code == 0, r.err
    assert r.json["would_send"] == 3 and dry_msg.RETIRED_UNCHECKED in r.json["notes"]
    assert send_calls(sim.stats) == {}
    real = wx("--sandbox", "job", str(path), "--yes")
    assert real.code == 6 and sim.messages == []


def test_send_dry_run_errors_like_a_real_run(wx, sim: Simulator, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", range(3))
    missing = wx("--sandbox", "send", "--template", BOOKING, "--recipients", str(path), "--data", "thing1=体检",
                 "--dry-run", "--json")
    assert missing.code == 3 and missing.json["errcode"] == 47003 and "time2" in missing.json["problems"]
    unreadable = send_booking(wx, tmp_path / "missing.csv", "--dry-run")
    assert unreadable.code == 3 and "无法读取文件" in unreadable.out
    assert send_calls(sim.stats) == {}


# ---- loopback server ---------------------------------------------------------------------------------------------

@pytest.fixture
def _secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WXCONSOLE_APPSECRET", SANDBOX_SECRET)


def account(server) -> list[str]:
    return ["--api-base", server.base, "--appid", SANDBOX_MINI_APPID, "--oa-appid", SANDBOX_OA_APPID]


def users_csv(server, path: Path, count: int, edit=None) -> tuple[Path, list[dict]]:
    users = server.admin("GET", "/users", params={"count": count})["users"]
    rows = [[u["openid"], u["unionid"], "张三", "一号楼"] for u in users]
    if edit is not None:
        edit(rows)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["openid", "unionid", "姓名", "备注"])
        writer.writerows(rows)
    return path, users


def sent_rows(wx, server, job: int, tmp_path: Path) -> set[int]:
    out = tmp_path / f"job{job}.csv"
    assert wx("export", *account(server), str(job), str(out)).code == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    return {int(row["行号"]) for row in rows if row["状态"] in ("已发送", "已提交")}


@pytest.mark.usefixtures("_secret")
def test_loopback_dry_run_makes_no_send_call(wx, sim_server, tmp_path: Path) -> None:
    path, _users = users_csv(sim_server, tmp_path / "r.csv", 5)
    r = wx("send", *account(sim_server), "--template", BOOKING, "--recipients", str(path),
           "--data", "thing1=年度体检", "--data", "time2=2026年12月1日 09:30", "--data", "thing3=一号楼",
           "--column", "name4=姓名", "--data", "phone_number5=0766-88886666", "--dry-run", "--json")
    assert r.code == 0, r.err
    assert (r.json["would_send"], r.json["would_fail"]) == (5, 0)
    stats = sim_server.admin("GET", "/stats")
    assert send_calls(stats) == {} and stats.get("/wxaapi/newtmpl/gettemplate", 0) >= 1
    assert sim_server.admin("GET", "/messages")["messages"] == []
    assert wx("jobs", *account(sim_server), "--json").json == {"jobs": []}


# ---- prediction: the dry run's would-fail rows == the rows a real run leaves out or fails --------------------------

@pytest.fixture(scope="module")
def legacy_server(sim_server_factory):
    return sim_server_factory("--legacy-apis")


def _breakers(rows: list[list[str]]) -> None:
    rows[1][2] = "李四2号"  # row 3: name4 allows no digits
    rows[3][3] = "长" * 21  # row 5: thing3 longer than 20
    rows[4][3] = ""  # row 6: thing3 empty
    rows.append(["not an openid", "", "王五", "x"])  # row 9: the import rejects it
    rows.append(list(rows[0]))  # row 10: a duplicate of row 2 (the person gets one message)


@pytest.mark.usefixtures("_secret")
def test_prediction_subscribe_field_rules(wx, legacy_server, tmp_path: Path) -> None:
    path, _ = users_csv(legacy_server, tmp_path / "r.csv", 7, _breakers)
    args = ["send", *account(legacy_server), "--template", BOOKING, "--recipients", str(path),
            "--data", "thing1=年度体检", "--data", "time2=2026年12月1日 09:30", "--column", "thing3=备注",
            "--column", "name4=姓名", "--data", "phone_number5=0766-88886666", "--json"]
    before = send_calls(legacy_server.admin("GET", "/stats"))
    dry = wx(*args, "--dry-run")
    assert dry.code == 0, dry.err
    assert send_calls(legacy_server.admin("GET", "/stats")) == before
    predicted = {f["row"] for f in dry.json["failures"]}
    assert predicted == {3, 5, 6, 9} and [d["row"] for d in dry.json["duplicates"]] == [10]

    real = wx(*args, "--yes")
    assert real.code == 0, real.err
    all_rows, duplicates = set(range(2, 11)), {10}
    sent = sent_rows(wx, legacy_server, real.json["job"], tmp_path)
    assert predicted == all_rows - duplicates - sent
    assert len(sent) == dry.json["would_send"]


@pytest.mark.usefixtures("_secret")
def test_prediction_oa_non_follower(wx, legacy_server, tmp_path: Path) -> None:
    def edit(rows: list[list[str]]) -> None:
        rows[3][1] = ""  # row 5: no unionid

    path, users = users_csv(legacy_server, tmp_path / "r.csv", 6, edit)
    legacy_server.admin("POST", "/follow", json={"openid": users[1]["openid"], "follows": False})  # row 3
    args = ["send", "--kind", "mp", *account(legacy_server), "--template", OA_ORDER, "--recipients", str(path),
            *OA_DATA, "--refresh-followers", "--json"]
    before = send_calls(legacy_server.admin("GET", "/stats"))
    dry = wx(*args, "--dry-run")
    assert dry.code == 0, dry.err
    assert send_calls(legacy_server.admin("GET", "/stats")) == before
    predicted = {f["row"] for f in dry.json["failures"]}
    assert predicted == {3, 5}

    real = wx(*args, "--yes")
    assert real.code == 0, real.err
    assert predicted == set(range(2, 8)) - sent_rows(wx, legacy_server, real.json["job"], tmp_path)


@pytest.mark.usefixtures("_secret")
def test_prediction_legacy_used_form_id(wx, legacy_server, tmp_path: Path) -> None:
    users = legacy_server.admin("GET", "/users", params={"count": 4, "form_ids": 1})["users"]
    message = {"keyword1": {"value": "手机"}, "keyword2": "¥5000", "keyword3": "2019-01-01"}

    def job(path: Path, entries: list[tuple[str, str]]) -> Path:
        body = {"template_id": LEGACY, "toWeappUser": [{"openid": o, "form_id": f} for o, f in entries],
                "jsonMessage": message}
        path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
        return path

    first = job(tmp_path / "first.json", [(users[0]["openid"], users[0]["form_ids"][0])])
    assert wx("job", str(first), *account(legacy_server), "--yes", "--json").json["sent"] == 1  # spends it

    entries = [(u["openid"], u["form_ids"][0]) for u in users]
    entries[2] = (users[2]["openid"], "")  # position 3: no form_id
    second = job(tmp_path / "second.json", entries)  # position 1: the form_id spent by the first job
    before = send_calls(legacy_server.admin("GET", "/stats"))
    dry = wx("job", str(second), *account(legacy_server), "--dry-run", "--json")
    assert dry.code == 0, dry.err
    assert send_calls(legacy_server.admin("GET", "/stats")) == before  # not even the retired-channel probe
    failures = {f["row"]: f for f in dry.json["failures"]}
    assert set(failures) == {1, 3} and failures[1]["openid"] == users[0]["openid"]
    assert "使用过" in failures[1]["reason"]

    real = wx("job", str(second), *account(legacy_server), "--yes", "--json")
    assert real.code == 0, real.err
    assert set(failures) == {1, 2, 3, 4} - sent_rows(wx, legacy_server, real.json["job"], tmp_path)
