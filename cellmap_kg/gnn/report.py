"""The markdown report of ``cellmap-kg gnn evaluate`` (metrics table, verdicts, leakage statement, time per
phase, plots) and of ``cellmap-kg gnn report RUN [RUN...]`` (saved runs' metrics side by side).

Plots (PNG, matplotlib ``Agg``): ``roc.png`` and ``pr.png`` (test curves of the first seed, every method, per
split), ``training.png`` (GNN training loss and validation ROC-AUC per epoch, every seed and split) and
``embedding.png`` (t-SNE, scikit-learn, of the GNN protein embeddings of the U2OS map proteins, coloured by their
top-level assembly: the most specific child of the map root they belong to; at most 2,000 proteins, sampled with
a fixed seed, so the plot takes seconds).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import torch

from ..sources import DEFAULT_MAP
from .experiment import COEMBEDDING, GDS_METHODS, GNN, GNN_ON_COEMBEDDING, ExperimentResult, best_heuristic
from .heterodata import GraphExport
from .runs import SavedRun

METRICS = ("auc", "ap", "hits@20", "hits@50", "hits@100", "mrr")
METRIC_NAMES = {"auc": "ROC-AUC", "ap": "AP", "hits@20": "Hits@20", "hits@50": "Hits@50", "hits@100": "Hits@100",
                "mrr": "MRR (hard)"}
EMBEDDING_MAP = DEFAULT_MAP
MAX_TSNE_POINTS = 2000

LEAKAGE_STATEMENT = """\
Leakage controls (each one verified on every split and seed; the counts are in the table below and are all 0):

- **Disjoint message passing and supervision.** Training supervision edges are not in the training
  message-passing graph (`RandomLinkSplit(disjoint_train_ratio=0.3)`); validation and test edges are in no
  graph the model sees before they are scored.
- **Reverse edges removed.** A held-out pair is removed in both directions (undirected split for protein
  pairs, `rev_edge_types` for memberships), so no reverse edge carries it into message passing.
- **Negatives from the training graph only.** Training negatives are drawn fresh each epoch avoiding only
  the training graph's pairs; validation/test negatives are fixed per seed and avoid every true edge.
- **Protein-disjoint split.** Test proteins have no supervised edge in any training graph, and pairs straddling
  train and test proteins are dropped (Park & Marcotte 2012), so no protein is on both sides.
- **No circular external check.** CORUM `SUBUNIT_OF` edges are not in the task (a) input graph.
- **No interaction-derived features.** GO annotations whose only evidence is IPI (inferred from physical
  interaction) are left out, and no feature counts AP-MS partners (no Bait/Prey label, no degree feature).
  Residual: NCBI `pubmedCount` (a feature) includes large-scale interaction papers, +1 or +2 articles per
  protein; it is not removed.
"""


def _fmt(value: tuple[float, float] | None) -> str:
    if value is None or value[0] is None or math.isnan(value[0]):
        return "n/a"
    mean, std = value
    return f"{mean:.3f} ± {std:.3f}"


def metrics_table(summary: dict[str, dict[str, tuple[float, float]]]) -> str:
    """Markdown table ``method x metric`` (mean ± std over seeds) of one split's summary."""
    lines = ["| method | " + " | ".join(METRIC_NAMES[m] for m in METRICS) + " |",
             "|---|" + "---|" * len(METRICS)]
    for method, values in summary.items():
        lines.append(f"| {method} | " + " | ".join(_fmt(values.get(m)) for m in METRICS) + " |")
    return "\n".join(lines)


def verdicts(summary: dict[str, dict[str, tuple[float, float]]]) -> list[str]:
    """Sentences: who wins each metric, and the GNN against the best heuristic on Hits@100 and ROC-AUC."""
    out = []
    comparable = {m: v for m, v in summary.items() if m not in (COEMBEDDING, GNN_ON_COEMBEDDING)}
    for metric in METRICS:
        ranked = sorted(((v[metric][0], m) for m, v in comparable.items()
                         if metric in v and not math.isnan(v[metric][0])), reverse=True)
        if len(ranked) >= 2:
            (best, name), (second, other) = ranked[0], ranked[1]
            out.append(f"{METRIC_NAMES[metric]}: **{name}** wins with {best:.3f}, {best - second:+.3f} over "
                       f"{other} ({second:.3f}).")
    if GNN in summary:
        for metric in ("hits@100", "auc"):
            name, value = best_heuristic(summary, metric)
            gnn = summary[GNN][metric][0]
            verb = "beats" if gnn > value else "does not beat"
            out.append(f"GNN {verb} the best heuristic on {METRIC_NAMES[metric]}: {gnn:.3f} vs {name} {value:.3f} "
                       f"({gnn - value:+.3f}).")
    if COEMBEDDING in summary and GNN_ON_COEMBEDDING in summary:
        for metric in ("auc", "hits@100"):
            c, g = summary[COEMBEDDING][metric][0], summary[GNN_ON_COEMBEDDING][metric][0]
            out.append(f"On pairs of co-embedded proteins, {METRIC_NAMES[metric]}: GNN {g:.3f} vs co-embedding "
                       f"cosine {c:.3f} ({g - c:+.3f}).")
    return out


COMPARED = ("auc", "hits@100", "mrr")

GDS_NOT_RUN = """\
**Not run**: `gnn evaluate` was called without `--gds`. These baselines (Neo4j Graph Data Science FastRP and
node2vec on the same training graph, with the Node2Vec baseline's logistic regression) need a Neo4j with GDS:
`cellmap-kg neo4j install --with-gds`, `cellmap-kg neo4j start`, then `cellmap-kg gnn evaluate --gds`."""


def gds_statement(result: ExperimentResult) -> list[str]:
    """Lines of the report's GDS section: what ran where and how long, and per split the GNN minus each GDS
    baseline on Hits@100, MRR and ROC-AUC; or why the GDS baselines were not run."""
    if result.gds_version is None:
        return [GDS_NOT_RUN]
    methods = [GDS_METHODS[a] for a in result.config.gds_algorithms]
    seconds = {p: v for p, v in result.phase_seconds().items() if p.startswith("Neo4j GDS ")}
    lines = [f"Neo4j Graph Data Science {result.gds_version} at `{result.config.gds}` computed the "
             f"{' and '.join(result.config.gds_algorithms)} embeddings of the training graph of the supervised "
             "relation (the graph Node2Vec learns from; projected into GDS from the edge list, nothing written to the "
             "database), scored by the Node2Vec baseline's logistic regression on Hadamard products (rows "
             f"{', '.join(methods)}). Parameters: `gnn/baselines.py` (`gds_config`). "
             "Seconds in GDS (projection, algorithm, streaming back), summed over the units: "
             + ", ".join(f"{p[len('Neo4j GDS '):]} {v:.1f} s" for p, v in seconds.items()) + ".", ""]
    for kind, table in result.summary().items():
        for name in methods:
            if name in table and GNN in table:
                lines.append(f"- {kind} split, GNN minus {name}: " + ", ".join(
                    f"{METRIC_NAMES[m]} {table[GNN][m][0] - table[name][m][0]:+.3f}" for m in COMPARED) + ".")
    return lines


def run_metrics(run: SavedRun) -> dict[tuple[str, str], dict[str, tuple[float, float]]]:
    """``{(split, method): {metric: (mean, std)}}`` of a saved run: the whole experiment table of an ``evaluate``
    run; the single test evaluation (std NaN) of a ``train`` run, as split ``edge``, method = the run's model."""
    if "experiment" in run.metrics:
        return {(kind, method): {m: tuple(v) for m, v in values.items()}
                for kind, table in run.metrics["experiment"].items() for method, values in table.items()}
    if "test" in run.metrics:
        return {("edge", run.model): {m: (float(v), float("nan")) for m, v in run.metrics["test"].items()
                                      if m in METRICS}}
    return {}


def compare_runs(runs: list[SavedRun], metrics: tuple[str, ...] = COMPARED) -> str:
    """Markdown table of ``runs`` side by side: one row per (split, method, metric) that any run has, one column
    per run (mean ± std), and the change of the last run against the first."""
    tables = [run_metrics(r) for r in runs]
    rows = list(dict.fromkeys(key for t in tables for key in t))
    header = ["split", "method", "metric"] + [f"`{r.id}`" for r in runs] + (["last - first"] if len(runs) > 1
                                                                           else [])
    lines = ["| " + " | ".join(header) + " |", "|---" * len(header) + "|"]
    for split, method in rows:
        for metric in metrics:
            values = [t.get((split, method), {}).get(metric) for t in tables]
            if all(v is None for v in values):
                continue
            cells = [_fmt(v).replace(" ± nan", "") for v in values]
            if len(runs) > 1:
                first, last = values[0], values[-1]
                cells.append(f"{last[0] - first[0]:+.3f}" if first is not None and last is not None else "n/a")
            lines.append(f"| {split} | {method} | {METRIC_NAMES[metric]} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def phase_table(result: ExperimentResult) -> str:
    """Markdown table of the seconds per phase, summed over the (split, seed) units (worker time)."""
    phases = result.phase_seconds()
    total = sum(phases.values())
    lines = ["| phase | seconds (all units) | share |", "|---|---|---|"]
    lines += [f"| {p} | {v:.1f} | {v / total:.0%} |" for p, v in sorted(phases.items(), key=lambda x: -x[1])]
    return "\n".join(lines)


def _plot_curves(result: ExperimentResult, directory: Path) -> list[str]:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import precision_recall_curve, roc_curve

    files = []
    for name, curve in (("roc", roc_curve), ("pr", precision_recall_curve)):
        kinds = list(result.curves)
        fig, axes = plt.subplots(1, len(kinds), figsize=(6 * len(kinds), 5), squeeze=False)
        for ax, kind in zip(axes[0], kinds, strict=True):
            for method, (pos, neg) in result.curves[kind].items():
                y = np.concatenate([np.ones(len(pos)), np.zeros(len(neg))])
                a, b, _ = curve(y, np.concatenate([pos, neg]))
                x, yv = (a, b) if name == "roc" else (b, a)
                ax.plot(x, yv, label=method, linewidth=2.2 if method == GNN else 1.0)
            ax.set_title(f"{kind} split, seed {result.config.seeds[0]} (test)")
            ax.set_xlabel("false positive rate" if name == "roc" else "recall")
            ax.set_ylabel("true positive rate" if name == "roc" else "precision")
            ax.legend(fontsize=7)
        fig.tight_layout()
        fig.savefig(directory / f"{name}.png", dpi=110)
        plt.close(fig)
        files.append(f"{name}.png")
    return files


def _plot_training(result: ExperimentResult, directory: Path) -> str:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (loss_ax, auc_ax) = plt.subplots(1, 2, figsize=(12, 4.5))
    for record in result.records:
        epochs = [h["epoch"] for h in record.history if h["epoch"] > 0]
        loss_ax.plot(epochs, [h["loss"] for h in record.history if h["epoch"] > 0],
                     label=f"{record.kind} seed {record.seed}", linewidth=0.9)
        evaluated = [h for h in record.history if "val_auc" in h]
        auc_ax.plot([h["epoch"] for h in evaluated], [h["val_auc"] for h in evaluated], marker=".",
                    label=f"{record.kind} seed {record.seed}", linewidth=0.9)
    loss_ax.set(xlabel="epoch", ylabel="training BCE loss", title="GNN training loss")
    auc_ax.set(xlabel="epoch", ylabel="validation ROC-AUC", title="GNN validation ROC-AUC (epoch 0 = untrained)")
    loss_ax.legend(fontsize=6)
    fig.tight_layout()
    fig.savefig(directory / "training.png", dpi=110)
    plt.close(fig)
    return "training.png"


def top_level_assembly(export: GraphExport, map_id: str = EMBEDDING_MAP) -> dict[int, str]:
    """``{protein index: name of its top-level assembly}``: the smallest child of ``map_id``'s root that the
    protein is a member of (``name`` is the assembly's LLM name when it has one, else its id)."""
    props = export.node_properties["Assembly"]
    keys = export.keys["Assembly"]
    roots = [i for i, (m, r) in enumerate(zip(props["map"], props["isRoot"], strict=True)) if m == map_id and r]
    contains = export.data["Assembly", "CONTAINS", "Assembly"].edge_index
    children = set(contains[1][torch.isin(contains[0], torch.tensor(roots, dtype=torch.long))].tolist())
    member = export.data["Protein", "MEMBER_OF", "Assembly"].edge_index
    size = {c: int((member[1] == c).sum()) for c in children}
    best: dict[int, int] = {}
    for p, a in zip(member[0].tolist(), member[1].tolist(), strict=True):
        if a in children and (p not in best or size[a] < size[best[p]]):
            best[p] = a
    return {p: props["name"][a] or keys[a].split(":", 1)[1] for p, a in best.items()}


def _plot_embedding(embeddings: torch.Tensor, export: GraphExport, directory: Path, max_points: int) -> str:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.manifold import TSNE

    labels = top_level_assembly(export)
    proteins = np.array(sorted(labels))
    rng = np.random.default_rng(0)
    if len(proteins) > max_points:
        proteins = np.sort(rng.choice(proteins, max_points, replace=False))
    xy = TSNE(2, init="pca", random_state=0, perplexity=30).fit_transform(embeddings[proteins].numpy())
    names = [labels[p] for p in proteins]
    counts = {n: names.count(n) for n in set(names)}
    shown = sorted(counts, key=lambda n: -counts[n])[:10]
    fig, ax = plt.subplots(figsize=(8, 7))
    for name in shown + ["other"]:
        mask = np.array([(n == name) if name != "other" else (n not in shown) for n in names])
        if mask.any():
            ax.scatter(xy[mask, 0], xy[mask, 1], s=5, label=f"{name[:40]} ({int(mask.sum())})",
                       color="lightgrey" if name == "other" else None)
    ax.set_title(f"t-SNE of GNN protein embeddings, {len(proteins)} {EMBEDDING_MAP} proteins, "
                 "coloured by top-level assembly", fontsize=9)
    ax.legend(fontsize=6, markerscale=2)
    fig.tight_layout()
    fig.savefig(directory / "embedding.png", dpi=110)
    plt.close(fig)
    return "embedding.png"


def write_report(result: ExperimentResult, export: GraphExport, embeddings: torch.Tensor, external: dict | None,
                 run_id: str, directory: Path, max_points: int = MAX_TSNE_POINTS) -> Path:
    """Write ``directory/report.md``, ``metrics.json`` and the PNG plots; returns the report's path.

    ``embeddings``: ``(N_protein, d)`` GNN protein embeddings; ``max_points``: proteins in the t-SNE plot."""
    directory.mkdir(parents=True, exist_ok=True)
    summary = result.summary()
    config = result.config
    lines = [f"# GNN link prediction: task `{config.task}`", "",
             f"Run `{run_id}`, export `{result.export_hash[:16]}`, {len(config.seeds)} seeds "
             f"({', '.join(map(str, config.seeds))}), experiment wall time {result.seconds / 60:.1f} min.", "",
             "Graph: " + ", ".join(f"{t} {n:,}" for t, n in export.counts()["nodes"].items()) + ".", "",
             "Metrics are mean ± sample standard deviation over seeds, on the test pairs of each split. Hits@K "
             f"follows OGB (`ogbl-ppa`): share of test positives scored above the K-th best of "
             f"{config.num_shared:,} shared random non-edges; MRR ranks each positive against up to "
             f"{config.num_hard} hard negatives (same compartment, or sibling assembly).", ""]
    for kind, table in summary.items():
        lines += [f"## {kind} split", "", metrics_table(table), ""]
        lines += [f"- {v}" for v in verdicts(table)] + [""]
        record = next(r for r in result.records if r.kind == kind)
        lines += ["Split sizes (first seed): " + ", ".join(f"{k} {v:,}" for k, v in record.sizes.items()) + ".", ""]
    lines += ["## Neo4j Graph Data Science baselines", ""] + gds_statement(result) + [""]
    lines += ["## Leakage", "", LEAKAGE_STATEMENT, "| check | " + " | ".join(
        f"{r.kind} {r.seed}" for r in result.records) + " |", "|---|" + "---|" * len(result.records)]
    for check in dict.fromkeys(c for r in result.records for c in r.leakage):
        lines.append(f"| {check} | " + " | ".join(str(r.leakage.get(check, "-")) for r in result.records) + " |")
    lines.append("")
    if external:
        lines += ["## External check: CORUM", "",
                  f"Top {external['n']:,} novel predicted interactions (no AP-MS pair in the graph; candidates: "
                  f"{external['candidates scored']:,} pairs of nearest proteins in embedding space): "
                  f"{external['hits']} are CORUM co-complex pairs, precision **{external['precision']:.3f}**; "
                  f"random novel pairs {external['random uniform precision']:.4f} "
                  f"(enrichment {external['enrichment uniform']:.1f}x, binomial p = {external['p uniform']:.2g}); "
                  f"random pairs of the same proteins {external['random same-protein precision']:.4f} "
                  f"(enrichment {external['enrichment same-protein']:.1f}x, p = {external['p same-protein']:.2g}). "
                  "CORUM is not in the model's input graph.", ""]
    stages = "; ".join(f"{k} {v:.0f} s" for k, v in result.stages.items())
    lines += ["## Time", "", f"Experiment wall time {result.seconds:.0f} s with {config.jobs} worker process(es)"
              + (f" (stages before the report: {stages})" if stages else "") + ". Seconds per phase of the "
              "experiment, summed over the units:", "", phase_table(result), "",
              "GNN training per unit: " + ", ".join(
                  f"{r.kind} {r.seed} {r.timings[f'train {GNN}']:.0f} s ({r.timings['GNN seconds per epoch']:.2f} "
                  "s/epoch)" for r in result.records) + "."]
    plots = _plot_curves(result, directory) + [_plot_training(result, directory),
                                               _plot_embedding(embeddings, export, directory, max_points)]
    lines += ["", "## Plots", ""] + [f"![{p}]({p})" for p in plots]
    lines += ["", "## Configuration", "", "```json", json.dumps(config.to_dict(), indent=1, default=str), "```", ""]
    path = directory / "report.md"
    path.write_text("\n".join(lines))
    (directory / "metrics.json").write_text(json.dumps(
        {"summary": {k: {m: {x: list(v) for x, v in d.items()} for m, d in s.items()} for k, s in summary.items()},
         "records": [r.__dict__ for r in result.records], "external": external, "run": run_id},
        indent=1, default=float))
    return path
