"""A project whose stored values are damaged opens read-only (issue 12, item 2): every damaged value
is named, the file is never written and no lock is kept, and Save As writes a repaired copy that
opens normally. Damage that is not in values (altered tables, planted SQL) is still refused."""

from __future__ import annotations

import pytest
from hostile_corpus import CASES, by_name, digest, make

from desktop_ocr.model import lockfile
from desktop_ocr.model.store import DamagedProject, ProjectError, ProjectStore

#: Damage in a value of the pages, documents or settings: the project opens read-only.
VALUE_CASES = [
    c
    for c in CASES
    if c.outcome == "damaged" and c.field.split(".")[0] in ("pages", "documents", "meta") and "." in c.field
]
#: Damage elsewhere (tables, the files stored, results): refused with the reason.
REFUSED = [
    c
    for c in CASES
    if c.outcome in ("damaged", "foreign")
    and c not in VALUE_CASES
    and c.name != "trigger_hangs_garbage_collection"
]


@pytest.mark.parametrize("case", VALUE_CASES, ids=[c.name for c in VALUE_CASES])
def test_damaged_values_open_read_only_and_save_as_repairs_them(case, base, tmp_path):
    path = make(case, base, tmp_path)
    before = digest(path)
    with pytest.raises(DamagedProject):
        ProjectStore.open(path)
    store, project = ProjectStore.open_read_only(path)
    try:
        assert store.read_only and project.page_count == 2
        assert store.damage and all(case.field in line for line in store.damage), store.damage
        assert not lockfile.is_held(path), "a read-only open keeps no lock"
        page = next(project.all_pages())
        project.set_text(page.id, "typed while read-only")  # the store writes nothing
        assert digest(path) == before
        copy = store.save_as(tmp_path / "repaired.dop")
        assert not store.read_only and lockfile.is_held(copy)
    finally:
        store.close()
    assert digest(path) == before, "the damaged file is left as it was"
    again, reopened = ProjectStore.open(copy)  # the copy opens normally: nothing damaged is left
    try:
        assert reopened.page_count == 2 and not again.read_only
        assert [p.id for p in reopened.all_pages()] == [p.id for p in project.all_pages()]
    finally:
        again.close()


@pytest.mark.parametrize("case", REFUSED, ids=[c.name for c in REFUSED])
def test_other_damage_is_refused_read_only_too(case, base, tmp_path):
    path = make(case, base, tmp_path)
    before = digest(path)
    with pytest.raises(ProjectError) as err:
        ProjectStore.open_read_only(path)
    assert path.name in str(err.value)
    assert digest(path) == before and not lockfile.is_held(path)


def test_a_good_project_has_no_damage(base, tmp_path):
    store, project = ProjectStore.open_read_only(make(by_name("document_name_is_a_number"), base, tmp_path))
    try:
        assert store.damage == [] and project.page_count == 2
    finally:
        store.close()


def test_the_project_session_opens_damaged_values_read_only_and_not_into_recent(base, tmp_path):
    from desktop_ocr.model.recent import load_recent
    from desktop_ocr.model.session import ProjectSession

    case = VALUE_CASES[0]
    path = make(case, base, tmp_path)
    session = ProjectSession()
    store, project = session.open_file(path)
    session.close_store(session.swap(store, project))
    try:
        assert session.read_only and session.path == path and project.page_count == 2
        assert path not in load_recent(), "a damaged project is not offered again from the recent list"
        session.save_as(tmp_path / "repaired.dop")
        assert not session.read_only and load_recent()[0] == tmp_path / "repaired.dop"
    finally:
        session.close_store(session.store)


@pytest.mark.parametrize("case", REFUSED[:3], ids=[c.name for c in REFUSED[:3]])
def test_the_project_session_refuses_other_damage_with_the_reason(case, base, tmp_path):
    from desktop_ocr.model.session import ProjectSession

    path = make(case, base, tmp_path)
    with pytest.raises(ProjectError):
        ProjectSession.open_file(path)
