"""``cellmap-kg gnn``: the defaults ``gnn train --help`` states are the ones training uses (``TrainConfig``)."""

from __future__ import annotations

import re

import pytest

from cellmap_kg.cli import main
from cellmap_kg.gnn.train import TrainConfig


def test_train_help_states_the_training_defaults(capsys):
    with pytest.raises(SystemExit):
        main(["gnn", "train", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for option in ("epochs", "dim", "layers", "lr", "negative-ratio"):
        stated = re.search(rf"--{option} [A-Z_]+ [^()]*?\(default ([0-9.]+)\)", text)
        assert stated, option
        assert float(stated.group(1)) == getattr(TrainConfig, option.replace("-", "_")), option
