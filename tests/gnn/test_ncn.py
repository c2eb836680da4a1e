"""The NCN decoder on a hand-made graph: the typed sum of common-neighbour embeddings and the logit, exactly."""

from __future__ import annotations

import torch
from torch import nn

from cellmap_kg.gnn.common_neighbours import TypedNeighbourhoods
from cellmap_kg.gnn.ncn import NCNDecoder

from .test_common_neighbours import hand_made

Z = {"Protein": torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [2.0, 0.0]]),
     "Assembly": torch.tensor([[0.5, 0.5], [3.0, 3.0]])}


def _identity(layer: nn.Linear, scale: float = 1.0) -> None:
    with torch.no_grad():
        layer.weight.copy_(scale * torch.eye(layer.weight.size(0), layer.weight.size(1)))
        if layer.bias is not None:
            layer.bias.zero_()


def decoder() -> tuple[NCNDecoder, TypedNeighbourhoods]:
    """Relation maps W_PULLED_DOWN = I, W_MEMBER_OF = 2 I; every MLP layer the identity; the last layer sums."""
    reading = TypedNeighbourhoods(hand_made(), "Protein")
    dec = NCNDecoder(reading.blocks, dim=2)
    _identity(dec.relation_maps[0])
    _identity(dec.relation_maps[1], 2.0)
    for layer in [*dec.xcnlin, *dec.xijlin, dec.lin[0]]:
        if isinstance(layer, nn.Linear):
            _identity(layer)
    with torch.no_grad():
        dec.lin[2].weight.copy_(torch.tensor([[1.0, 1.0]]))
        dec.lin[2].bias.zero_()
    return dec.eval(), reading


def test_neighbour_sum_is_the_typed_sum_of_common_neighbour_embeddings():
    dec, reading = decoder()
    pairs = torch.tensor([[0, 0, 2], [1, 2, 3]])
    common, _ = reading(pairs).tensors()
    with torch.no_grad():
        total = dec.neighbour_sum(Z, common, 3)
    # (0, 1): W_PD (z2 + z3) + W_MEMBER z_A0 = (3, 1) + (1, 1); (0, 2): 2 z_A0; (2, 3): W_PD (z0 + z1)
    assert total.tolist() == [[4.0, 2.0], [1.0, 1.0], [1.0, 1.0]]


def test_logit_exact_and_symmetric_in_the_pair():
    dec, reading = decoder()
    pairs = torch.tensor([[0, 1, 0, 2], [1, 0, 2, 3]])
    common, _ = reading(pairs).tensors()
    with torch.no_grad():
        logits = dec(Z, pairs, common)
    # (0, 1): xcn (4, 2) + xij z0*z1 = (0, 0) -> 6; (0, 2): (1, 1) + z0*z2 = (1, 0) -> 3;
    # (2, 3): (1, 1) + z2*z3 = (2, 0) -> 4
    assert logits.tolist() == [6.0, 6.0, 3.0, 4.0]


def test_without_common_neighbours_the_decoder_is_the_hadamard_mlp():
    dec, reading = decoder()
    pairs = torch.tensor([[0], [3]])
    common, _ = reading(pairs).tensors()
    assert common.size(1) == 0
    with torch.no_grad():
        dec.beta.fill_(100.0)               # the common-neighbour term cannot matter: there is none
        assert dec(Z, pairs, common).tolist() == [2.0]   # z0 * z3 = (2, 0)
