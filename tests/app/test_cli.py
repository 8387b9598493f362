"""The instructors' command line fails with a message on stderr and exit status 1, never a
traceback: a missing GIFT file, a bank that does not load, an output that already exists."""

from __future__ import annotations

from allcourse.app.cli import main


def test_gift_import_of_a_missing_file_says_so(tmp_path, capsys):
    assert main(["gift", "import", str(tmp_path / "none.gift"), "-o", str(tmp_path / "x.yml")]) == 1
    err = capsys.readouterr().err
    assert "none.gift: file not found" in err and "Traceback" not in err


def test_gift_export_of_a_bad_bank_lists_each_problem(tmp_path, capsys):
    bank = tmp_path / "bad.yml"
    bank.write_text("title: [unclosed\n", encoding="utf-8")
    assert main(["gift", "export", str(bank), "-o", str(tmp_path / "x.gift")]) == 1
    err = capsys.readouterr().err
    assert "bad.yml: -: -: not valid YAML: line 2" in err
    assert not (tmp_path / "x.gift").exists()


def test_an_existing_output_is_kept_without_force(tmp_path, capsys):
    source = tmp_path / "one.gift"
    source.write_text("::q1:: Is the sky blue? {T}\n", encoding="utf-8")
    out = tmp_path / "out.yml"
    out.write_text("keep me\n", encoding="utf-8")
    assert main(["gift", "import", str(source), "-o", str(out)]) == 1
    assert "out.yml already exists: choose another name or add --force" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "keep me\n"
    assert main(["gift", "import", str(source), "-o", str(out), "--force"]) == 0
    assert out.read_text(encoding="utf-8") != "keep me\n"
