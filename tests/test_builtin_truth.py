"""The built-in knowledge base says one thing per system (issue 13): audit --strict is
clean, nothing contradicts a claim's facts, every card has a gist, every line of the
sent resume that an interviewer can drill into is a claim, and every claim carries facts."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import REPO

from prep.cli import cli
from prep.kb import loader

# Lines of the "after" resume texts that must each be quoted by a claim (spaces ignored).
RESUME_LINES = [
    "服务于上千个餐厅和企业超过百万用户",
    "由6个主要的微服务构建而成",
    "能够同时支持2000个后台任务进行异步调度执行",
    "每日QPS峰值达几w",
    "独立设计开发了其中的账户模块",
    "并参与团队剩余模块的实现，提供优化方案",
    "保证系统有可用99%",
    "提供测试人员使用docker脚本",
    "开发内部基础设施分布式调度平台",
    "开发内部使用的库",
    "以支持最高峰值上万的用户",
    "技术栈: Golang，Python，Shell，Kubernetes",
    "在中国和东南亚拥有300百万用户",
    "开发和调优",
    "撰写书面报告",
    "搭建promethus并收集数据到grafana",
    "参与多次在线事故处理",
    "技术栈：Golang，GraphQL，MySQL",
    "对从上游的每日TB级数据进行同步",
    "开发业务模块",
    "通过很多自动化的脚本,保证日常数据流的正确",
    "突增100%的日增量订单",
    "技术栈: C++，Python，Shell，Linux，Thrift，SQL",
    "基于C++ QT库的客户端软件",
    "该软件用于用户定制军事指令协议",
    "撰写项目文档, 负责后续需求沟通和迭代开发",
    "实现简单的集群互备和健康检查",
]


def _squash(s: str) -> str:
    return "".join(s.split())


@pytest.fixture(scope="module")
def kb():
    return loader.load(REPO)


@pytest.fixture(scope="module")
def audit(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    env = {"PREP_HOME": str(home)}
    result = CliRunner(env=env).invoke(cli, ["--kb", str(REPO), "audit", "--strict", "--json"])
    return result


def test_every_resume_line_is_a_claim(kb):
    quoted = [_squash(c.text if isinstance(c.text, str) else " ".join(c.text.values())) for c in kb.claims.values()]
    missing = [line for line in RESUME_LINES if not any(_squash(line) in q for q in quoted)]
    assert missing == []


def test_audit_strict_is_clean_with_zero_contradictions(audit):
    assert audit.exit_code == 0, audit.output[-3000:]
    summary = json.loads(audit.stdout)["summary"]
    assert summary["flagged"] == 0, summary
    assert summary["by_kind"]["contradiction"] == 0


def test_no_story_or_card_disagrees_with_its_claims_facts(audit):
    claims = json.loads(audit.stdout)["claims"]
    disagreeing = {c["id"]: [f["message"] for f in c["flags"]] for c in claims if c["flags"]}
    assert disagreeing == {}


def test_assumptions_are_counted_per_claim(audit):
    claims = json.loads(audit.stdout)["claims"]
    # The built-in KB is written on the candidate's behalf: honest assumptions everywhere.
    assert all(isinstance(c["to_confirm"], int) for c in claims)
    assert sum(c["to_confirm"] for c in claims) > 100
    assert all(c["to_confirm"] > 0 for c in claims if c["risk"] == "high")


def test_every_card_has_a_gist(kb):
    assert [cid for cid, card in kb.cards.items() if not card.gist] == []


def test_every_claim_has_facts_and_high_risk_ones_several(kb):
    assert [cid for cid, c in kb.claims.items() if not c.facts] == []
    assert [cid for cid, c in kb.claims.items() if c.risk == "high" and len(c.facts) < 2] == []
