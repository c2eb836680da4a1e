// name: assembly-evidence
// question: Which measured interactions among its members support an assembly?
// description: >-
//   The supporting subnetwork of one assembly, as in the cell-map portal's 'supporting evidence' view: every AP-MS
//   pull-down between two of its members (bait -> prey; OpenCell interaction and abundance stoichiometry, -log10 p
//   and enrichment; BioPlex pInt) and every U2OS co-embedding proximity edge between two members (the top 0.2% most
//   similar protein pairs of the MUSE embedding that the map was built from, with their cosine similarity). The
//   strongest edges come first within each kind; at most `limit` rows.
// reproduces: Schaffer et al. 2025, the cell-map portal's 'supporting evidence' view of an assembly
// parameters:
//   id:
//     type: string
//     description: "map-namespaced assembly id (Assembly.id), e.g. U2OS-2023-05:Cluster2-77"
//   datasets:
//     type: "list[string]"
//     default: [opencell-2022, bioplex-3.0-hek293t, cellmaps-pipeline-example, u2os-coembedding-2022]
//     description: data sets whose edges are shown (Dataset.id of the PULLED_DOWN and PROXIMAL_TO relationships)
//   kinds:
//     type: "list[string]"
//     default: [PULLED_DOWN, PROXIMAL_TO]
//     choices: [PULLED_DOWN, PROXIMAL_TO]
//     description: relationship types shown (AP-MS pull-downs, co-embedding proximity)
//   limit:
//     type: int
//     default: 1000
//     unit: edges
//     description: most edges returned
// example: {id: 'U2OS-2023-05:Cluster2-77'}
// columns: [source, target, kind, dataset, interactionStoichiometry, abundanceStoichiometry, pValue, enrichment, pInt,
//   cosine]
MATCH (a:Assembly {id: $id})<-[:MEMBER_OF]-(source:Protein)-[r:PULLED_DOWN|PROXIMAL_TO]->(target:Protein)
WHERE r.dataset IN $datasets AND type(r) IN $kinds AND (target)-[:MEMBER_OF]->(a)
RETURN source.symbol AS source,
       target.symbol AS target,
       type(r) AS kind,
       r.dataset AS dataset,
       r.interactionStoichiometry AS interactionStoichiometry,
       r.abundanceStoichiometry AS abundanceStoichiometry,
       r.pValue AS pValue,
       r.enrichment AS enrichment,
       r.pInt AS pInt,
       r.cosine AS cosine
ORDER BY kind, dataset, coalesce(interactionStoichiometry, pInt, cosine, 0.0) DESC, source, target
LIMIT $limit
