"""The build: deterministic, atomic, and clear about bad input."""

import csv
import subprocess
import sys

import pytest

import glocal
from glocal import store as store_module


def export_nq(location) -> bytes:
    import io

    out = io.BytesIO()
    glocal.open_graph(location).export("nq", out)
    return out.getvalue()


def test_two_builds_export_identical_bytes(store, tmp_path):
    again = tmp_path / "again"
    glocal.build(again)
    assert export_nq(store) == export_nq(again)
    assert len(export_nq(store)) > 100_000


def test_loaders_side_by_side_store_the_same_quads(store, tmp_path, monkeypatch):
    data = export_nq(store)
    monkeypatch.setattr(store_module, "MIN_LINES_PER_LOADER", 1000)  # the curated graph: 9 loaders' worth
    monkeypatch.setattr(store_module.os, "cpu_count", lambda: 4)
    database = store_module.ox.Store(str(tmp_path / "db"))
    store_module.load_nquads(database, data)
    assert sorted(map(str, database)) == sorted(map(str, store_module.ox.parse(data, format=store_module.ox.RdfFormat.N_QUADS)))


def test_build_report_counts_triples_and_entities(store, tmp_path):
    report = glocal.build(tmp_path / "s")
    stats = glocal.open_graph(tmp_path / "s").stats()
    assert report.triples == stats["triples"] > 5000
    assert report.entities == stats["entities"]
    assert set(report.graphs) >= {"ontology", "meta", "working-paper", "twin-towns-wikipedia", "geonames"}


def test_failed_build_leaves_previous_graph_queryable(tmp_path, data_copy, monkeypatch):
    location = tmp_path / "store"
    glocal.build(location, data_dir=data_copy)
    before = export_nq(location)

    def fail(*args, **kwargs):
        raise OSError("disk full (injected)")

    with monkeypatch.context() as patch:  # a failure in the middle of writing the new database
        patch.setattr(store_module.ox.Store, "bulk_extend", fail)
        with pytest.raises(OSError, match="injected"):
            glocal.build(location, data_dir=data_copy)
    assert export_nq(location) == before
    assert [p.name for p in location.iterdir() if p.name.endswith(".partial")] == []

    (data_copy / "cities.csv").write_text("id,name\nbroken,Broken\n", encoding="utf-8")
    with pytest.raises(glocal.DataError):
        glocal.build(location, data_dir=data_copy)
    assert export_nq(location) == before


def _rewrite_cell(path, line, column, value):
    rows = list(csv.reader(path.open(encoding="utf-8")))
    rows[line - 1][rows[0].index(column)] = value
    with path.open("w", newline="", encoding="utf-8") as stream:
        csv.writer(stream, lineterminator="\n").writerows(rows)


@pytest.mark.parametrize("file, column, value, message", [
    ("cities.csv", "lat", "north", "is not a number"),
    ("cities.csv", "lat", "123.4", "is not a latitude"),
    ("cities.csv", "geonames_id", "G123", "is not a GeoNames id"),
    ("cities.csv", "country", "country/xx", "which no data file defines"),
    ("twinnings.csv", "city_b", "berlin", "is not a reference of the right kind"),
    ("twinnings.csv", "source", "wikipedia", "unknown source"),
    ("observations.csv", "value", "12,5", "is not a number"),
])
def test_malformed_row_names_file_line_and_field(data_copy, tmp_path, file, column, value, message):
    _rewrite_cell(data_copy / file, 3, column, value)
    with pytest.raises(glocal.DataError) as error:
        glocal.build(tmp_path / "store", data_dir=data_copy)
    text = str(error.value)
    assert file in text and "line 3" in text and f"field '{column}'" in text and message in text
    assert not (tmp_path / "store" / "CURRENT").exists()


def test_malformed_row_in_yaml_names_its_line(data_copy, tmp_path):
    path = data_copy / "practices.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "- id: Not An Id\n", encoding="utf-8")
    with pytest.raises(glocal.DataError, match=r"practices.yaml, line \d+, field 'id'"):
        glocal.build(tmp_path / "store", data_dir=data_copy)


def test_duplicate_twinning_names_first_line(data_copy, tmp_path):
    path = data_copy / "twinnings.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    a, b, *rest = lines[1].split(",")
    lines.append(",".join([b, a, *rest]))  # the same pair, the other way round
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(glocal.DataError, match=r"repeats the twinning of twinnings.csv, line 2"):
        glocal.build(tmp_path / "store", data_dir=data_copy)


def test_build_that_breaks_the_shapes_is_refused(data_copy, tmp_path):
    path = data_copy / "countries.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Deutschland", ""), encoding="utf-8")
    with pytest.raises(glocal.DataError):  # an empty required cell is caught before SHACL
        glocal.build(tmp_path / "store", data_dir=data_copy)


def test_cli_build_runs_from_any_directory(tmp_path):
    location = tmp_path / "store"
    done = subprocess.run([sys.executable, "-m", "glocal", "build", "--store", str(location)],
                          check=False, cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "Built" in done.stdout and "Twinning" in done.stdout
    assert "validating" in done.stderr
