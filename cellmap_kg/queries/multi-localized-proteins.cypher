// name: multi-localized-proteins
// question: Which proteins have more than one path to the root of the cell map, and in which terminal assemblies do they sit?
// description: >-
//   Proteins whose terminal assemblies (assemblies they belong to but none of whose children they belong to) reach
//   the root of the U2OS map by more than one path: members of several branches of the hierarchy or of assemblies
//   with several parents. Schaffer et al. 2025 read these as proteins with several subcellular locations or
//   functions. pathsToRoot, terminalAssemblies and multiLocalized are written by the multi-localization analysis;
//   this query returns nothing before it has run. Most paths first.
// reproduces: Schaffer et al. 2025, Methods 'Multi-localization analysis' (about 30% of the map's proteins)
// parameters:
//   minPaths:
//     type: int
//     default: 2
//     unit: paths
//     description: fewest distinct paths to the root (2 = every multi-localized protein)
//   limit:
//     type: int
//     default: 200
//     unit: proteins
//     description: most proteins returned
// columns: [symbol, name, pathsToRoot, terminalAssemblies, terminalNames, terminalSizes, pubmedCount]
MATCH (p:Protein)
WHERE p.multiLocalized = true AND p.pathsToRoot >= $minPaths
WITH p
ORDER BY p.pathsToRoot DESC, p.symbol
LIMIT $limit
UNWIND p.terminalAssemblies AS terminalId
MATCH (terminal:Assembly {id: terminalId})
WITH p, terminal
ORDER BY terminal.size, terminal.id
WITH p, collect(terminal) AS terminals
RETURN p.symbol AS symbol,
       p.name AS name,
       p.pathsToRoot AS pathsToRoot,
       [t IN terminals | t.id] AS terminalAssemblies,
       [t IN terminals | t.name] AS terminalNames,
       [t IN terminals | t.size] AS terminalSizes,
       p.pubmedCount AS pubmedCount
ORDER BY pathsToRoot DESC, symbol
