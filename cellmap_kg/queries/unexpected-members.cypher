// name: unexpected-members
// question: Which members of small assemblies are missing from the known component the assembly best matches?
// description: >-
//   Members of assemblies of fewer than 50 proteins that are not annotated to the assembly's best-matching known
//   component (GO cellular component, CORUM complex or HPA compartment): candidate new members of a known complex
//   or compartment (Schaffer et al. 2025, "Functions for uncharacterized proteins"). Written as
//   MEMBER_OF.unexpected by the annotation analysis; nothing is returned before it has run. Assemblies by
//   increasing size, then protein.
// reproduces: Schaffer et al. 2025, Results 'Functions for uncharacterized proteins' (unexpected members)
// parameters:
//   map:
//     type: string
//     default: U2OS-2023-05
//     description: the cell map (Assembly.map)
//   maxPublications:
//     type: int
//     default: 1000000
//     unit: articles
//     description: most PubMed articles of the member (e.g. 10 for poorly characterized members only)
//   symbol:
//     type: string
//     default: ""
//     description: only this member (HGNC symbol); empty = every member
// columns: [assembly, assemblyName, size, annotationCategory, bestMatch, bestJaccard, symbol, pubmedCount]
MATCH (a:Assembly {map: $map})
WHERE a.size < 50
WITH a
MATCH (a)<-[m:MEMBER_OF]-(p:Protein)
WHERE m.unexpected = true
  AND ($symbol = '' OR p.symbol = $symbol)
  AND coalesce(p.pubmedCount, 0) <= $maxPublications
RETURN a.id AS assembly,
       a.name AS assemblyName,
       a.size AS size,
       a.annotationCategory AS annotationCategory,
       a.bestMatch AS bestMatch,
       a.bestJaccard AS bestJaccard,
       p.symbol AS symbol,
       p.pubmedCount AS pubmedCount
ORDER BY size, assembly, symbol
