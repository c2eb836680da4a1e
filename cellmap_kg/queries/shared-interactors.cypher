// name: shared-interactors
// question: Which proteins share interactors with a given protein (its second neighbours in the AP-MS network)?
// description: >-
//   Second neighbours of a protein in the undirected AP-MS interaction network (a pull-down in either direction,
//   in the chosen data sets): proteins that interact with at least minShared of the protein's interactors. Ranked
//   by the number of shared interactors, then by their Jaccard index |shared| / |N(protein) U N(other)| (N = the
//   interactors in the chosen data sets). Proteins with similar interaction profiles tend to work together even
//   when they do not interact directly (OpenCell, Cho et al. 2022: interactome communities); `direct` says
//   whether they also interact directly.
// reproduces: Cho et al. 2022 (OpenCell), Fig. 4G (proteins connected through shared interactors)
// parameters:
//   symbol:
//     type: string
//     description: HGNC-approved symbol of the protein (Protein.symbol)
//   minShared:
//     type: int
//     default: 2
//     unit: proteins
//     description: fewest shared interactors
//   datasets:
//     type: "list[string]"
//     default: [opencell-2022, bioplex-3.0-hek293t]
//     description: AP-MS data sets whose pull-downs count as interactions (Dataset.id of PULLED_DOWN)
//   limit:
//     type: int
//     default: 50
//     unit: proteins
//     description: most proteins returned
// example: {symbol: C18orf21}
// columns: [symbol, shared, sharedInteractors, interactors, otherInteractors, jaccard, direct]
MATCH (x:Protein {symbol: $symbol})-[r1:PULLED_DOWN]-(middle:Protein)
WHERE r1.dataset IN $datasets AND middle <> x
WITH x, collect(DISTINCT middle) AS neighbours
UNWIND neighbours AS middle
WITH x, size(neighbours) AS interactors, middle
MATCH (middle)-[r2:PULLED_DOWN]-(other:Protein)
WHERE r2.dataset IN $datasets AND other <> x AND other <> middle
WITH x, interactors, other, collect(DISTINCT middle.symbol) AS unsorted
// sorted in the query (collect() has no order, and backends differ): insertion sort by reduce
WITH x, interactors, other, reduce(sorted = [], e IN unsorted | [x IN sorted WHERE x < e] + [e] + [x IN sorted WHERE x >= e]) AS sharedInteractors
WHERE size(sharedInteractors) >= $minShared
WITH x, interactors, other, sharedInteractors
ORDER BY size(sharedInteractors) DESC, other.symbol
LIMIT $limit
MATCH (other)-[r3:PULLED_DOWN]-(otherNeighbour:Protein)
WHERE r3.dataset IN $datasets AND otherNeighbour <> other
WITH x, interactors, other, sharedInteractors, count(DISTINCT otherNeighbour) AS otherInteractors
RETURN other.symbol AS symbol,
       size(sharedInteractors) AS shared,
       sharedInteractors,
       interactors,
       otherInteractors,
       toFloat(size(sharedInteractors)) / (interactors + otherInteractors - size(sharedInteractors)) AS jaccard,
       size([(x)-[direct:PULLED_DOWN]-(other) WHERE direct.dataset IN $datasets | direct]) > 0 AS direct
ORDER BY shared DESC, jaccard DESC, symbol
