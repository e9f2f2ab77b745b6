"""The dashboard's queries keep answering while an ingest writes: from the state before the
batch until the batch lands, then from the state after it — never from half a batch."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from nianbao.app.db import clear_results
from nianbao.app.filters import Filters
from nianbao.app.queries import database_summary, headline_by_year
from nianbao.pipeline import ingest
from tests.test_store import GOOD, write


def _batch(folder: Path, n: int) -> None:
    from nianbao.synth.corpus import write_corpus

    write_corpus(folder, seed=5, limit=n, n_agencies=n // 5)
    for extra in folder.iterdir():  # the expected values, not reports
        if extra.suffix not in (".txt", ".html"):
            extra.unlink()


def test_app_queries_answer_while_an_ingest_writes(tmp_path):
    db = tmp_path / "n.duckdb"
    ingest([write(tmp_path / "a.txt", GOOD.format(n=3))], db)
    _batch(tmp_path / "batch", 60)
    f = Filters(scope="all")
    before = database_summary(db, f)["total"]
    proc = subprocess.Popen([sys.executable, "-m", "nianbao", "ingest", str(tmp_path / "batch"), "--db", str(db),
                             "--chunk", "10", "--workers", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    seen, while_writing = set(), 0
    while proc.poll() is None:
        clear_results()  # each pass really queries the database, as a new page visit would
        writing = any(tmp_path.glob(".n.duckdb.*.tmp"))  # the ingest's write copy exists
        seen.add(database_summary(db, f)["total"])
        headline_by_year(db, f)
        while_writing += writing and proc.poll() is None
    out, err = proc.communicate()
    assert proc.returncode == 0, err.decode()[-2000:]
    clear_results()
    after = database_summary(db, f)["total"]
    assert after == before + 60
    assert while_writing > 0  # some queries ran while chunks were being written
    assert seen <= {before, after}, seen  # never a half-written batch


def test_app_queries_answer_while_a_small_ingest_writes_in_place(tmp_path):
    """A batch of at most IN_PLACE_FILES is written into the file itself: queries that arrive
    meanwhile wait for it (no error) and answer from the state before or after, never between."""
    from nianbao.pipeline import IN_PLACE_FILES

    db = tmp_path / "n.duckdb"
    ingest([write(tmp_path / "a.txt", GOOD.format(n=3))], db)
    _batch(tmp_path / "batch", 20)
    assert 20 <= IN_PLACE_FILES
    f = Filters(scope="all")
    before = database_summary(db, f)["total"]
    inode = db.stat().st_ino
    proc = subprocess.Popen([sys.executable, "-m", "nianbao", "ingest", str(tmp_path / "batch"), "--db", str(db),
                             "--workers", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    seen = set()
    while proc.poll() is None:
        clear_results()
        seen.add(database_summary(db, f)["total"])
        headline_by_year(db, f)
    out, err = proc.communicate()
    assert proc.returncode == 0, err.decode()[-2000:]
    assert db.stat().st_ino == inode  # written in place: a copy renamed over it would be a new file
    clear_results()
    after = database_summary(db, f)["total"]
    assert after == before + 20
    assert seen <= {before, after}, seen
