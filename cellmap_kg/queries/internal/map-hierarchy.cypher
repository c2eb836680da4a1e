// name: map-hierarchy
// question: Which assemblies of a map contain which (CONTAINS within the map), by id and by cluster id?
// parameters:
//   map: {type: string, description: the cell map (Assembly.map)}
// columns: [parent, child, parentCluster, childCluster]
MATCH (a:Assembly {map: $map})-[:CONTAINS]->(b:Assembly {map: $map})
RETURN a.id AS parent, b.id AS child, a.clusterId AS parentCluster, b.clusterId AS childCluster
ORDER BY parent, child
