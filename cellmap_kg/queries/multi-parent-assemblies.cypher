// name: multi-parent-assemblies
// question: Which assemblies have more than one parent in the hierarchy?
// description: >-
//   Assemblies contained in two or more larger assemblies (a directed acyclic hierarchy rather than a tree, as HiDeF
//   builds it): each such assembly is shared between branches of the map, so its proteins take part in several
//   larger systems. Read from the CONTAINS relationships themselves (Assembly.multiParent, written by the
//   multi-localization analysis, says the same). Most parents first, then largest.
// reproduces: Schaffer et al. 2025, Methods 'Multi-localization analysis' (23 multi-parent assemblies)
// parameters:
//   map:
//     type: string
//     default: U2OS-2023-05
//     description: the cell map (Assembly.map)
// columns: [id, name, size, parentCount, parents, parentNames, parentSizes]
MATCH (a:Assembly {map: $map})<-[:CONTAINS]-(parent:Assembly)
WITH a, parent
ORDER BY parent.size, parent.id
WITH a, collect(parent) AS parents
WHERE size(parents) > 1
RETURN a.id AS id,
       a.name AS name,
       a.size AS size,
       size(parents) AS parentCount,
       [x IN parents | x.id] AS parents,
       [x IN parents | x.name] AS parentNames,
       [x IN parents | x.size] AS parentSizes
ORDER BY parentCount DESC, size DESC, id
