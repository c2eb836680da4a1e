// name: tumour-mutated-genes
// question: Which genes carry a mutation of a kind in each mutation-profiled tumour of a cohort, and of which type?
// parameters:
//   cohort: {type: string, description: the tumour cohort (Tumour.cohort)}
//   kind: {type: string, description: the mutation kind (Mutation.kind)}
// columns: [tumour, tumourType, gene]
MATCH (t:Tumour {cohort: $cohort, mutationProfiled: true})-[:HAS_MUTATION]->(m:Mutation)-[:AFFECTS]->(p:Protein)
WHERE m.kind = $kind
OPTIONAL MATCH (t)-[:OF_TYPE]->(tt:TumourType)
RETURN t.id AS tumour, tt.name AS tumourType, p.symbol AS gene
