// name: profiled-tumours
// question: How many mutation-profiled tumours of a cohort does each tumour type have (null type for untyped)?
// parameters:
//   cohort: {type: string, description: the tumour cohort (Tumour.cohort)}
// columns: [tumourType, tumours]
MATCH (t:Tumour {cohort: $cohort, mutationProfiled: true})
OPTIONAL MATCH (t)-[:OF_TYPE]->(tt:TumourType)
RETURN tt.name AS tumourType, count(t) AS tumours
