"""The store's passphrase for a command, where no keychain holds the store's key (issue 23).

Asked at the terminal (twice when it is chosen), or taken from ``DXDESK_STORE_PASSPHRASE`` for
scripts; asked once per command, before the command reads anything else from stdin.
"""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from dxdesk.command_line import UsageError
from dxdesk.models import backup_keys, store_key

PASSPHRASE_ENV = "DXDESK_STORE_PASSPHRASE"


def unlock_store(data_dir: Path) -> None:
    """Have the store's key in this process before the command opens the store: from the
    keychain (nothing to do), or from the passphrase (asked here). A data folder with no key
    yet gets one at opening: in the keychain, or sealed under a passphrase chosen here."""
    try:
        store_key.key_for(data_dir)
        return
    except store_key.PassphraseNeeded:
        choose = False
    except store_key.StoreKeyError:
        if store_key.has_key(data_dir) or backup_keys.keychain_available():
            return  # the opening says what is wrong, or makes a key in the keychain
        choose = True
    given = os.environ.get(PASSPHRASE_ENV)
    try:
        store_key.unlock(data_dir, given or _asked(choose))
    except store_key.WrongPassphrase:
        if not given:
            raise
        raise UsageError(f"{PASSPHRASE_ENV} の合言葉が違います。何も変えていません") from None


def _asked(choose: bool) -> str:
    if not sys.stdin.isatty():
        raise UsageError(
            "この端末にはキーチェーンがないため、記録の合言葉が要ります。"
            f"端末で入力するか、環境変数 {PASSPHRASE_ENV} で渡してください"
        )
    try:
        if choose:
            sys.stderr.write(
                "この端末にはキーチェーンがないため、記録を暗号化する合言葉を決めます"
                f"（{backup_keys.MIN_PASSPHRASE} 文字以上。起動のたびに入力します）\n"
            )
        first = getpass.getpass("記録の合言葉: ")
        if choose and getpass.getpass("もう一度: ") != first:
            raise UsageError("合言葉が一致しません。何も変えていません")
    except EOFError:
        raise UsageError("合言葉が入力されませんでした") from None
    return first
