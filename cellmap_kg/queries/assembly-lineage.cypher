// name: assembly-lineage
// question: Which assemblies contain a protein, as paths from its most specific assemblies up to the root of the map?
// description: >-
//   One row per path: from a terminal assembly of the protein (an assembly it belongs to but none of whose child
//   assemblies it belongs to) up the CONTAINS hierarchy to the map's root. A protein in an assembly with two
//   parents, or in two terminal assemblies, has several paths (multi-localization, Schaffer et al. 2025); the
//   number of rows equals Protein.pathsToRoot written by the multi-localization analysis. Paths are at most 12
//   levels deep (the U2OS map has 7).
// reproduces: Schaffer et al. 2025, multi-localization analysis (a protein's paths through the hierarchy)
// parameters:
//   symbol:
//     type: string
//     description: HGNC-approved symbol of the protein (Protein.symbol), e.g. C18orf21
//   map:
//     type: string
//     default: U2OS-2023-05
//     description: the cell map (Assembly.map)
// example: {symbol: C18orf21}
// columns: [terminal, terminalName, terminalSize, depth, path, names, sizes]
MATCH (p:Protein {symbol: $symbol})-[:MEMBER_OF]->(terminal:Assembly {map: $map})
WHERE NOT (terminal)-[:CONTAINS]->(:Assembly)<-[:MEMBER_OF]-(p)
MATCH lineage = (terminal)<-[:CONTAINS*0..12]-(root:Assembly {isRoot: true})
RETURN terminal.id AS terminal,
       terminal.name AS terminalName,
       terminal.size AS terminalSize,
       length(lineage) AS depth,
       [a IN nodes(lineage) | a.id] AS path,
       [a IN nodes(lineage) | a.name] AS names,
       [a IN nodes(lineage) | a.size] AS sizes
ORDER BY terminalSize, terminal, depth, path
