// name: assembly-best-matches
// question: What is the best-matching known component of each annotated assembly of a map, and its Jaccard index?
// parameters:
//   map: {type: string, description: the cell map (Assembly.map)}
// columns: [assembly, bestMatch, bestJaccard]
MATCH (a:Assembly {map: $map})
WHERE a.annotationCategory IS NOT NULL
RETURN a.id AS assembly, a.bestMatch AS bestMatch, a.bestJaccard AS bestJaccard
