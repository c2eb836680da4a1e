// name: predicted-links
// question: Which new interactions and assembly memberships do the GNN runs predict for a protein?
// description: >-
//   The links written back by `cellmap-kg gnn predict`: PREDICTED_INTERACTION (a protein pair found in no AP-MS
//   data set of the graph, scored by a GNN trained on held-out AP-MS pairs) and PREDICTED_MEMBER_OF (a U2OS-map
//   assembly the protein is not a member of), each the top-K of the protein in one run, with the model's score
//   (a logit: higher is more likely; comparable within a run only), its calibrated probability (isotonic
//   regression of the logit on the run's validation pairs, weighted to the real share of interactions among
//   unseen pairs: comparable across runs) and the run's rank. Rows of every run, newest
//   run first; `run` restricts to one ModelRun id. `knownPartners` counts the target's AP-MS partners that are also
//   AP-MS partners of the protein (shared interactors; 0 for an assembly). The run's test metrics and CORUM check
//   are in ModelRun.metrics (JSON).
// parameters:
//   symbol:
//     type: string
//     description: HGNC-approved symbol of the protein (Protein.symbol), e.g. DPP9
//   run:
//     type: string
//     default: ""
//     description: ModelRun id to show (empty = every run)
//   maxRank:
//     type: int
//     default: 10
//     unit: links per protein
//     description: largest rank shown within a run
// example: {symbol: DPP9}
// columns: [relation, target, targetName, score, probability, rank, knownPartners, model, run, createdAt]
MATCH (p:Protein {symbol: $symbol})-[r:PREDICTED_INTERACTION|PREDICTED_MEMBER_OF]->(t)
WHERE ($run = '' OR r.run = $run) AND r.rank <= $maxRank
MATCH (m:ModelRun {id: r.run})
OPTIONAL MATCH (p)-[:PULLED_DOWN]-(shared:Protein)-[:PULLED_DOWN]-(t)
WITH p, r, t, m, count(DISTINCT shared) AS knownPartners
RETURN type(r) AS relation,
       coalesce(t.symbol, t.id) AS target,
       t.name AS targetName,
       r.score AS score,
       r.probability AS probability,
       r.rank AS rank,
       knownPartners,
       r.model AS model,
       r.run AS run,
       m.createdAt AS createdAt
ORDER BY createdAt DESC, run, relation, rank
