// name: path-between
// question: What is the shortest connection between two proteins through pull-downs and shared assemblies?
// description: >-
//   Shortest paths of at most 4 links between two proteins, where a link is a pull-down in either direction (AP-MS
//   data sets in `datasets`) or membership of a common assembly of at most maxAssemblySize proteins in the cell map
//   (useAssemblies). The search meets in the middle: the proteins within two links of each end are compared, so it
//   stays fast on hubs (FalkorDB has no shortestPath in MATCH, and a variable-length pattern would enumerate every
//   path). One row per path (at most `limit`, fewest bait-prey reversals not guaranteed), with the evidence of
//   every link: '<bait> pulled down <prey> (<data set>)' or 'shared assembly <id> (<size> proteins)'. No row when
//   the proteins are more than 4 links apart.
// reproduces: Schaffer et al. 2025 cell-map portal (connections between proteins through the integrated data)
// parameters:
//   source:
//     type: string
//     description: HGNC symbol of the first protein (Protein.symbol)
//   target:
//     type: string
//     description: HGNC symbol of the second protein (Protein.symbol)
//   datasets:
//     type: "list[string]"
//     default: [opencell-2022, bioplex-3.0-hek293t]
//     description: AP-MS data sets whose pull-downs are links (Dataset.id of PULLED_DOWN)
//   useAssemblies:
//     type: bool
//     default: true
//     description: whether membership of a common small assembly is a link
//   maxAssemblySize:
//     type: int
//     default: 20
//     unit: proteins
//     description: largest assembly whose members count as linked
//   map:
//     type: string
//     default: U2OS-2023-05
//     description: the cell map whose assemblies link proteins (Assembly.map)
//   limit:
//     type: int
//     default: 10
//     unit: paths
//     description: most paths returned
// example: {source: C18orf21, target: TP53}
// columns: [length, proteins, links]
MATCH (s:Protein {symbol: $source})
MATCH (t:Protein {symbol: $target})
WHERE t <> s
// Proteins one link from s, and one link from t.
OPTIONAL MATCH (s)-[sPull:PULLED_DOWN]-(sPartner:Protein)
WHERE sPull.dataset IN $datasets
WITH s, t, collect(sPartner) AS sPartners
OPTIONAL MATCH (s)-[:MEMBER_OF]->(sAssembly:Assembly)<-[:MEMBER_OF]-(sMate:Protein)
WHERE $useAssemblies AND sAssembly.map = $map AND sAssembly.size <= $maxAssemblySize
WITH s, t, sPartners, collect(sMate) AS sMates
WITH s, t, sPartners + sMates AS sNear
OPTIONAL MATCH (t)-[tPull:PULLED_DOWN]-(tPartner:Protein)
WHERE tPull.dataset IN $datasets
WITH s, t, sNear, collect(tPartner) AS tPartners
OPTIONAL MATCH (t)-[:MEMBER_OF]->(tAssembly:Assembly)<-[:MEMBER_OF]-(tMate:Protein)
WHERE $useAssemblies AND tAssembly.map = $map AND tAssembly.size <= $maxAssemblySize
WITH s, t, sNear, tPartners, collect(tMate) AS tMates
WITH s, t, sNear, tPartners + tMates AS tNear
// Join the two sides by grouping on the protein: side 1 = next to s, side 2 = next to t.
UNWIND [n IN sNear WHERE n <> s | {node: n, side: 1}] + [n IN tNear WHERE n <> t | {node: n, side: 2}]
       + [{node: null, side: 0}] AS near
WITH s, t, near.node AS node, collect(DISTINCT near.side) AS sides
ORDER BY node.symbol
WITH s, t,
     max(CASE WHEN node = t AND 1 IN sides THEN 1 ELSE 0 END) = 1 AS direct,
     collect(CASE WHEN 1 IN sides AND 2 IN sides THEN node END) AS middles,
     collect(CASE WHEN node IS NOT NULL AND node <> t THEN {node: node, side: sides[0]} END) AS starts
// Only without a path of 1 or 2 links: one more link from every protein next to s or t (3 = two links from s
// through `via`, 4 = two links from t through `via`), joined again by grouping on the protein reached.
UNWIND CASE WHEN direct OR size(middles) > 0 THEN [null] ELSE starts END AS start
WITH s, t, direct, middles, start, start.node AS x
OPTIONAL MATCH (x)-[xPull:PULLED_DOWN]-(xPartner:Protein)
WHERE xPull.dataset IN $datasets AND xPartner <> x
WITH s, t, direct, middles, start, x, collect(DISTINCT xPartner) AS xPartners
OPTIONAL MATCH (x)-[:MEMBER_OF]->(xAssembly:Assembly)<-[:MEMBER_OF]-(xMate:Protein)
WHERE $useAssemblies AND xAssembly.map = $map AND xAssembly.size <= $maxAssemblySize AND xMate <> x
WITH s, t, direct, middles, start, x, xPartners, collect(DISTINCT xMate) AS xMates
UNWIND [start] + [n IN xPartners + xMates WHERE n <> s AND n <> t | {node: n, side: start.side + 2, via: x}]
       AS record
WITH s, t, direct, middles, record
ORDER BY record.via.symbol
WITH s, t, direct, middles, record.node AS node, collect(DISTINCT record.side) AS sides,
     collect(CASE WHEN record.side = 3 THEN record.via END)[..$limit] AS fromS,
     collect(CASE WHEN record.side = 4 THEN record.via END)[..$limit] AS fromT
WITH s, t, direct, middles, node, fromS, fromT,
     CASE WHEN 2 IN sides AND size(fromS) > 0 THEN 3 WHEN size(fromS) > 0 AND size(fromT) > 0 THEN 4 END AS length
ORDER BY length, node.symbol
WITH s, t, direct, middles,
     collect(CASE WHEN length IS NOT NULL THEN {node: node, fromS: fromS, fromT: fromT, length: length} END)
       AS meetings
WITH s, t, direct, middles, [m IN meetings WHERE m.length = meetings[0].length][..$limit] AS best
UNWIND CASE
         WHEN direct THEN [[s, t]]
         WHEN size(middles) > 0 THEN [m IN middles | [s, m, t]]
         ELSE reduce(paths = [], m IN best |
                     paths + CASE m.length
                               WHEN 3 THEN [v IN m.fromS | [s, v, m.node, t]]
                               ELSE reduce(long = [], v IN m.fromS | long + [w IN m.fromT | [s, v, m.node, w, t]])
                             END)
       END AS path
WITH path
LIMIT $limit
// The evidence of every link of the chosen paths. (A condition on parameters alone inside a pattern
// comprehension would filter the whole row on FalkorDB 4.16, hence the CASE.)
UNWIND range(0, size(path) - 2) AS hop
WITH path, hop, path[hop] AS left, path[hop + 1] AS right
WITH path, hop,
     [(left)-[r:PULLED_DOWN]-(right) WHERE r.dataset IN $datasets |
      startNode(r).symbol + ' pulled down ' + endNode(r).symbol + ' (' + r.dataset + ')']
     + [(left)-[:MEMBER_OF]->(a:Assembly)<-[:MEMBER_OF]-(right)
        WHERE a.map = $map AND a.size <= CASE WHEN $useAssemblies THEN $maxAssemblySize ELSE -1 END |
        'shared assembly ' + a.id + ' (' + toString(a.size) + ' proteins)'] AS unsorted
// each hop's evidence sorted in the query (match order differs between backends): insertion sort by reduce
WITH path, hop, reduce(sorted = [], e IN unsorted | [x IN sorted WHERE x < e] + [e] + [x IN sorted WHERE x >= e]) AS evidence
ORDER BY [n IN path | n.symbol], hop
WITH path, collect(evidence) AS links
RETURN size(path) - 1 AS length,
       [n IN path | n.symbol] AS proteins,
       links
ORDER BY length, proteins
