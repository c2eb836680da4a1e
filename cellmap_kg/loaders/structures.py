"""AlphaFold-Multimer models of the U2OS cell map's heterodimers: StructureModel-[:MODELS]->Protein.

Files ``structures/u2os_afm_heterodimers/<A>_<B>_unrelaxed_rank_001_alphafold2_multimer_v3_model_<k>_seed_000.pdb.gz``
(integrativemodeling/U2OS_cellmap_structures; Schaffer et al. 2025, "structures for 111 heterodimeric complexes"):
the top-ranked ColabFold AlphaFold2-multimer v3 model of each pair, chain A = gene ``A``, chain B = gene ``B``, the
per-residue pLDDT in the B-factor column. Read with gemmi (``gemmi.read_structure``, gzip handled by gemmi).

Scores (``model_scores``), per model:

* per-chain mean pLDDT: mean over the chain's residues of the pLDDT of its CA atom (AlphaFold writes one pLDDT per
  residue, the same on each of its atoms);
* interface: residue pairs of the two chains whose CB atoms (CA for glycine) are within 8 A (inclusive), the
  contact definition of pDockQ; ``interfaceContacts`` is their number, ``interfacePlddt`` the mean pLDDT of the
  distinct residues taking part (both chains);
* pDockQ (Bryant, Pozzati & Elofsson, Nat. Commun. 13:6028, 2022, and the authors' FoldDock ``src/pdockq.py``):
  ``L / (1 + exp(-k (x - x0))) + b`` with ``x = interfacePlddt * log10(interfaceContacts)``, ``L = 0.724``,
  ``x0 = 152.611``, ``k = 0.052``, ``b = 0.018``; 0 without contacts. The paper calls a model with pDockQ > 0.23
  an acceptable interface (DockQ >= 0.23).
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import gemmi
import numpy as np
from scipy.spatial import cKDTree

from ..sources import SourceFiles
from .base import DataFormatError, LoadResult, MissingDataError
from .collect import resolve_gene
from .symbols import SymbolResolver

FILE_NAME = re.compile(r"^(?P<a>[^_]+)_(?P<b>[^_]+)_unrelaxed_rank_(?P<rank>\d+)_(?P<method>alphafold2_multimer_v\d+)"
                       r"_model_(?P<model>\d+)_seed_(?P<seed>\d+)\.pdb(\.gz)?$")
CONTACT_DISTANCE = 8.0
"""Angstrom between CB atoms (CA for glycine) of two chains for a contact (pDockQ, Bryant et al. 2022)."""
PDOCKQ_L, PDOCKQ_X0, PDOCKQ_K, PDOCKQ_B = 0.724, 152.611, 0.052, 0.018
"""Sigmoid parameters of pDockQ (Bryant et al. 2022, Nat. Commun. 13:6028)."""
ACCEPTABLE_PDOCKQ = 0.23
"""pDockQ above which a model is called an acceptable interface (Bryant et al. 2022)."""


@dataclass(frozen=True)
class ModelScores:
    """Per-model figures of a two-chain model (see the module docstring for the definitions).

    Attributes: chains ``(A, B)`` ids; residues per chain; mean pLDDT per chain (0-100); interface contacts (CB-CB
    pairs <= 8 A); interface residues per chain; mean interface pLDDT (``None`` without contacts); pDockQ.
    """

    chainA: str
    chainB: str
    residuesA: int
    residuesB: int
    meanPlddtA: float
    meanPlddtB: float
    interfaceContacts: int
    interfaceResiduesA: int
    interfaceResiduesB: int
    interfacePlddt: float | None
    pDockQ: float


def pdockq(interface_plddt: float, contacts: int) -> float:
    """pDockQ of an interface: ``0.724 / (1 + exp(-0.052 (x - 152.611))) + 0.018``, ``x = interface_plddt *
    log10(contacts)`` (Bryant et al. 2022); 0 when ``contacts`` is 0. ``interface_plddt`` in pLDDT units (0-100)."""
    if contacts <= 0:
        return 0.0
    x = interface_plddt * math.log10(contacts)
    return PDOCKQ_L / (1.0 + math.exp(-PDOCKQ_K * (x - PDOCKQ_X0))) + PDOCKQ_B


def _chain_residues(chain: gemmi.Chain, path: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(CB-or-CA coordinates (N, 3) in A, pLDDT of the representative atom (N,), pLDDT of CA (N,))``."""
    coords, rep_plddt, ca_plddt = [], [], []
    for residue in chain:
        ca = residue.find_atom("CA", "*")
        rep = ca if residue.name == "GLY" else residue.find_atom("CB", "*")
        if ca is None or rep is None:
            raise DataFormatError(path, None, f"chain {chain.name} residue {residue.name}{residue.seqid.num}: "
                                  "expected a CA atom (and a CB atom for non-glycine residues)")
        coords.append(rep.pos.tolist())
        rep_plddt.append(rep.b_iso)
        ca_plddt.append(ca.b_iso)
    return np.array(coords, dtype=float).reshape(-1, 3), np.array(rep_plddt), np.array(ca_plddt)


def model_scores(path: Path) -> ModelScores:
    """Read a two-chain model (PDB or mmCIF, optionally gzipped) with gemmi and score its interface.

    Returns ``ModelScores``. Raises MissingDataError (absent file) or DataFormatError (not exactly two protein
    chains in the first model, or a residue without CA / CB).
    """
    path = Path(path)
    if not path.exists():
        raise MissingDataError(f"{path}: file not found")
    try:
        structure = gemmi.read_structure(str(path))
    except (RuntimeError, ValueError) as exc:
        raise DataFormatError(path, None, f"not a readable structure: {exc}") from None
    structure.setup_entities()
    structure.remove_ligands_and_waters()
    structure.remove_empty_chains()
    chains = list(structure[0]) if len(structure) else []
    if len(chains) != 2:
        raise DataFormatError(path, None, f"expected 2 chains in the first model, found {len(chains)}")
    (xyz_a, rep_a, ca_a), (xyz_b, rep_b, ca_b) = (_chain_residues(c, path) for c in chains)
    pairs = cKDTree(xyz_a).sparse_distance_matrix(cKDTree(xyz_b), CONTACT_DISTANCE, output_type="ndarray")
    contacts = len(pairs)
    rows, cols = np.unique(pairs["i"]), np.unique(pairs["j"])
    interface = float(np.concatenate([rep_a[rows], rep_b[cols]]).mean()) if contacts else None
    return ModelScores(chains[0].name, chains[1].name, len(ca_a), len(ca_b), float(ca_a.mean()), float(ca_b.mean()),
                       contacts, len(rows), len(cols), interface,
                       pdockq(interface, contacts) if interface is not None else 0.0)


def load_afm_heterodimers(source: SourceFiles, resolver: SymbolResolver) -> LoadResult:
    """``StructureModel`` nodes (id ``<A>_<B>``, scores of ``model_scores``) and ``MODELS {chain}`` to both proteins.

    Reads the files of the source's ``models`` group in path order; ``StructureModel.file`` is the declared path.
    Files whose name does not follow the ColabFold pattern, or whose gene names do not resolve, are counted as
    skipped (read counts are per model folder). Raises MissingDataError (a model file absent) and DataFormatError
    (an unreadable model).
    """
    result = LoadResult(source.id)
    report = result.report
    nodes, models = [], []
    for relative, path in sorted(zip(source.relatives("models"), source.paths("models"), strict=True)):
        report.count_read(Path(relative).parent.as_posix())
        match = FILE_NAME.match(path.name)
        if match is None:
            report.skip("file name is not <A>_<B>_unrelaxed_rank_..._seed_....pdb[.gz]", path.name)
            continue
        symbols = [resolve_gene(resolver, report, match[k], where=path.name) for k in ("a", "b")]
        if None in symbols:
            continue
        scores = model_scores(path)
        model_id = f"{match['a']}_{match['b']}"
        nodes.append({"id": model_id, "file": relative, "method": match["method"],
                      "rank": int(match["rank"]), "modelNumber": int(match["model"]), **asdict(scores)})
        for chain, symbol in zip((scores.chainA, scores.chainB), symbols, strict=True):
            models.append({"source": model_id, "target": symbol, "chain": chain})
    result.add_nodes("StructureModel", nodes)
    result.add_relationships("MODELS", models)
    return result.finalise(source.id)
