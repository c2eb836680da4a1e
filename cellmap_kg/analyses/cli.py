"""``cellmap-kg analyze | annotate | hisig``: run the graph analyses, or two of them on their own files.

``register(sub)`` adds the three sub-commands to the ``cellmap-kg`` parser:

* ``analyze [NAME ...]``: run analyses on an existing graph and print each one's summary (docs/analyses.md);
* ``annotate --hierarchy NODES --terms TERMS --out FILE``: Cell Mapping Toolkit enrichment of a HiDeF hierarchy
  against a termStats table (``enrichment.annotate_files``);
* ``hisig --ont FILE --scores FILE --out FILE``: HiSig on a DDOT ``.ont`` hierarchy and a gene score table
  (``hisig.hisig_files``), writing the ranked table with HiSig's columns.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..cli.options import add_cache_option, add_data_option, add_store_option, cache_dir

ANALYZE_EPILOG = """\
examples:
  cellmap-kg analyze                              the default analyses (those of the default build)
  cellmap-kg analyze annotation association       just these two
  cellmap-kg analyze hisig-tcga --permutations 10000 --jobs 2
  cellmap-kg analyze --list
"""


def format_summary(summary: dict, indent: str = "  ") -> list[str]:
    """Lines of a summary dict: a flat dict on one line (``k=v``), nested dicts indented one level per depth."""
    lines = []
    for key, value in summary.items():
        if isinstance(value, dict) and value and any(isinstance(v, dict) for v in value.values()):
            lines.append(f"{indent}{key}:")
            lines.extend(format_summary(value, indent + "  "))
        elif isinstance(value, dict):
            lines.append(f"{indent}{key}: " + (" ".join(f"{k}={v}" for k, v in value.items()) or "-"))
        else:
            lines.append(f"{indent}{key}: {value}")
    return lines


def _print_summary(name: str, summary: dict) -> None:
    if "skipped" in summary:
        print(f"{name}: skipped: {summary['skipped']}", flush=True)
        return
    print(f"{name} ({summary.get('seconds', 0):.1f} s)")
    print("\n".join(format_summary({k: v for k, v in summary.items() if k != "seconds"})), flush=True)


def cmd_analyze(args) -> int:
    from ..sources import default_data_dir
    from ..store import open_store
    from .graph_io import AnalysisError
    from .registry import ANALYSES, AnalysisOptions, resolve_names, run_analyses

    if args.list:
        for name, analysis in ANALYSES.items():
            print(f"{name:20s} {'default' if analysis.default else 'on request':11s} {analysis.description}")
        return 0
    try:
        names = resolve_names(args.names)
    except KeyError as exc:
        print(f"error: {exc.args[0]}", file=sys.stderr)
        return 2
    if args.permutations < 1:
        print("error: --permutations must be >= 1", file=sys.stderr)
        return 2
    data_dir = args.data if args.data is not None else default_data_dir()
    options = AnalysisOptions(data_dir=data_dir, map_name=args.map, permutations=args.permutations,
                              seed=args.seed, jobs=max(1, args.jobs), cache_dir=cache_dir(args))
    report = None if args.format == "json" else _print_summary
    try:
        with open_store(args.store) as store:
            summaries = run_analyses(store, names, options, report=report, skip_missing=not args.names)
            store.flush()  # durable before success is reported
    except AnalysisError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.format == "json":
        print(json.dumps(summaries, indent=2, default=str))
    skipped = [n for n in ANALYSES if n not in names]
    if skipped and args.format != "json":
        print(f"not run: {', '.join(skipped)} (cellmap-kg analyze {' '.join(skipped)})")
    return 0


def cmd_annotate(args) -> int:
    from .enrichment import annotate_files

    accepted, best = annotate_files(args.hierarchy, args.terms, args.out, best_file=args.best, max_fdr=args.max_fdr,
                                    min_jaccard=args.min_jaccard, min_term_size=args.min_term_size)
    best_file = args.best or args.out.with_name(args.out.stem + ".best.tsv")
    counts = best.annotationCategory.value_counts()
    print(f"{len(accepted)} significant (assembly, term) pairs for {accepted.assembly.nunique()} of {len(best)} "
          f"assemblies -> {args.out}")
    print(f"best matches -> {best_file}: known {counts.get('known', 0)}, variant {counts.get('variant', 0)}, "
          f"novel {counts.get('novel', 0)}")
    return 0


def cmd_hisig(args) -> int:
    from .hisig import hisig_files, recurrently_mutated

    if args.permutations < 1:
        print("error: --permutations must be >= 1", file=sys.stderr)
        return 2
    if args.max_mutated_proteins is not None and args.max_mutated_proteins < 1:
        print("error: --max-mutated-proteins must be >= 1", file=sys.stderr)
        return 2
    try:
        table = hisig_files(args.ont, args.scores, args.out, n_permutations=args.permutations, seed=args.seed,
                            n_jobs=max(1, args.jobs), max_mutated_proteins=args.max_mutated_proteins)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    recurrent = recurrently_mutated(table, args.max_q)
    top = table.iloc[0]
    print(f"{len(table)} systems tested ({table.attrs['genes']} genes, {args.permutations} permutations, seed "
          f"{args.seed}); {len(recurrent)} with q <= {args.max_q} -> {args.out}")
    print(f"top: {top.System_name} (selection pressure {top.Selection_pressure:.3f}, p {top.p:.4g}, q {top.q:.4g})")
    return 0


def _store_and_data(p: argparse.ArgumentParser) -> None:
    add_store_option(p)
    add_data_option(p)


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``analyze``, ``annotate`` and ``hisig`` to the ``cellmap-kg`` sub-parsers ``sub``."""
    from .enrichment import MAX_FDR, MIN_JACCARD, MIN_TERM_SIZE
    from .graph_io import DEFAULT_MAP
    from .hisig import MAX_MUTATED_PROTEINS, RECURRENT_Q

    p = sub.add_parser("analyze", help="run the graph analyses on an existing graph and print their summaries",
                       description="Run graph analyses (annotation, size, multi-localization, association, "
                                   "mutation-frequency, hisig on every cohort, structures) and write their "
                                   "results into the graph, replacing earlier results of the same analyses. "
                                   "Without NAME: the analyses of the default build, skipping (and saying so) "
                                   "those whose inputs the graph lacks. See docs/analyses.md.",
                       epilog=ANALYZE_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("names", nargs="*", metavar="NAME", help="analyses to run (default: the default set; 'all')")
    p.add_argument("--list", action="store_true", help="list the analyses and exit")
    p.add_argument("--map", default=DEFAULT_MAP, help=f"map of the single-map analyses (default {DEFAULT_MAP})")
    p.add_argument("--permutations", type=int, default=1000, help="HiSig permutations per run (default 1000)")
    p.add_argument("--seed", type=int, default=0, help="seed of the HiSig permutations (default 0)")
    p.add_argument("--jobs", type=int, default=2,
                   help="threads for the HiSig permutations, shared by the runs of each HiSig analysis (default 2)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    add_cache_option(p)
    _store_and_data(p)
    p.set_defaults(func=cmd_analyze)

    p = sub.add_parser("annotate", help="annotate a HiDeF hierarchy against a termStats table (no graph needed)",
                       description="One-sided hypergeometric enrichment of every assembly for every term, BH over "
                                   "the whole assembly x term matrix, Jaccard; keeps FDR < --max-fdr and Jaccard >= "
                                   "--min-jaccard (Cell Mapping Toolkit rule). Writes the significant pairs and "
                                   "each assembly's best match with its category (known / variant / novel).",
                       epilog="example: cellmap-kg annotate --hierarchy map.nodes "
                              "--terms music_v1/GO_CC_human_no_hpa.txt --out go_cc.tsv")
    p.add_argument("--hierarchy", type=Path, required=True, metavar="NODES_FILE", help="HiDeF .nodes file")
    p.add_argument("--terms", type=Path, required=True, metavar="TERMS_FILE",
                   help="termStats table: term <TAB> size <TAB> comma-separated genes")
    p.add_argument("--out", type=Path, required=True, metavar="FILE", help="significant pairs (TSV)")
    p.add_argument("--best", type=Path, default=None, metavar="FILE",
                   help="best match per assembly (TSV; default: OUT's stem + .best.tsv)")
    p.add_argument("--max-fdr", type=float, default=MAX_FDR, help=f"FDR threshold (default {MAX_FDR})")
    p.add_argument("--min-jaccard", type=float, default=MIN_JACCARD,
                   help=f"Jaccard threshold (default {MIN_JACCARD})")
    p.add_argument("--min-term-size", type=int, default=MIN_TERM_SIZE,
                   help=f"smallest term tested, in background genes (default {MIN_TERM_SIZE})")
    p.set_defaults(func=cmd_annotate)

    p = sub.add_parser("hisig", help="HiSig on a DDOT hierarchy and a gene score table (no graph needed)",
                       description="Rank the systems of a hierarchy by HiSig selection pressure (positive lasso "
                                   "path on systems + genes) with permutation p-values and BH q-values; writes "
                                   "HiSig's ranked table (System_name, No_genes, Selection_pressure, p, q, Genes, "
                                   "Model_input, Rank_of_model_input, Mutation_count, mutatedProteins). Every "
                                   "system with >= 2 genes is tested, as HiSig does; --max-mutated-proteins 50 "
                                   "applies the U2OS paper's cap.",
                       epilog="example: cellmap-kg hisig --ont u2os.ont --scores brca.score.txt --out brca.tsv")
    p.add_argument("--ont", type=Path, required=True, metavar="FILE",
                   help="DDOT .ont: parent <TAB> child <TAB> default | system <TAB> gene <TAB> gene")
    p.add_argument("--scores", type=Path, required=True, metavar="FILE", help="gene <TAB> score (no header)")
    p.add_argument("--out", type=Path, required=True, metavar="FILE", help="ranked table (TSV)")
    p.add_argument("--permutations", type=int, default=1000, help="permutations (default 1000)")
    p.add_argument("--seed", type=int, default=0, help="permutation seed (default 0)")
    p.add_argument("--jobs", type=int, default=2, help="threads for the permutations (default 2)")
    p.add_argument("--max-q", type=float, default=RECURRENT_Q,
                   help=f"q cut-off of the printed count (default {RECURRENT_Q})")
    p.add_argument("--max-mutated-proteins", type=int, default=None, metavar="N",
                   help="do not test systems with more than N members of score > 0 (default: no cap, as HiSig; the "
                        f"U2OS paper used {MAX_MUTATED_PROTEINS})")
    p.set_defaults(func=cmd_hisig)
