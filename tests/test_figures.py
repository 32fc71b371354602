"""Figures as intervals with units: the phrasings of the seed resume and of English
data-engineering resumes, and a property that the parser never raises and reads back
every interval it prints."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.kb.figures import Interval, figures, format_interval, parse_figure

# (text, [(interval as printed, role), ...])
TABLE = [
    # the seed resume, both versions
    ("可同时支持上几千个任务调度", [("2000-9999 tasks", "")]),
    ("能够同时支持2000个后台任务进行异步调度执行", [("2000 tasks", "")]),
    ("每日QPS峰值达几w", [("20000-99999 QPS", "")]),
    ("服务于上千个餐厅和企业", [("1000+ restaurants", "")]),
    ("超过百万用户", [("1000000+ users", "")]),
    ("10几个复杂模块", [("11-19 modules", "")]),
    ("由6个主要的微服务构建而成", [("6 services", "")]),
    ("以支持最高峰值上万的用户", [("10000+ users", "")]),
    ("保证系统有可用99%", [("99%", "")]),
    ("业务线每天需要处理数十万笔交易订单", [("200000-999999 orders", "")]),
    ("用户数量百万级别", [("1000000-9999999 users", "")]),
    ("支撑百万级用户新数据的半实时推送", [("1000000-9999999 users", "")]),
    ("拥有300百万用户", [("300000000 users", "")]),
    ("打折促销日支持的突发日增量订单数据仅索引数据可达TB级别", [("1-999 TB", "")]),
    ("对从上游的每日TB级数据进行同步", [("1-999 TB", "")]),
    ("以应对打折促销日支持的突增100%的日增量订单", [("100%", "")]),
    # the built-in knowledge base's way of writing
    ("1 秒一格，3600 个槽位", [("1 s", ""), ("3600 slots", "")]),
    ("单层时间轮 3600 槽", [("3600 slots", "")]),
    ("约 10 个 worker Pod", [("8-12 workers", "")]),
    ("入口 QPS 峰值在 10000 以上", [("10000+ QPS", "")]),
    ("p99 从 250ms 降到 120ms", [("250 ms", "before"), ("120 ms", "")]),
    ("三千五百笔订单", [("3500 orders", "")]),
    ("两千个任务", [("2000 tasks", "")]),
    ("2千个任务", [("2000 tasks", "")]),
    ("3.5万用户", [("35000 users", "")]),
    ("几w用户", [("20000-99999 users", "")]),
    ("几万 QPS", [("20000-99999 QPS", "")]),
    ("十几个服务", [("11-19 services", "")]),
    ("几十个模块", [("20-99 modules", "")]),
    ("数百个节点", [("200-999 nodes", "")]),
    ("几百万用户", [("2000000-9999999 users", "")]),
    ("近百万用户", [("800000-1200000 users", "")]),
    ("2 到 3 秒", [("2-3 s", "")]),
    ("10-20万用户", [("100000-200000 users", "")]),
    ("5~10 分钟", [("5-10 min", "")]),
    ("延迟 50 毫秒", [("50 ms", "")]),
    ("耗时 3 小时", [("3 h", "")]),
    ("保留 7 天", [("7 days", "")]),
    ("3 个月", [("3 months", "")]),
    ("超过 2000 个任务", [("2000+ tasks", "")]),
    ("2000 多个任务", [("2000+ tasks", "")]),
    ("5 分钟以内", [("under 5 min", "")]),
    ("不到 1 秒", [("under 1 s", "")]),
    ("100万+ 用户", [("1000000+ users", "")]),
    ("2,000个任务", [("2000 tasks", "")]),
    # English, data-engineering style
    ("cutting freshness from 24 h to under 5 minutes", [("24 h", "before"), ("under 5 min", "")]),
    ("reduced p99 latency from 800 ms to 120 ms", [("800 ms", "before"), ("120 ms", "")]),
    ("processes 2,000 tasks per minute", [("2000 tasks", "")]),
    ("2k tasks", [("2000 tasks", "")]),
    ("3.5M users", [("3500000 users", "")]),
    ("3 million users", [("3000000 users", "")]),
    ("300 million users", [("300000000 users", "")]),
    ("over 10,000 QPS", [("10000+ QPS", "")]),
    ("around 500 QPS", [("400-600 QPS", "")]),
    ("up to 2000 concurrent tasks", [("1000-2000 tasks", "")]),
    ("under 10 minutes", [("under 10 min", "")]),
    ("less than 1 second", [("under 1 s", "")]),
    ("99.9% availability", [("99.9%", "")]),
    ("1 TB/day", [("1 TB", "")]),
    ("ingests 5 TB per day", [("5 TB", "")]),
    ("500 GB of logs", [("0.5 TB", "")]),
    ("tens of thousands of QPS", [("20000-99999 QPS", "")]),
    ("hundreds of thousands of orders", [("200000-999999 orders", "")]),
    ("a million users", [("1000000 users", "")]),
    ("3x faster", [("3x", "")]),
    ("50% fewer pages", [("50%", "")]),
    ("500-1000 QPS at the entry point", [("500-1000 QPS", "")]),
    ("scaled from 3 to 12 nodes", [("3 nodes", "before"), ("12 nodes", "")]),
    ("a 60-slot wheel with a 1 s tick", [("60 slots", ""), ("1 s", "")]),
    ("12 microservices", [("12 services", "")]),
    ("8 Kafka partitions", [("8 partitions", "")]),
    ("2-3 weeks", [("2-3 weeks", "")]),
    ("p99 under 200 ms", [("under 200 ms", "")]),
    ("latency 120ms -> 45ms", [("120 ms", "before"), ("45 ms", "")]),
    ("a 5-minute TTL", [("5 min", "")]),
    ("2000 to 3000 tasks", [("2000-3000 tasks", "")]),
    ("no figure here", []),
    ("统一管理，一致性", []),
]


def test_table_is_big_enough():
    assert len(TABLE) >= 60


@pytest.mark.parametrize("text, expected", TABLE, ids=[t for t, _ in TABLE])
def test_phrasing(text, expected):
    assert [(format_interval(f.interval), f.role) for f in figures(text)] == expected


def test_overlap_decides_agreement():
    (million_class,) = figures("用户数量百万级别")
    (three_hundred_million,) = figures("300百万用户")
    (over_million,) = figures("100万+ 用户")
    assert not million_class.interval.overlaps(three_hundred_million.interval)
    assert million_class.interval.overlaps(over_million.interval)
    under5, under10 = figures("under 5 minutes, under 10 minutes")
    assert not under5.interval.overlaps(under10.interval)  # "under 10" is not "under 5"
    (few_thousand,) = figures("上几千个任务")
    (two_thousand,) = figures("2000个任务")
    (fifteen_hundred,) = figures("1500 tasks")
    assert few_thousand.interval.overlaps(two_thousand.interval)  # 几千 is 2000-9999
    assert not few_thousand.interval.overlaps(fifteen_hundred.interval)
    assert not two_thousand.interval.overlaps(Interval(2000, 2000, "users"))  # units differ


def test_parse_figure_reads_leading_figure_and_role():
    f = parse_figure("800 ms p99 before")
    assert f and format_interval(f.interval) == "800 ms" and f.role == "before"
    f = parse_figure("under 5 minutes freshness")
    assert f and format_interval(f.interval) == "under 5 min"
    assert parse_figure("about things") is None
    assert parse_figure("p99 is 120 ms") is None  # the value must start with its figure


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("0123456789.,-~+% kKwWM万千百亿几上数十两三级别个任务用户笔秒分钟ms TB约超过以上以内到从 to under from")))
)
def test_parser_never_raises_and_reads_back_what_it_prints(text):
    for found in figures(text):
        printed = format_interval(found.interval)
        again = parse_figure(printed)
        assert again is not None and again.interval == found.interval, printed


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_parser_never_raises_on_any_text(text):
    for found in figures(text):
        assert found.interval.lo <= found.interval.hi
