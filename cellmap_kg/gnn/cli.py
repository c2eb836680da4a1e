"""cellmap-kg gnn export|train|evaluate|predict|report: link prediction on the graph. Each action calls one function
of :mod:`cellmap_kg.gnn.pipeline` (``report`` reads saved runs only, no store)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..cli.options import add_store_option
from ..paths import state_path

CACHE_ENV = "CELLMAP_KG_GNN_CACHE"
GDS_DEFAULT = "store-or-project-neo4j"

EPILOG = """\
examples:
  cellmap-kg gnn export                           export the graph to a HeteroData (cached by graph hash)
  cellmap-kg gnn train --task ppi                 train the GNN on held-out AP-MS interactions, save a run
  cellmap-kg gnn evaluate --task ppi --seeds 5    GNN + baselines, 5 seeds, both splits: report.md with plots
  cellmap-kg gnn evaluate --gds                   also Neo4j GDS FastRP / node2vec + LR, computed in the project's
                                                  Neo4j (cellmap-kg neo4j install --with-gds; neo4j start)
  cellmap-kg gnn predict --run latest             write embeddings, PREDICTED_INTERACTION (score, probability),
                                                  SIMILAR_TO, ModelRun
  cellmap-kg gnn report RUN_A RUN_B               saved runs' metrics side by side (RUN: id or 'latest')

tasks: ppi (AP-MS interactions; CORUM kept out of the input, it is the external check) | membership (U2OS map)
cache: --cache DIR (default $CELLMAP_KG_GNN_CACHE, else ./.cellmap-kg/gnn) holds the export and saved runs
"""


def _cache(args) -> Path:
    return args.cache or state_path("gnn", CACHE_ENV)


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _run(args, action) -> int:
    from ..store import open_store
    from .errors import GNNError

    store = open_store(args.store)
    try:
        return action(store)
    except GNNError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        store.close()


def _train_config(args):
    from .train import TrainConfig

    fields = {k: getattr(args, k) for k in ("epochs", "dim", "layers", "lr", "negative_ratio")
              if getattr(args, k, None) is not None}
    return TrainConfig(**fields)


def cmd_export(args) -> int:
    from .pipeline import export_action

    def action(store) -> int:
        export = export_action(store, _cache(args), _progress)
        print(json.dumps({"contentHash": export.content_hash, "counts": export.counts(), "dropped": export.dropped,
                          "features": {t: len(n) for t, n in export.feature_names.items()}}, indent=1))
        return 0

    return _run(args, action)


def cmd_train(args) -> int:
    from .pipeline import train_action

    def action(store) -> int:
        run = train_action(store, _cache(args), args.task, _train_config(args), args.seed, _progress)
        print(json.dumps({"run": run.id, "path": str(run.path), "metrics": run.metrics}, indent=1, default=float))
        return 0

    return _run(args, action)


def cmd_evaluate(args) -> int:
    from dataclasses import replace

    from ..store.neo4j_gds import gds_version_at
    from .experiment import ExperimentConfig
    from .pipeline import evaluate_action

    def action(store) -> int:
        defaults = ExperimentConfig()
        gds = _gds_uri(args, store)
        if gds is not None:
            gds_version_at(gds)        # GDSUnavailable before the export and the experiment, not after them
        config = replace(defaults, task=args.task, seeds=tuple(range(args.seeds)), gnn=_train_config(args),
                         splits=tuple(args.split or defaults.splits), jobs=args.jobs, gds=gds)
        _, path = evaluate_action(store, _cache(args), args.report, config, _progress)
        print(path)
        return 0

    return _run(args, action)


def _gds_uri(args, store) -> str | None:
    """The Neo4j that computes the GDS baselines: ``--gds URI``; bare ``--gds``: the ``--store`` when it is a
    Neo4j, else the project's own Neo4j (``cellmap-kg neo4j start``); None without ``--gds``."""
    if args.gds != GDS_DEFAULT:
        return args.gds
    if store.backend == "neo4j":
        return store.uri
    from ..store.neo4j_server import Neo4jServer

    return Neo4jServer().uri


def cmd_predict(args) -> int:
    from .pipeline import predict_action

    def action(store) -> int:
        counts = predict_action(store, _cache(args), args.run, args.task, args.top_k, args.neighbours, _progress)
        store.flush()  # durable before success is reported
        print(json.dumps(counts, indent=1))
        return 0

    return _run(args, action)


def cmd_report(args) -> int:
    from .errors import GNNError
    from .report import compare_runs
    from .runs import load_run

    try:
        runs = [load_run(_cache(args), run_id) for run_id in args.runs]
    except GNNError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(compare_runs(runs, tuple(args.metric or ("auc", "hits@100", "mrr"))))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``gnn`` with its four actions to the ``cellmap-kg`` sub-parser collection ``sub``."""
    parser = sub.add_parser("gnn", help="GNN link prediction: export, train, evaluate, predict, report",
                            description=__doc__, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = parser.add_subparsers(dest="gnn_action", metavar="ACTION", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        add_store_option(p)
        p.add_argument("--cache", type=Path, default=None, metavar="DIR",
                       help=f"export cache and saved runs (default ${CACHE_ENV}, else ./.cellmap-kg/gnn)")

    def task(p: argparse.ArgumentParser) -> None:
        p.add_argument("--task", choices=("ppi", "membership"), default="ppi",
                       help="ppi: held-out AP-MS interactions; membership: held-out U2OS assembly memberships")

    def training(p: argparse.ArgumentParser) -> None:
        p.add_argument("--epochs", type=int, default=None, help="maximum training epochs (default 100)")
        p.add_argument("--dim", type=int, default=None, help="embedding / hidden size (default 48)")
        p.add_argument("--layers", type=int, default=None, help="message-passing layers (default 1)")
        p.add_argument("--lr", type=float, default=None, help="Adam learning rate (default 0.005)")
        p.add_argument("--negative-ratio", type=int, default=None, dest="negative_ratio",
                       help="training negatives per positive and epoch (default 3)")

    p = actions.add_parser("export", help="export the graph to a PyG HeteroData (cached by graph hash)")
    common(p)
    p.set_defaults(func=cmd_export)

    p = actions.add_parser("train", help="train the GNN on the edge split of a task and save the run")
    common(p)
    task(p)
    training(p)
    p.add_argument("--seed", type=int, default=0, help="split, initialisation and sampling seed (default 0)")
    p.set_defaults(func=cmd_train)

    p = actions.add_parser("evaluate", help="GNN and baselines on edge and protein-disjoint splits, several seeds: "
                                            "markdown report with plots")
    common(p)
    task(p)
    training(p)
    p.add_argument("--seeds", type=int, default=5, help="number of seeds 0..N-1 (default 5)")
    p.add_argument("--split", action="append", choices=("edge", "protein-disjoint"),
                   help="split kind (repeatable; default both)")
    p.add_argument("--jobs", type=int, default=2, help="worker processes for the (split, seed) runs (default 2)")
    p.add_argument("--gds", nargs="?", const=GDS_DEFAULT, default=None, metavar="URI",
                   help="also run the Neo4j Graph Data Science baselines (FastRP and node2vec on the same training "
                        "graph, same logistic regression as Node2Vec) in the Neo4j at URI; without URI: --store if "
                        "it is a Neo4j, else the project's Neo4j (needs `cellmap-kg neo4j install --with-gds` and "
                        "`cellmap-kg neo4j start`). Without --gds the report says they were not run")
    p.add_argument("--report", type=Path, default=Path("gnn-report"), metavar="DIR",
                   help="directory for report.md, metrics.json and the plots (default ./gnn-report)")
    p.set_defaults(func=cmd_evaluate)

    p = actions.add_parser("predict", help="write a run's embeddings and top-K new links back into the graph")
    common(p)
    p.add_argument("--run", default="latest", help="run id, or 'latest' (default)")
    p.add_argument("--task", choices=("ppi", "membership"), default=None, help="with --run latest: newest run of "
                                                                                "this task")
    p.add_argument("--top-k", type=int, default=10, dest="top_k", help="predicted links per protein (default 10)")
    p.add_argument("--neighbours", type=int, default=10, help="SIMILAR_TO neighbours per protein (default 10)")
    p.set_defaults(func=cmd_predict)

    p = actions.add_parser("report", help="metrics of saved runs side by side (markdown table)")
    p.add_argument("runs", nargs="+", metavar="RUN", help="run ids (or 'latest'), oldest first")
    p.add_argument("--cache", type=Path, default=None, metavar="DIR",
                   help=f"where the runs are saved (default ${CACHE_ENV}, else ./.cellmap-kg/gnn)")
    p.add_argument("--metric", action="append", choices=("auc", "ap", "hits@20", "hits@50", "hits@100", "mrr"),
                   help="metric rows (repeatable; default auc, hits@100, mrr)")
    p.set_defaults(func=cmd_report)
