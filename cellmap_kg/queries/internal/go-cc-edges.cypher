// name: go-cc-edges
// question: Which GO cellular-component terms are children (IS_A or PART_OF) of which?
// columns: [child, parent]
MATCH (c:GOTerm)-[:IS_A|PART_OF]->(parent:GOTerm)
WHERE c.namespace = 'cellular_component' AND parent.namespace = 'cellular_component'
RETURN c.id AS child, parent.id AS parent
