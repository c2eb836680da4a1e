// name: structure-model-assemblies
// question: Which assemblies, of every map, hold both proteins of each structure model?
// columns: [source, target, map]
MATCH (s:StructureModel)-[:MODELS]->(p:Protein)-[:MEMBER_OF]->(a:Assembly)
WITH s, a, count(DISTINCT p) AS members
WHERE members = 2
RETURN s.id AS source, a.id AS target, a.map AS map
