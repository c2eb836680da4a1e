// name: assembly-mutated-tumours
// question: How many profiled tumours of a cohort have a mutated member in each assembly of a map, of how many?
// parameters:
//   cohort: {type: string, description: the tumour cohort (Tumour.cohort)}
//   map: {type: string, description: the cell map (Assembly.map)}
//   kinds: {type: "list[string]", description: mutation kinds counted (Mutation.kind)}
// columns: [assembly, tumours, profiled]
MATCH (t:Tumour {cohort: $cohort, mutationProfiled: true})
WITH count(t) AS profiled
MATCH (a:Assembly {map: $map})<-[:MEMBER_OF]-(:Protein)<-[:AFFECTS]-(m:Mutation)<-[:HAS_MUTATION]-(t:Tumour)
WHERE t.cohort = $cohort AND t.mutationProfiled = true AND m.kind IN $kinds
RETURN a.id AS assembly, count(DISTINCT t) AS tumours, profiled
