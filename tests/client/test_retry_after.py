"""Retry-After is the server's text: no value of it may raise, and an unusable one is ignored."""

from __future__ import annotations

import logging
import math
import re
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime

import pytest
from conftest import error, instance_json, success
from hypothesis import example, given, settings
from hypothesis import strategies as st

from prefactor_http import PrefactorRateLimitError, PrefactorRetryExhaustedError
from prefactor_http._responses import retry_after
from tests.support.bulk import echo_bulk, keys_of, sent_keys, span_items
from tests.support.writers import NEVER, Writers

# The header of the report: a day no datetime can hold, read by the stdlib as an int.
OVERFLOWING = "Mon, 99999999999999999999 Jan 2020 00:00:00 GMT"
START_PATH = "/api/v1/agent_instance/inst-1/start"

# A few hundred examples each keep the file under a second or two; no example database is
# written into the tree. The deadline only catches a pathological parse (each takes µs).
FUZZ = settings(max_examples=300, deadline=timedelta(seconds=2), database=None)

HUGE = st.integers(min_value=-(10**30), max_value=10**30)
SPACE = st.sampled_from(["", " ", "  ", "\t", " \t "])


def assert_usable(wait: float | None) -> None:
    """What the retry loop can use: no value, or a finite, non-negative number of seconds."""
    assert wait is None or (isinstance(wait, float) and math.isfinite(wait) and wait >= 0), wait


@st.composite
def numbers(draw: st.DrawFn) -> str:
    """Delay-seconds as a server might spell them, or misspell them."""
    number = draw(
        st.one_of(
            HUGE.map(str),
            st.floats(allow_nan=True, allow_infinity=True).map(repr),
            st.floats(allow_nan=True, allow_infinity=True).map(str),
            st.floats(min_value=-1e12, max_value=1e12).map(lambda f: f"{f:f}"),
            st.sampled_from(
                ["nan", "NaN", "inf", "-inf", "Infinity", "1e400", "1e-400", "0x10", "1_000"]
            ),
            # Arabic-Indic and full-width digits, which Python's float() reads and HTTP does not.
            st.sampled_from(["\u0661\u0662", "\uff11\uff12", "1.", ".5", "1.5.5"]),
            st.sampled_from(["0" * 40 + "1", "9" * 400]),
        )
    )
    sign = draw(st.sampled_from(["", "+", "-", "--", "+-"]))
    return f"{draw(SPACE)}{sign}{number}{draw(SPACE)}"


@st.composite
def dates(draw: st.DrawFn) -> str:
    """HTTP dates with any field out of range: huge days and years, odd hours and zones."""
    part = st.one_of(HUGE.map(str), st.text(max_size=6))
    weekday = draw(st.sampled_from(["Mon, ", "Sun, ", "Xyz, ", "", ", "]))
    day = draw(st.one_of(st.integers(0, 40).map(str), part))
    month = draw(st.sampled_from(["Jan", "Feb", "Dec", "jan", "Foo", "", "13"]))
    year = draw(st.one_of(st.integers(0, 10_000).map(str), part))
    clock = ":".join(draw(st.lists(st.one_of(st.integers(0, 99).map(str), part), max_size=4)))
    zone = draw(
        st.one_of(
            st.sampled_from(["GMT", "UT", "UTC", "Z", "EST", "PDT", "-0000", "+0000", ""]),
            st.builds(lambda s, n: f"{s}{n:04d}", st.sampled_from("+-"), st.integers(0, 10**25)),
            st.text(max_size=8),
        )
    )
    return f"{weekday}{day} {month} {year} {clock} {zone}"


@st.composite
def valid_dates(draw: st.DrawFn) -> tuple[str, datetime]:
    """An HTTP date a datetime holds, in any fixed zone, and the moment it names."""
    offset = timedelta(minutes=draw(st.integers(-1439, 1439)))
    when = draw(st.datetimes(min_value=datetime(100, 1, 1), timezones=st.just(timezone(offset))))
    return format_datetime(when), when.replace(microsecond=0)


@FUZZ
@given(st.one_of(st.text(), numbers()))
@example(OVERFLOWING)
def test_no_text_or_number_raises(value):
    """Whatever the header holds, reading it never raises; only plain delay-seconds count."""
    wait = retry_after(value)

    assert_usable(wait)
    if re.fullmatch(r"\s*[0-9]{1,9}(\.[0-9]{1,6})?\s*", value, flags=re.ASCII):
        assert wait == float(value)


@FUZZ
@given(st.one_of(dates().map(lambda value: (value, None)), valid_dates()))
@example((OVERFLOWING, None))
@example(("Mon, 01 Jan 2020 99999999999999999999:00:00 GMT", None))
@example(("Mon, 01 Jan 2020 00:00:00 +99999999999999999999", None))
@example(("Fri, 31 Dec 9999 23:59:59 -2359", None))
@example(("Mon, 01 Jan 0001 00:00:00 +2359", None))
def test_no_date_raises_and_a_valid_one_is_the_time_until_it(date):
    """A date no datetime can hold is ignored, never an OverflowError; a valid one is read."""
    value, when = date

    wait = retry_after(value)

    assert_usable(wait)
    if when is not None:
        expected = (when - datetime.now(UTC)).total_seconds()
        assert wait == pytest.approx(max(expected, 0.0), abs=5.0)


def logged_waits(caplog: pytest.LogCaptureFixture) -> list[float]:
    return [float(w) for w in re.findall(r"retrying in ([0-9.]+)s", caplog.text)]


@pytest.mark.parametrize("status", [503, 429])
@pytest.mark.parametrize(
    "header",
    [OVERFLOWING, "Mon, 01 Jan 2020 00:00:00 +99999999999999999999"],
)
def test_an_unusable_retry_after_is_retried_like_an_absent_one(
    server, twin, caplog, status, header
):
    """The call is retried after the normal backoff, not max_retry_delay, and succeeds."""
    caplog.set_level(logging.DEBUG, logger="prefactor_http")
    server.expect_ordered_request(START_PATH).respond_with_json(
        error("busy", "later"), status=status, headers={"Retry-After": header}
    )
    server.expect_ordered_request(START_PATH).respond_with_json(success(instance_json()))
    client = twin.new_client(initial_retry_delay=0.001, max_retry_delay=30.0)

    instance = twin(lambda c: c.agent_instances.start("inst-1"), client)

    assert instance.id == "inst-1"
    assert len(server.log) == 2
    [wait] = logged_waits(caplog)
    assert wait <= 0.001  # full jitter under initial_retry_delay: the header played no part


def test_an_unusable_retry_after_to_the_end_gives_the_typed_exhausted_error(server, twin, caplog):
    """Every attempt backs off normally; the caller gets the usual typed error, with no wait."""
    caplog.set_level(logging.DEBUG, logger="prefactor_http")
    server.expect_request(START_PATH).respond_with_json(
        error("rate_limited", "slow down"), status=429, headers={"Retry-After": OVERFLOWING}
    )
    client = twin.new_client(
        initial_retry_delay=0.001, retry_multiplier=2.0, max_retry_delay=30.0, max_retries=2
    )

    with pytest.raises(PrefactorRetryExhaustedError) as caught:
        twin(lambda c: c.agent_instances.start("inst-1"), client)

    assert isinstance(caught.value.last_error, PrefactorRateLimitError)
    assert caught.value.last_error.retry_after is None
    assert caught.value.attempts == 3
    assert len(server.log) == 3
    first, second = logged_waits(caplog)  # under the backoff's ceilings: 0.001, then 0.002
    assert (first <= 0.001, second <= 0.002) == (True, True)


def test_a_writer_delivers_a_batch_answered_with_an_unusable_retry_after(server, twin):
    """The batch is sent again with the same keys and delivered, not failed for good."""
    server.expect_ordered_request("/api/v1/bulk").respond_with_json(
        error("down", "later"), status=503, headers={"Retry-After": OVERFLOWING}
    )
    server.expect_ordered_request("/api/v1/bulk").respond_with_handler(echo_bulk())
    items = span_items(3)
    writers = Writers(twin)
    writer = writers.make(max_items=100, flush_interval=NEVER)
    writers.write(writer, items)

    writers.run(writer.close)  # raises PrefactorDeliveryError if the batch was given up

    assert sent_keys(server) == [keys_of(items), keys_of(items)]
