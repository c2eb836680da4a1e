// name: tumour-type-gene-scores
// question: Which gene mutation scores (MUTATION_SCORE) does each tumour type of a cohort have?
// parameters:
//   cohort: {type: string, description: the cohort (TumourType.cohort)}
// columns: [tumourType, genes, scores]
MATCH (tt:TumourType {cohort: $cohort})-[s:MUTATION_SCORE]->(p:Protein)
RETURN tt.name AS tumourType, collect(p.symbol) AS genes, collect(s.score) AS scores
