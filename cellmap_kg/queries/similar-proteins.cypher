// name: similar-proteins
// question: Which proteins are nearest to a protein in the GNN embedding space?
// description: >-
//   The SIMILAR_TO neighbours written by `cellmap-kg gnn predict`: for each protein, the proteins whose GNN
//   embeddings (Protein.embedding, learned from AP-MS interactions, GO annotations, localization, cell-map
//   assemblies and the co-embedding) have the highest cosine similarity, exact nearest neighbours, per run. Nearby
//   proteins share interaction partners and context; a neighbour that is no known AP-MS partner is a candidate
//   for the same complex or pathway. `interacts` tells whether the pair is an AP-MS pair of the graph. For an
//   arbitrary vector use GraphStore.vector_search on the Protein.embedding vector index (backend procedures differ,
//   so the query library reads the stored neighbours).
// parameters:
//   symbol:
//     type: string
//     description: HGNC-approved symbol of the protein (Protein.symbol), e.g. DPP9
//   run:
//     type: string
//     default: ""
//     description: ModelRun id to show (empty = every run)
//   minCosine:
//     type: float
//     default: -1.0
//     unit: cosine similarity
//     description: lowest cosine similarity shown
// example: {symbol: DPP9}
// columns: [neighbour, name, cosine, rank, interacts, run]
MATCH (p:Protein {symbol: $symbol})-[s:SIMILAR_TO]->(q:Protein)
WHERE ($run = '' OR s.run = $run) AND s.cosine >= $minCosine
OPTIONAL MATCH (p)-[i:PULLED_DOWN]-(q)
WITH q, s, count(i) AS apms
RETURN q.symbol AS neighbour,
       q.name AS name,
       s.cosine AS cosine,
       s.rank AS rank,
       apms > 0 AS interacts,
       s.run AS run
ORDER BY run DESC, rank
