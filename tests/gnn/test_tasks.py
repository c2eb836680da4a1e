"""Task graphs: what each task keeps, drops and reverses, and exact pruning of unreachable nodes."""

from __future__ import annotations

import networkx as nx
import torch
from torch_geometric.data import HeteroData

from cellmap_kg.gnn.tasks import OTHER_MEMBERSHIP, get_task, prune_unreachable, target_candidates, task_graph


def test_ppi_graph_has_no_corum_and_both_directions_of_every_relation(small_export, ppi_graph):
    assert "Complex" not in ppi_graph.node_types
    assert not any(et[1] in ("SUBUNIT_OF", "rev_SUBUNIT_OF") for et in ppi_graph.edge_types)
    apms = small_export.data["Protein", "PULLED_DOWN", "Protein"].edge_index
    both = ppi_graph["Protein", "PULLED_DOWN", "Protein"].edge_index
    assert both.size(1) == 2 * apms.size(1)
    assert set(map(tuple, both.t().tolist())) == set(map(tuple, torch.cat([apms, apms.flip(0)], 1).t().tolist()))
    member = ppi_graph["Protein", "MEMBER_OF", "Assembly"].edge_index
    assert torch.equal(ppi_graph["Assembly", "rev_MEMBER_OF", "Protein"].edge_index, member.flip(0))
    assert bool(ppi_graph["Protein"].link_candidate.all())


def test_membership_supervises_only_non_root_u2os_assemblies(small_export):
    task = get_task("membership")
    graph = task_graph(small_export, task, hops=None)
    candidates = target_candidates(small_export, task)
    keys = small_export.keys["Assembly"]
    assert keys[int(candidates.nonzero()[0])].startswith("U2OS-2023-05:")
    assert not candidates[keys.index("U2OS-2023-05:Cluster0-0")]          # the root
    supervised = graph["Protein", "MEMBER_OF", "Assembly"].edge_index
    other = graph["Protein", OTHER_MEMBERSHIP, "Assembly"].edge_index
    assert bool(candidates[supervised[1]].all()) and not bool(candidates[other[1]].any())
    exported = small_export.data["Protein", "MEMBER_OF", "Assembly"].edge_index
    assert supervised.size(1) + other.size(1) == exported.size(1)
    assert "Complex" in graph.node_types                                   # CORUM stays for this task


def _chain() -> HeteroData:
    data = HeteroData()
    data["P"].num_nodes, data["G"].num_nodes = 2, 4
    data["P"].x, data["G"].x = torch.zeros(2, 1), torch.arange(4.0).view(-1, 1)
    data["P", "A", "G"].edge_index = torch.tensor([[0], [0]])             # P0 - G0 - G1 - G2 - G3
    data["G", "rev_A", "P"].edge_index = torch.tensor([[0], [0]])
    data["G", "IS", "G"].edge_index = torch.tensor([[0, 1, 2], [1, 2, 3]])
    data["G", "rev_IS", "G"].edge_index = torch.tensor([[1, 2, 3], [0, 1, 2]])
    return data


def test_prune_keeps_exactly_the_nodes_within_hops_of_the_task_types():
    data = _chain()
    for hops in (1, 2, 3):
        pruned = prune_unreachable(data, ("P",), hops)
        graph = nx.Graph([("P0", "G0"), ("G0", "G1"), ("G1", "G2"), ("G2", "G3")])
        within = {n for n, d in nx.single_source_shortest_path_length(graph, "P0").items() if d <= hops}
        assert {f"G{i}" for i in pruned["G"].export_index.tolist()} == within - {"P0"}
        assert pruned["G"].x.view(-1).tolist() == pruned["G"].export_index.float().tolist()
        assert pruned["P"].num_nodes == 2                                   # task types untouched
        kept = pruned["G", "IS", "G"].edge_index
        assert kept.size(1) == max(hops - 1, 0) and (kept.numel() == 0 or kept.max() < pruned["G"].num_nodes)
