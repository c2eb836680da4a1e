// name: tumour-type-driver-genes
// question: In how many samples of each tumour type of a cohort is each driver gene pathogenically altered?
// parameters:
//   cohort: {type: string, description: the cohort (TumourType.cohort)}
// columns: [tumourType, genes, samples]
MATCH (tt:TumourType {cohort: $cohort})-[d:DRIVER_GENE]->(p:Protein)
RETURN tt.name AS tumourType, collect(p.symbol) AS genes, collect(d.pathogenicSamples) AS samples
