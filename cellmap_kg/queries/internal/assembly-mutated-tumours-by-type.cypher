// name: assembly-mutated-tumours-by-type
// question: How many profiled tumours of each type have a mutated member in each assembly of a map, of how many?
// parameters:
//   cohort: {type: string, description: the tumour cohort (Tumour.cohort)}
//   map: {type: string, description: the cell map (Assembly.map)}
//   kinds: {type: "list[string]", description: mutation kinds counted (Mutation.kind)}
// columns: [assembly, tumourType, tumours, profiled]
MATCH (t:Tumour {cohort: $cohort, mutationProfiled: true})-[:OF_TYPE]->(tt:TumourType)
WITH tt, count(t) AS profiled
MATCH (a:Assembly {map: $map})<-[:MEMBER_OF]-(:Protein)<-[:AFFECTS]-(m:Mutation)<-[:HAS_MUTATION]-(t:Tumour)
      -[:OF_TYPE]->(tt)
WHERE t.mutationProfiled = true AND m.kind IN $kinds
RETURN a.id AS assembly, tt.name AS tumourType, count(DISTINCT t) AS tumours, profiled
