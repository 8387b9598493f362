"""The reference list: loads, every seed is cited, ids are unique, HTML has anchors."""

from __future__ import annotations

import pytest

from allcourse.course.content import ContentError
from allcourse.course.references import load_references

SEEDS = {
    "seed-acs-transplant": "000_465596c5e6af3921.txt",
    "seed-nmdp-bmt": "001_b5fe328a9ae9e019.txt",
    "seed-hu-treatment": "002_898fe4f594d892da.txt",
    "seed-nci-adult-all": "003_53c46643c93dd967.txt",
    "seed-cruk-treatment": "004_93e53f7fb64fac1f.txt",
}


def test_all_five_seed_pages_are_cited_with_publisher():
    refs = load_references()
    for ref_id, seed_file in SEEDS.items():
        ref = refs.get(ref_id)
        assert ref.note and seed_file in ref.note
        assert ref.publisher and ref.title


def test_test_prep_sites_are_never_references():
    # all-facts.md section F (R120-R126) may guide themes but must not be cited.
    ids = load_references().ids()
    assert not {f"R{n}" for n in range(120, 127)} & ids


def test_html_list_has_an_anchor_per_reference():
    refs = load_references()
    html = refs.html()
    assert html.count('<li id="ref-') == len(refs.references)
    assert '<li id="ref-R91">' in html


def test_duplicate_id_is_reported(tmp_path):
    f = tmp_path / "references.yml"
    f.write_text(
        "references:\n  - {id: A1, publisher: P, title: T}\n  - {id: A1, publisher: Q, title: U}\n"
    )
    with pytest.raises(ContentError) as info:
        load_references(f)
    assert [p.message for p in info.value.problems] == ["duplicate reference id 'A1'"]


def test_bad_url_names_the_reference(tmp_path):
    f = tmp_path / "references.yml"
    f.write_text("references:\n  - {id: A1, publisher: P, title: T, url: 'ftp://x'}\n")
    with pytest.raises(ContentError) as info:
        load_references(f)
    (p,) = info.value.problems
    assert (p.item, p.field) == ("A1", "url")
