"""`dxdesk backup -o FILE`: a copy that leaves the laptop, so never a plaintext one.

Before a backup passphrase is chosen the command refuses (nothing is written) and says how to
choose one; after, the copy is encrypted with the key from the keychain, or with the
passphrase (read from stdin, or asked at the terminal) where there is no keychain.
"""

from __future__ import annotations

from pathlib import Path

from dxdesk.cli.backups import read_passphrase
from dxdesk.command_line import UsageError
from dxdesk.models import backup_keys
from dxdesk.models.backup_crypto import BackupKey

NOT_SET_UP_FOR_COPY = (
    "バックアップの合言葉がまだ決まっていないため、コピーを作りません（暗号化していない"
    "コピーは作りません。何も書き出していません）。先に dxdesk backup-passphrase set で"
    "合言葉を決めてください"
)


def key_for_copy(data_dir: Path, passphrase_stdin: bool) -> BackupKey:
    """The key to encrypt the copy with; a refusal (UsageError, BackupKeyError) in one line
    before anything is written."""
    if not backup_keys.is_set_up(data_dir):
        raise UsageError(NOT_SET_UP_FOR_COPY)
    if passphrase_stdin:  # read whether or not a keychain answers: the line is always consumed
        passphrase = read_passphrase(True, prompt="")
        return backup_keys.key_for_backup(data_dir, passphrase=passphrase)
    try:
        return backup_keys.key_for_backup(data_dir)
    except backup_keys.PassphraseNeeded:
        passphrase = read_passphrase(False, prompt="バックアップの合言葉: ")
        return backup_keys.key_for_backup(data_dir, passphrase=passphrase)
