// name: map-assemblies
// question: Which assemblies does a map hold, with their size as the map gives it, name and root flag?
// parameters:
//   map: {type: string, description: the cell map (Assembly.map)}
// columns: [id, size, name, isRoot]
MATCH (a:Assembly {map: $map})
RETURN a.id AS id, a.size AS size, a.name AS name, a.isRoot AS isRoot
ORDER BY id
