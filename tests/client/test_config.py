"""HttpClientConfig: defaults, environment fallbacks, checks, and a repr without the token."""

from __future__ import annotations

import re
import traceback

import pytest

from prefactor_http import HttpClientConfig, PrefactorConfigError

SECRET = "pf-secret-value-123"


def test_defaults_match_the_documented_ones():
    """The retry and timeout defaults are those of the existing client."""
    config = HttpClientConfig(api_url="https://app.prefactorai.com/", api_token=SECRET)

    assert config.api_url == "https://app.prefactorai.com"
    assert (config.request_timeout, config.connect_timeout) == (30.0, 10.0)
    assert (config.max_retries, config.initial_retry_delay) == (3, 1.0)
    assert (config.max_retry_delay, config.retry_multiplier) == (60.0, 2.0)
    assert config.retry_on_status_codes == (429, 500, 502, 503, 504)
    assert (config.max_connections, config.max_keepalive_connections) == (100, 20)
    assert (config.keepalive_expiry, config.async_transport) == (5.0, "aiohttp")


def test_url_and_token_fall_back_to_the_environment(monkeypatch):
    """PREFACTOR_API_URL and PREFACTOR_API_TOKEN fill what was not passed."""
    monkeypatch.setenv("PREFACTOR_API_URL", "http://127.0.0.1:9000")
    monkeypatch.setenv("PREFACTOR_API_TOKEN", SECRET)

    config = HttpClientConfig()

    assert (config.api_url, config.api_token) == ("http://127.0.0.1:9000", SECRET)


def test_passed_values_win_over_the_environment(monkeypatch):
    """An explicit argument is not replaced by the environment."""
    monkeypatch.setenv("PREFACTOR_API_URL", "http://127.0.0.1:9000")

    assert HttpClientConfig(api_url="http://127.0.0.1:1", api_token="t").api_url == (
        "http://127.0.0.1:1"
    )


def test_repr_never_shows_the_token():
    """The token is absent from repr() and str()."""
    config = HttpClientConfig(api_url="http://127.0.0.1:1", api_token=SECRET)

    assert SECRET not in repr(config)
    assert SECRET not in str(config)
    assert "api_url='http://127.0.0.1:1'" in repr(config)


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"api_url": ""}, "api_url is required"),
        ({"api_token": "  "}, "api_token is required"),
        ({"api_url": "app.prefactorai.com"}, "http(s) URL"),
        ({"request_timeout": 0}, "request_timeout"),
        ({"connect_timeout": -1.0}, "connect_timeout"),
        ({"initial_retry_delay": 0}, "initial_retry_delay"),
        ({"max_retry_delay": "5"}, "max_retry_delay"),
        ({"max_retries": -1}, "max_retries"),
        ({"max_retries": 1.5}, "max_retries"),
        ({"retry_multiplier": 0.5}, "retry_multiplier"),
        ({"max_retry_delay": 0.5}, "below"),
        ({"retry_on_status_codes": (503, 99)}, "retry_on_status_codes"),
        ({"api_token": "pf-secret\nX-Injected: 1"}, "api_token holds a character"),
        ({"api_token": "pf-sécret"}, "api_token holds a character"),
        ({"api_token": 12345}, "api_token must be a string"),
        ({"api_url": 5}, "api_url must be a string"),
        ({"api_url": "http://[::1"}, "api_url is not a valid URL"),
        ({"request_timeout": float("inf")}, "request_timeout"),
        ({"max_retry_delay": float("nan")}, "max_retry_delay"),
        ({"retry_multiplier": float("inf")}, "retry_multiplier"),
        ({"retry_on_status_codes": 5}, "retry_on_status_codes"),
        ({"max_connections": 0}, "max_connections must be a positive int or None"),
        ({"max_connections": True}, "max_connections"),
        ({"max_keepalive_connections": 2.5}, "max_keepalive_connections"),
        ({"keepalive_expiry": -1}, "keepalive_expiry"),
        ({"async_transport": "trio"}, "async_transport must be one of 'httpx', 'aiohttp'"),
        ({"async_transport": ["aiohttp"]}, "async_transport"),
        ({"max_response_bytes": 0}, "max_response_bytes"),
        ({"max_response_bytes": None}, "max_response_bytes"),
        ({"proxy": "socks5://proxy:1080"}, "proxy must be an http(s) URL"),
        ({"proxy": 3128}, "proxy must be a URL string"),
        ({"ca_bundle": "/no/such/ca.pem"}, "ca_bundle must name a PEM file"),
    ],
)
def test_bad_values_are_refused(overrides, problem):
    """Each bad setting raises PrefactorConfigError (also a ValueError) naming it."""
    settings = {"api_url": "http://127.0.0.1:1", "api_token": SECRET, **overrides}

    with pytest.raises(PrefactorConfigError, match=re.escape(problem)) as caught:
        HttpClientConfig(**settings)

    assert isinstance(caught.value, ValueError)
    assert SECRET not in str(caught.value)
    token = str(settings["api_token"]).strip()
    assert not token or token not in str(caught.value)


def test_repr_never_shows_a_proxy_password():
    """A proxy URL may carry credentials: it stays out of repr() too."""
    config = HttpClientConfig(
        api_url="http://127.0.0.1:1", api_token=SECRET, proxy="http://user:hunter2@proxy:3128"
    )

    assert config.proxy == "http://user:hunter2@proxy:3128"
    assert "hunter2" not in repr(config)


def test_config_is_immutable():
    """A checked config cannot be changed into an unchecked one."""
    config = HttpClientConfig(api_url="http://127.0.0.1:1", api_token=SECRET)

    with pytest.raises(AttributeError):
        config.max_retries = -5  # type: ignore[misc]


def test_pool_limits_may_be_lifted():
    """None means no limit, as in httpx.Limits."""
    config = HttpClientConfig(
        api_url="http://127.0.0.1:1",
        api_token=SECRET,
        max_connections=None,
        max_keepalive_connections=None,
        keepalive_expiry=None,
        async_transport="aiohttp",
    )

    assert (config.max_connections, config.keepalive_expiry) == (None, None)
    assert config.async_transport == "aiohttp"


PASSWORD = "hunter2-pw"
URLS_WITH_CREDENTIALS = [
    f"https://user:{PASSWORD}@app.prefactorai.com",
    f"https://:{PASSWORD}@app.prefactorai.com/",
    f"http://{PASSWORD}@127.0.0.1:8080/api",
    f"https://user:{PASSWORD}@app.prefactorai.com:99999",
    f"user:{PASSWORD}@app.prefactorai.com",
]


@pytest.mark.parametrize("url", URLS_WITH_CREDENTIALS)
def test_a_url_with_credentials_is_refused_without_showing_them(url):
    """user:password@ in api_url raises PrefactorConfigError; no text or traceback shows it."""
    with pytest.raises(PrefactorConfigError, match="must not hold credentials") as caught:
        HttpClientConfig(api_url=url, api_token=SECRET)

    shown = "".join(traceback.format_exception(caught.value))
    assert PASSWORD not in shown
    assert PASSWORD not in repr(caught.value)


def test_a_url_with_credentials_from_the_environment_is_refused(monkeypatch):
    """PREFACTOR_API_URL is checked the same way."""
    monkeypatch.setenv("PREFACTOR_API_URL", f"https://user:{PASSWORD}@app.prefactorai.com")

    with pytest.raises(PrefactorConfigError, match="must not hold credentials") as caught:
        HttpClientConfig(api_token=SECRET)

    assert PASSWORD not in str(caught.value)
