// name: interactors
// question: Which preys did a protein pull down as a bait, and which baits pulled it down as a prey, in each AP-MS data set?
// description: >-
//   Both directions of the AP-MS / IP-MS evidence for one protein: role `prey` rows are the preys it pulled down as
//   a bait, role `bait` rows the baits whose pull-downs detected it. Filters apply where the data set measures the
//   property: OpenCell interaction stoichiometry (prey/bait abundance ratio in the pull-down, which Cho et al. 2022
//   use to tell stable, stoichiometric interactions from substoichiometric ones) and -log10 p, BioPlex pInt
//   (probability of a true interaction; the published network keeps pInt >= 0.75, Huttlin et al. 2021). Rows
//   come per role and data set, strongest first (stoichiometry, then pInt).
// reproduces: Cho et al. 2022 (OpenCell), interaction stoichiometry of a bait's preys
// parameters:
//   symbol:
//     type: string
//     description: HGNC-approved symbol of the protein (Protein.symbol), e.g. PSMA1
//   minStoichiometry:
//     type: float
//     default: 0.0
//     unit: prey/bait abundance ratio
//     description: lowest OpenCell interaction stoichiometry (edges without one are kept)
//   minPValue:
//     type: float
//     default: 0.0
//     unit: -log10 p
//     description: lowest OpenCell enrichment p-value as -log10 p (edges without one are kept)
//   minPInt:
//     type: float
//     default: 0.0
//     unit: probability
//     description: lowest BioPlex pInt (edges without one are kept)
//   datasets:
//     type: "list[string]"
//     default: [opencell-2022, bioplex-3.0-hek293t, cellmaps-pipeline-example]
//     description: AP-MS data sets to include (Dataset.id of the PULLED_DOWN relationships)
//   role:
//     type: string
//     default: both
//     choices: [both, prey, bait]
//     description: "prey: only the preys of the protein as a bait; bait: only the baits that pulled it down"
// example: {symbol: PSMA1, datasets: [opencell-2022]}
// columns: [role, partner, dataset, interactionStoichiometry, abundanceStoichiometry, pValue, enrichment, pInt, pW,
//   pNI, partnerName]
MATCH (x:Protein {symbol: $symbol})-[r:PULLED_DOWN]-(partner:Protein)
WHERE r.dataset IN $datasets
  AND coalesce(r.interactionStoichiometry, $minStoichiometry) >= $minStoichiometry
  AND coalesce(r.pValue, $minPValue) >= $minPValue
  AND coalesce(r.pInt, $minPInt) >= $minPInt
WITH x, r, partner, CASE WHEN startNode(r) = x THEN 'prey' ELSE 'bait' END AS role
WHERE $role IN ['both', role]
RETURN role,
       partner.symbol AS partner,
       r.dataset AS dataset,
       r.interactionStoichiometry AS interactionStoichiometry,
       r.abundanceStoichiometry AS abundanceStoichiometry,
       r.pValue AS pValue,
       r.enrichment AS enrichment,
       r.pInt AS pInt,
       r.pW AS pW,
       r.pNI AS pNI,
       partner.name AS partnerName
ORDER BY role DESC, dataset, interactionStoichiometry DESC, pInt DESC, partner
