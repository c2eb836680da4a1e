// name: map-names
// question: Which cell maps (Assembly.map values) does the graph hold, maps being staged included?
// columns: [map]
MATCH (a:Assembly)
WHERE a.map IS NOT NULL
RETURN DISTINCT a.map AS map
ORDER BY map
