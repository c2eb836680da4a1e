// name: map-relationships
// question: How many relationships, of any type and direction, touch the assemblies of a map?
// parameters:
//   map: {type: string, description: the cell map (Assembly.map)}
// columns: [n]
MATCH (a:Assembly {map: $map})-[r]-()
RETURN count(DISTINCT r) AS n
