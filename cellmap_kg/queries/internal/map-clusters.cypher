// name: map-clusters
// question: Which assemblies does a map hold, by cluster id, with name, persistence, root flag and member symbols?
// parameters:
//   map: {type: string, description: the cell map (Assembly.map)}
// columns: [clusterId, name, persistence, isRoot, members]
MATCH (a:Assembly {map: $map})
OPTIONAL MATCH (p:Protein)-[:MEMBER_OF]->(a)
RETURN a.clusterId AS clusterId, a.name AS name, a.persistence AS persistence, a.isRoot AS isRoot,
       collect(p.symbol) AS members
ORDER BY clusterId
