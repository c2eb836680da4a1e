// name: assembly-interactions
// question: Which protein-protein relationships of given types join two members of an assembly?
// parameters:
//   map: {type: string, description: the cell map (Assembly.map)}
//   root: {type: string, description: the assembly's cluster id (Assembly.clusterId)}
//   types: {type: "list[string]", description: relationship types between proteins}
// columns: [source, target, type, props]
MATCH (root:Assembly {map: $map, clusterId: $root})<-[:MEMBER_OF]-(p:Protein)-[r]->(q:Protein)
WHERE type(r) IN $types AND (q)-[:MEMBER_OF]->(root)
RETURN p.symbol AS source, q.symbol AS target, type(r) AS type, properties(r) AS props
