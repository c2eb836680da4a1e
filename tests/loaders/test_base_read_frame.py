"""``read_frame`` / ``check_column``: pandas reading that keeps file line numbers for errors."""

from __future__ import annotations

import pytest

from cellmap_kg.loaders.base import DataFormatError, MissingDataError, check_column, read_frame


def _write(tmp_path, text, name="t.tsv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_line_numbers_survive_blank_lines(tmp_path):
    frame = read_frame(_write(tmp_path, "a\tb\n1\t2\n\n3\t\n4\t5\n"), required=("a", "b"))
    assert frame.to_dict("records") == [{"a": "1", "b": "2", "line": 2}, {"a": "3", "b": "", "line": 4},
                                        {"a": "4", "b": "5", "line": 5}]


def test_headerless_file_with_names(tmp_path):
    frame = read_frame(_write(tmp_path, "x\t0.5\n\ny\t0.25\n"), names=("gene", "score"))
    assert list(zip(frame["gene"], frame["score"], frame["line"], strict=True)) == [("x", "0.5", 1), ("y", "0.25", 3)]


def test_missing_required_column(tmp_path):
    with pytest.raises(DataFormatError, match=r"t\.tsv:1: expected columns \['c'\] in the header"):
        read_frame(_write(tmp_path, "a\tb\n1\t2\n"), required=("a", "c"))


@pytest.mark.parametrize("text, line", [("a\tb\n1\t2\t3\n4\t5\n", 2),  # first data row long: pandas only warns
                                        ("a\tb\n1\t2\n\n4\t5\t6\n", 4)])
def test_too_many_fields_names_the_line(tmp_path, text, line):
    with pytest.raises(DataFormatError, match=rf"t\.tsv:{line}: expected 2 fields \['a', 'b'\], found 3"):
        read_frame(_write(tmp_path, text))


def test_missing_file(tmp_path):
    with pytest.raises(MissingDataError):
        read_frame(tmp_path / "absent.tsv")


def test_check_column_names_first_bad_row(tmp_path):
    path = _write(tmp_path, "id\tn\nA\t1\nB\tx\nC\ty\n")
    frame = read_frame(path)
    check_column(frame, path, "n", frame["id"].str.fullmatch("[A-C]"), "a letter")  # passes
    with pytest.raises(DataFormatError, match=r"t\.tsv:3: column 'n': expected an integer, found 'x'"):
        check_column(frame, path, "n", frame["n"].str.fullmatch(r"\d+"), "an integer")
