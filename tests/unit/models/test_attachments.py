"""Attaching files to records: all or nothing, named safely, kept once, deleted and undone as
records are, and going with their parent."""

from __future__ import annotations

import hashlib
import os
import stat
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, event, select
from sqlalchemy.orm import Session

from dxdesk.domain.progress import Cancelled
from dxdesk.domain.records import MAX_FILE_BYTES
from dxdesk.models.file_store import FileProblem
from dxdesk.models.tables import AttachmentRow, AttachmentUpload
from dxdesk.services.assignment import set_assignment
from dxdesk.services.attachments import OPENED_DIR, FileNotHere
from dxdesk.services.file_names import MAX_NAME_BYTES, safe_file_name
from dxdesk.services.records import InvalidRecord, RecordNotFound
from dxdesk.services.workspace import Workspace
from dxdesk.sync.files import prune_files
from tests.store_files import stored_bytes


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.fixture
def visit(workspace: Workspace, visit_payload: dict[str, object]) -> dict[str, Any]:
    return workspace.engagements.add(visit_payload)


def stored_files(ws: Workspace) -> list[str]:
    return sorted(ws.files.stored())


def in_store(ws: Workspace) -> list[Path]:
    """Every file under the file store's folder (stored or not), but its lock file."""
    root = ws.files.root
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and p != root / ".lock")


def upload_ids(ws: Workspace) -> set[str]:
    with ws.store.session() as session:
        return set(session.scalars(select(AttachmentUpload.attachment_id)))


def test_several_files_are_attached_to_a_visit_at_once(
    workspace: Workspace, visit: dict[str, Any], tmp_path: Path
) -> None:
    plan = write(tmp_path / "計画案 第2版.pdf", b"%PDF-1.7 plan")
    photo = write(tmp_path / "ホワイトボード.png", b"\x89PNG board")
    progress: list[tuple[int, int]] = []
    made = workspace.attachments.attach(
        "visit", visit["id"], [plan, photo], progress=lambda d, t: progress.append((d, t))
    )
    assert [(r["name"], r["size"], r["media_type"]) for r in made] == [
        ("計画案 第2版.pdf", 13, "application/pdf"),
        ("ホワイトボード.png", 10, "image/png"),
    ]
    for record, source in zip(made, (plan, photo), strict=True):
        assert record["sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()
        assert record["parent_kind"] == "visit" and record["parent"] == visit["id"]
        assert record["municipality"] == "302015"
        assert stored_bytes(workspace.files, record["sha256"]) == source.read_bytes()
    assert progress[-1] == (23, 23)
    assert upload_ids(workspace) == {r["id"] for r in made}
    assert workspace.store.has_pending([("attachment", r["id"]) for r in made])
    listed = workspace.attachments.list_for("visit", visit["id"])
    assert {r["id"] for r in listed} == {r["id"] for r in made}
    assert all(r["present"] and r["waiting"] and r["created_at"] for r in listed)
    assert workspace.records("attachment") is workspace.attachments
    assert workspace.files.root == workspace.store.data_dir / "files"


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        (lambda p: write(p / "空.txt", b""), "空.txt: 空のファイル"),
        (lambda p: (p / "フォルダ").mkdir() or p / "フォルダ", "フォルダは添付できません"),
        (lambda p: p / "ない.pdf", "ない.pdf: ファイルが見つかりません"),
    ],
    ids=["empty", "folder", "missing"],
)
def test_one_bad_file_refuses_the_whole_attach_before_any_copy(
    workspace: Workspace, visit: dict[str, Any], tmp_path: Path, bad: Any, words: str
) -> None:
    good = write(tmp_path / "good.pdf", b"good")
    with pytest.raises(FileProblem, match=words):
        workspace.attachments.attach("visit", visit["id"], [good, bad(tmp_path)])
    assert workspace.attachments.list_for("visit", visit["id"]) == []
    assert in_store(workspace) == []


def test_a_file_over_the_limit_refuses_the_attach(
    workspace: Workspace, visit: dict[str, Any], tmp_path: Path
) -> None:
    big = tmp_path / "動画.mp4"
    with big.open("wb") as file:
        file.truncate(MAX_FILE_BYTES + 1)  # sparse
    with pytest.raises(FileProblem, match=r"動画.mp4: ファイルが大きすぎます"):
        workspace.attachments.attach("visit", visit["id"], [write(tmp_path / "a.txt", b"a"), big])
    assert in_store(workspace) == []


def test_a_later_file_changing_while_copied_leaves_no_record_and_no_file(
    workspace: Workspace, visit: dict[str, Any], tmp_path: Path
) -> None:
    first = write(tmp_path / "first.pdf", b"copied first")
    second = write(tmp_path / "second.xlsx", b"x" * (2 << 20))
    calls = 0

    def cancel() -> bool:  # before each chunk: once the second file is being read, change it
        nonlocal calls
        calls += 1
        if calls == 2:
            with second.open("ab") as file:
                file.write(b"appended")
        return False

    with pytest.raises(FileProblem, match=r"second.xlsx: コピーしている間に"):
        workspace.attachments.attach("visit", visit["id"], [first, second], cancel=cancel)
    assert workspace.attachments.list_for("visit", visit["id"]) == []
    assert in_store(workspace) == []
    assert upload_ids(workspace) == set()


def test_a_parent_deleted_while_the_files_were_copied_leaves_no_record_and_no_file(
    workspace: Workspace, visit: dict[str, Any], tmp_path: Path
) -> None:
    """The records are written in one transaction after the copies: when that fails (here the
    visit went meanwhile, deleted from another window), the files copied in go too."""
    files = [write(tmp_path / "a.pdf", b"first"), write(tmp_path / "b.pdf", b"second")]

    def progress(done: int, total: int) -> None:
        if done == total and workspace.engagements.list_records():
            workspace.engagements.delete(visit["id"])

    with pytest.raises(InvalidRecord, match=r"相談記録 .* はありません"):
        workspace.attachments.attach("visit", visit["id"], files, progress=progress)
    assert in_store(workspace) == []
    with workspace.store.session() as session:
        assert session.scalars(select(AttachmentRow)).all() == []
    assert upload_ids(workspace) == set()


def test_a_sync_prune_waits_for_an_attach_of_bytes_it_would_remove(
    workspace: Workspace, visit: dict[str, Any], tmp_path: Path
) -> None:
    """The same bytes as a deleted attachment's: a sync's prune (another thread, or the
    window while the CLI attaches) that starts after the copy in must not remove them before
    the new record names them. The attach holds the file store's lock (an OS lock other
    processes see) from its copy in to its commit, and the prune waits for it."""
    fcntl = pytest.importorskip("fcntl")
    source = write(tmp_path / "a.pdf", b"same as a deleted one")
    (old,) = workspace.attachments.attach("visit", visit["id"], [source])
    with workspace.store.transaction() as session:  # its bytes went up, then it was deleted
        session.execute(delete(AttachmentUpload))
    workspace.attachments.delete(old["id"])
    held: list[bool] = []
    pruned: list[int] = []
    prune = threading.Thread(target=lambda: pruned.append(prune_files(workspace.store)))

    def lock_held() -> bool:
        if not (workspace.files.root / ".lock").exists():
            return False
        with (workspace.files.root / ".lock").open("rb") as other:
            try:
                fcntl.flock(other.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(other.fileno(), fcntl.LOCK_UN)
            return False

    def progress(done: int, total: int) -> None:
        if done == total and not prune.is_alive() and not pruned:
            prune.start()  # the bytes are in, the record not yet
        held.append(lock_held())

    def committed(session: Session) -> None:
        held.append(lock_held())

    event.listen(Session, "after_commit", committed)
    try:
        (made,) = workspace.attachments.attach("visit", visit["id"], [source], progress=progress)
    finally:
        event.remove(Session, "after_commit", committed)
    prune.join()
    assert held and all(held)  # from the copy in to the commit
    assert pruned == [0]
    assert stored_bytes(workspace.files, made["sha256"]) == b"same as a deleted one"
    assert workspace.attachments.get(made["id"])["present"]
    assert not lock_held()


def test_cancel_leaves_nothing(workspace: Workspace, visit: dict[str, Any], tmp_path: Path) -> None:
    first = write(tmp_path / "first.pdf", b"one")
    second = write(tmp_path / "second.pdf", b"two")
    calls = 0

    def cancel() -> bool:
        nonlocal calls
        calls += 1
        return calls == 2

    with pytest.raises(Cancelled):
        workspace.attachments.attach("visit", visit["id"], [first, second], cancel=cancel)
    assert in_store(workspace) == []
    assert workspace.attachments.list_for("visit", visit["id"]) == []


def test_a_failed_attach_keeps_the_files_other_records_name(
    workspace: Workspace, visit: dict[str, Any], tmp_path: Path
) -> None:
    kept = workspace.attachments.attach(
        "visit", visit["id"], [write(tmp_path / "a.pdf", b"shared bytes")]
    )
    again = write(tmp_path / "b.pdf", b"shared bytes")
    with pytest.raises(FileProblem):
        workspace.attachments.attach("visit", visit["id"], [again, tmp_path / "missing"])
    calls = 0

    def cancel() -> bool:
        nonlocal calls
        calls += 1
        return calls == 2

    with pytest.raises(Cancelled):
        workspace.attachments.attach(
            "visit", visit["id"], [again, write(tmp_path / "c.pdf", b"new")], cancel=cancel
        )
    assert stored_files(workspace) == [kept[0]["sha256"]]


def test_the_same_file_twice_is_one_attachment_and_the_same_content_one_copy(
    workspace: Workspace, visit: dict[str, Any], tmp_path: Path
) -> None:
    plan = write(tmp_path / "plan.pdf", b"the plan")
    made = workspace.attachments.attach(
        "visit", visit["id"], [plan, plan, tmp_path / "." / "plan.pdf"]
    )
    assert len(made) == 1
    copy = write(tmp_path / "plan (copy).pdf", b"the plan")
    again = workspace.attachments.attach("visit", visit["id"], [copy])
    assert again[0]["sha256"] == made[0]["sha256"] and again[0]["id"] != made[0]["id"]
    assert len(workspace.attachments.list_for("visit", visit["id"])) == 2
    assert stored_files(workspace) == [made[0]["sha256"]]


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("議事録 2025年6月 （案）.docx", "議事録 2025年6月 （案）.docx"),
        ("C:\\Users\\tanaka\\資料.pdf", "C__Users_tanaka_資料.pdf"),
        ("会議:メモ?.txt", "会議_メモ_.txt"),
        ("CON.txt", "_CON.txt"),
        ("報告書. ", "報告書"),
    ],
)
def test_names_are_kept_but_made_safe_for_every_system(
    workspace: Workspace, visit: dict[str, Any], tmp_path: Path, name: str, stored: str
) -> None:
    made = workspace.attachments.attach("visit", visit["id"], [write(tmp_path / name, b"x")])
    assert made[0]["name"] == stored


def test_a_mac_name_in_decomposed_kana_is_stored_composed(
    workspace: Workspace, visit: dict[str, Any], tmp_path: Path
) -> None:
    made = workspace.attachments.attach(
        "visit", visit["id"], [write(tmp_path / "ハ\u3099ス.pdf", b"x")]
    )
    assert made[0]["name"] == "バス.pdf"


def test_every_parent_kind_and_its_municipality(
    workspace: Workspace, visit: dict[str, Any], tmp_path: Path
) -> None:
    note = workspace.interviews.add({"engagement": visit["id"], "interviewee": "山本"})
    item = workspace.follow_ups.add({"engagement": visit["id"], "description": "計画案の確認"})
    article = workspace.articles.add({"title": "窓口BPRの進め方", "municipality": "302015"})
    event = workspace.events.add({"date": "2025-07-01", "title": "合同研修"})
    source = write(tmp_path / "資料.pdf", b"x")
    expected = {
        ("interview", note["id"]): "302015",
        ("followup", item["id"]): "302015",
        ("article", article["id"]): None,
        ("event", event["id"]): None,
    }
    for (kind, record_id), municipality in expected.items():
        (made,) = workspace.attachments.attach(kind, record_id, [source])
        assert (made["parent_kind"], made["municipality"]) == (kind, municipality)


def test_a_parent_that_is_not_there_refuses_before_any_copy(
    workspace: Workspace, visit: dict[str, Any], tmp_path: Path
) -> None:
    source = write(tmp_path / "a.pdf", b"x")
    with pytest.raises(InvalidRecord, match="'contact' にはファイルを添付できません"):
        workspace.attachments.attach("contact", visit["id"], [source])
    with pytest.raises(RecordNotFound, match=r"ナレッジ .* はありません"):
        workspace.attachments.attach("article", visit["id"], [source])
    with pytest.raises(RecordNotFound, match="相談記録 nonsense はありません"):
        workspace.attachments.attach("visit", "nonsense", [source])
    workspace.engagements.delete(visit["id"])
    with pytest.raises(RecordNotFound):
        workspace.attachments.attach("visit", visit["id"], [source])
    with pytest.raises(InvalidRecord, match="添付するファイルを指定してください"):
        workspace.attachments.attach("event", visit["id"], [])
    assert in_store(workspace) == []


def test_a_municipality_not_assigned_is_refused(
    workspace: Workspace, visit: dict[str, Any], tmp_path: Path
) -> None:
    with workspace.store.transaction() as session:
        set_assignment(session, ["303917"])
    with pytest.raises(InvalidRecord, match="は担当ではありません"):
        workspace.attachments.attach("visit", visit["id"], [write(tmp_path / "a.pdf", b"x")])
    assert in_store(workspace) == []
    event = workspace.events.add({"date": "2025-07-01", "title": "合同研修"})
    assert workspace.attachments.attach("event", event["id"], [tmp_path / "a.pdf"])


def test_an_attachment_keeps_its_bytes_and_parent_but_may_be_renamed(
    workspace: Workspace, visit: dict[str, Any], tmp_path: Path
) -> None:
    (made,) = workspace.attachments.attach("visit", visit["id"], [write(tmp_path / "a.pdf", b"x")])
    renamed = workspace.attachments.update(made["id"], {"name": "計画案:最終.pdf"})
    assert renamed["name"] == "計画案_最終.pdf"
    with pytest.raises(InvalidRecord, match="中身と添付先は変えられません（sha256）"):
        workspace.attachments.update(made["id"], {"sha256": "0" * 64})
    with pytest.raises(InvalidRecord, match="parent"):
        other = workspace.engagements.add({"municipality": "302015", "date": "2025-06-13"})
        workspace.attachments.update(made["id"], {"parent": other["id"]})


def test_private_copy_is_read_only_in_a_fresh_folder_each_time(
    workspace: Workspace, visit: dict[str, Any], tmp_path: Path
) -> None:
    (made,) = workspace.attachments.attach(
        "visit", visit["id"], [write(tmp_path / "計画案.pdf", b"%PDF plan")]
    )
    first = workspace.attachments.private_copy(made["id"])
    second = workspace.attachments.private_copy(made["id"])
    assert first.name == second.name == "計画案.pdf"
    assert first.parent != second.parent
    assert first.parent.parent == workspace.store.data_dir / OPENED_DIR
    assert first.read_bytes() == second.read_bytes() == b"%PDF plan"
    assert stat.S_IMODE(first.stat().st_mode) == 0o400
    assert stat.S_IMODE(first.parent.parent.stat().st_mode) == 0o700
    # Copies older than a day go at the next opening; the newer stay.
    os.utime(first.parent, (0, 0))
    workspace.attachments.private_copy(made["id"])
    assert not first.parent.exists() and second.exists()


def test_the_opened_copies_go_when_the_process_ends_them(
    workspace: Workspace, visit: dict[str, Any], tmp_path: Path
) -> None:
    """The copies opened for the system's application are the only plaintext of a file under
    the data folder: removed at the window's end, so no byte search finds the file after."""
    secret = "開いた資料の中身です。".encode() * 50
    (made,) = workspace.attachments.attach(
        "visit", visit["id"], [write(tmp_path / "資料.txt", secret)]
    )
    copies = [workspace.attachments.private_copy(made["id"]) for _ in range(2)]
    data = workspace.store.data_dir
    holding = [p for p in data.rglob("*") if p.is_file() and secret in p.read_bytes()]
    assert sorted(holding) == sorted(copies)
    assert workspace.attachments.remove_opened_copies() == 2
    assert [p for p in data.rglob("*") if p.is_file() and secret in p.read_bytes()] == []
    assert not any(copy.parent.exists() for copy in copies)
    assert workspace.attachments.remove_opened_copies() == 0


def test_save_as_to_a_file_or_into_a_folder(
    workspace: Workspace, visit: dict[str, Any], tmp_path: Path
) -> None:
    (made,) = workspace.attachments.attach(
        "visit", visit["id"], [write(tmp_path / "計画案.pdf", b"%PDF plan")]
    )
    out = tmp_path / "out"
    out.mkdir()
    workspace.attachments.save_as(made["id"], out / "コピー.pdf")
    workspace.attachments.save_as(made["id"], out)
    assert (out / "コピー.pdf").read_bytes() == (out / "計画案.pdf").read_bytes() == b"%PDF plan"
    with pytest.raises(Exception, match=r"保存先のフォルダ .* がありません"):
        workspace.attachments.save_as(made["id"], tmp_path / "nowhere" / "a.pdf")


def test_bytes_not_on_this_laptop_say_sync_first(
    workspace: Workspace, visit: dict[str, Any], tmp_path: Path
) -> None:
    (made,) = workspace.attachments.attach(
        "visit", visit["id"], [write(tmp_path / "計画案.pdf", b"%PDF plan")]
    )
    workspace.files.path(made["sha256"]).unlink()
    assert workspace.attachments.list_for("visit", visit["id"])[0]["present"] is False
    with pytest.raises(FileNotHere, match=r"計画案.pdf はまだこの端末にありません。同期して"):
        workspace.attachments.private_copy(made["id"])
    with pytest.raises(FileNotHere):
        workspace.attachments.save_as(made["id"], tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_a_name_too_long_for_a_file_system_is_shortened_keeping_its_extension() -> None:
    long = "令和7年度 窓口BPR 計画案 " * 20 + ".pdf"
    safe = safe_file_name(long)
    assert len(safe.encode()) <= MAX_NAME_BYTES and safe.endswith(".pdf")
    assert long.startswith(safe.removesuffix(".pdf"))
    assert safe_file_name("...") == "添付ファイル"


def test_save_as_never_changes_the_process_umask(
    workspace: Workspace, visit: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading the umask sets it for a moment, which races with the files the window's other
    threads create: a save reads it no more (the mode of the copy is still 0o666 less it)."""
    (made,) = workspace.attachments.attach("visit", visit["id"], [write(tmp_path / "a.pdf", b"x")])
    mask = os.umask(0o022)
    os.umask(mask)

    def changed(_mode: int) -> int:
        raise AssertionError("the umask was changed")

    monkeypatch.setattr(os, "umask", changed)
    saved = workspace.attachments.save_as(made["id"], tmp_path / "saved.pdf")
    assert saved == tmp_path / "saved.pdf"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o666 & ~mask
