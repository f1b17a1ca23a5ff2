"""serve's help agrees with the README: not behind a reverse proxy (issue 17, finding 6).

It told operators to raise --max-connections-per-address behind one, while the README says not
to run behind one at all: the login rate limit counts failures per client address, which would
then be the proxy's for every laptop.
"""

from __future__ import annotations

import pytest

from tests.server.test_server_cli_help import help_text


@pytest.mark.parametrize(
    ("language", "proxy", "advice"),
    [("en", "reverse proxy", "do not serve behind"), ("ja", "リバースプロキシ", "置かない")],
)
def test_serve_help_says_not_to_serve_behind_a_reverse_proxy(
    capsys: pytest.CaptureFixture[str], language: str, proxy: str, advice: str
) -> None:
    out = " ".join(help_text(capsys, "--lang", language, "serve").split())
    assert proxy in out and advice in out, out
    assert "raise it behind" not in out and "後ろでは増やす" not in out
