// name: compartment-members
// question: Which proteins are found in a subcellular compartment, how prominently, and in which assemblies of the map do they fall?
// description: >-
//   Proteins localized to one compartment (OpenCell or HPA vocabulary: 'nucleolus_gc' and 'Nucleoli' are different
//   compartments), most prominent first: OpenCell grade 3 to minGrade, HPA main before additional locations and
//   by reliability (Enhanced, Supported, Approved, Uncertain). `assemblies` lists the protein's assemblies in the
//   cell map of at most maxAssemblySize proteins, smallest (most specific) first, so that a compartment's proteins
//   can be read against the map's assemblies.
// parameters:
//   compartment:
//     type: string
//     description: >-
//       compartment name as written by its source (Compartment.name), e.g. Nucleoli fibrillar center or
//       nucleolus_fc_dfc
//   minGrade:
//     type: int
//     default: 1
//     unit: OpenCell grade
//     description: lowest OpenCell annotation grade (3 = most prominent); HPA annotations have no grade and are kept
//   reliabilities:
//     type: "list[string]"
//     default: [Enhanced, Supported, Approved, Uncertain]
//     choices: [Enhanced, Supported, Approved, Uncertain]
//     description: HPA reliability levels kept (OpenCell annotations have none and are kept)
//   map:
//     type: string
//     default: U2OS-2023-05
//     description: the cell map whose assemblies are listed (Assembly.map)
//   maxAssemblySize:
//     type: int
//     default: 100
//     unit: proteins
//     description: largest assembly listed
// example: {compartment: nucleolus_fc_dfc}
// columns: [symbol, vocabulary, grade, main, reliability, assemblies, assemblyNames, assemblySizes]
MATCH (c:Compartment {name: $compartment})<-[l:LOCALIZES_TO]-(p:Protein)
WHERE coalesce(l.grade, 3) >= $minGrade AND coalesce(l.reliability, 'Enhanced') IN $reliabilities
OPTIONAL MATCH (p)-[:MEMBER_OF]->(a:Assembly {map: $map})
WHERE a.size <= $maxAssemblySize
WITH c, l, p, a
ORDER BY a.size, a.id
WITH c, l, p, collect(a) AS assemblies
RETURN p.symbol AS symbol,
       c.vocabulary AS vocabulary,
       l.grade AS grade,
       l.main AS main,
       l.reliability AS reliability,
       [a IN assemblies | a.id] AS assemblies,
       [a IN assemblies | a.name] AS assemblyNames,
       [a IN assemblies | a.size] AS assemblySizes
ORDER BY coalesce(grade, 0) DESC, coalesce(main, false) DESC,
         CASE reliability WHEN 'Enhanced' THEN 0 WHEN 'Supported' THEN 1 WHEN 'Approved' THEN 2 ELSE 3 END, symbol
