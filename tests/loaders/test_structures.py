"""AlphaFold-Multimer heterodimer models: gemmi reading, CB-CB interface and pDockQ, on a PDB written here and on
the real models."""

from __future__ import annotations

import math

import gemmi
import numpy as np
import pytest

from cellmap_kg.loaders.base import DataFormatError
from cellmap_kg.loaders.structures import load_afm_heterodimers, model_scores, pdockq
from cellmap_kg.sources import source_of

STRUCTURES = source_of(load_afm_heterodimers)
ARP = next(f.path for f in STRUCTURES.files_with("models") if "/ARPC1A_ARPC1B_" in f.path)
"""The declared model of ARPC1A-ARPC1B (path relative to the data directory)."""


def _atom(serial, name, residue, chain, number, xyz, plddt):
    x, y, z = xyz
    return (f"ATOM  {serial:5d}  {name:<3} {residue:3s} {chain}{number:4d}    {x:8.3f}{y:8.3f}{z:8.3f}  1.00"
            f"{plddt:6.2f}           {name[0]}")


def _write_pdb(path, residues):
    """``residues``: (chain, number, residue name, {atom: xyz}, pLDDT) in file order."""
    lines, serial = [], 1
    for chain, number, name, atoms, plddt in residues:
        for atom, xyz in atoms.items():
            lines.append(_atom(serial, atom, name, chain, number, xyz, plddt))
            serial += 1
    path.write_text("\n".join(lines) + "\nEND\n")
    return path


@pytest.fixture
def tiny(tmp_path):
    """Chain A: GLY (CA at the origin, pLDDT 90), ALA (CB at (10, 1, 0), 50). Chain B: ALA with CB 7 A from A1,
    GLY with CA 7.9 A from A2's CB, ALA far from everything (30), GLY with CA exactly 8 A from A1 (60)."""
    return _write_pdb(tmp_path / "tiny.pdb", [
        ("A", 1, "GLY", {"N": (-1, 0, 0), "CA": (0, 0, 0)}, 90.0),
        ("A", 2, "ALA", {"CA": (10, 0, 0), "CB": (10, 1, 0)}, 50.0),
        ("B", 1, "ALA", {"CA": (0, 6, 0), "CB": (0, 7, 0)}, 80.0),
        ("B", 2, "GLY", {"CA": (10, 8.9, 0)}, 70.0),
        ("B", 3, "ALA", {"CA": (30, 0, 0), "CB": (30, 0, 1)}, 30.0),
        ("B", 4, "GLY", {"CA": (0, -8, 0)}, 60.0),
    ])


def test_pdockq_formula():
    x = 70.0 * math.log10(3)
    assert pdockq(70.0, 3) == pytest.approx(0.724 / (1 + math.exp(-0.052 * (x - 152.611))) + 0.018, rel=1e-12)
    assert pdockq(100.0, 10 ** 1.52611) == pytest.approx(0.724 / 2 + 0.018)          # x = x0: half of L, plus b
    assert pdockq(90.0, 0) == 0.0


def test_tiny_model_scores(tiny):
    s = model_scores(tiny)
    assert (s.chainA, s.chainB, s.residuesA, s.residuesB) == ("A", "B", 2, 4)
    assert s.meanPlddtA == pytest.approx(70.0) and s.meanPlddtB == pytest.approx(60.0)
    # contacts (CB, CA for Gly, <= 8 A): A1-B1 7 A, A2-B2 7.9 A, A1-B4 exactly 8 A; A2-B1 11.7 A is not one
    assert (s.interfaceContacts, s.interfaceResiduesA, s.interfaceResiduesB) == (3, 2, 3)
    assert s.interfacePlddt == pytest.approx((90 + 50 + 80 + 70 + 60) / 5)
    assert s.pDockQ == pytest.approx(pdockq(70.0, 3)) and s.pDockQ == pytest.approx(0.019468, abs=1e-6)


def test_no_contact_gives_zero(tmp_path):
    far = _write_pdb(tmp_path / "far.pdb", [("A", 1, "GLY", {"CA": (0, 0, 0)}, 90.0),
                                            ("B", 1, "GLY", {"CA": (0, 0, 8.01)}, 90.0)])
    s = model_scores(far)
    assert (s.interfaceContacts, s.interfacePlddt, s.pDockQ) == (0, None, 0.0)


def test_bad_models(tmp_path):
    one = _write_pdb(tmp_path / "one.pdb", [("A", 1, "GLY", {"CA": (0, 0, 0)}, 90.0)])
    with pytest.raises(DataFormatError, match="expected 2 chains in the first model, found 1"):
        model_scores(one)
    no_cb = _write_pdb(tmp_path / "nocb.pdb", [("A", 1, "ALA", {"CA": (0, 0, 0)}, 90.0),
                                               ("B", 1, "GLY", {"CA": (0, 0, 5)}, 90.0)])
    with pytest.raises(DataFormatError, match="chain A residue ALA1: expected a CA atom"):
        model_scores(no_cb)


def test_real_model_against_a_full_distance_matrix(data_dir):
    """ARPC1A-ARPC1B: the cKDTree interface equals FoldDock's all-pairs distance matrix on gemmi's atoms."""
    path = data_dir / ARP
    s = model_scores(path)
    structure = gemmi.read_structure(str(path))
    xyz, plddt = [], []
    for chain in structure[0]:
        atoms = [r.find_atom("CA" if r.name == "GLY" else "CB", "*") for r in chain]
        xyz.append(np.array([a.pos.tolist() for a in atoms]))
        plddt.append(np.array([a.b_iso for a in atoms]))
    distances = np.sqrt(((xyz[0][:, None, :] - xyz[1][None, :, :]) ** 2).sum(axis=-1))
    contacts = np.argwhere(distances <= 8)
    interface = np.concatenate([plddt[0][np.unique(contacts[:, 0])], plddt[1][np.unique(contacts[:, 1])]]).mean()
    assert (s.residuesA, s.residuesB) == (370, 372)
    assert s.interfaceContacts == len(contacts) == 69
    assert s.interfacePlddt == pytest.approx(interface)
    assert s.pDockQ == pytest.approx(0.724 / (1 + np.exp(-0.052 * (interface * np.log10(69) - 152.611))) + 0.018)
    assert s.pDockQ == pytest.approx(0.4491, abs=1e-4) and s.meanPlddtA == pytest.approx(91.29, abs=0.01)


def test_load_real_models(data_dir, resolver, assert_schema, rows_by_key):
    result = load_afm_heterodimers(STRUCTURES.in_dir(data_dir), resolver)
    assert_schema(result, STRUCTURES.id)
    models = rows_by_key(result.nodes, "StructureModel")
    assert len(models) == 111
    arp = models["ARPC1A_ARPC1B"]
    assert (arp["modelNumber"], arp["rank"], arp["method"]) == (4, 1, "alphafold2_multimer_v3")
    assert arp["file"] == ARP
    chains = rows_by_key(result.relationships, "MODELS")
    assert chains[("ARPC1A_ARPC1B", "ARPC1A")]["chain"] == "A" and chains[("ARPC1A_ARPC1B", "ARPC1B")]["chain"] == "B"
    assert len(chains) == 222
