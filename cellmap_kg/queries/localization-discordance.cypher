// name: localization-discordance
// question: Which proteins are localized differently by OpenCell (HEK293T, endogenous tags) and the Human Protein Atlas (antibodies)?
// description: >-
//   Proteins annotated by both OpenCell and HPA whose OpenCell compartments of grade >= minGrade share no
//   compartment with their HPA locations (main locations only, by default), after translating the two vocabularies
//   with the `agreement` pairs (OpenCell name = HPA name that counts as the same place; a nucleoplasm protein
//   seen in HPA nuclear speckles agrees). OpenCell and HPA differ in cell line, tagging and imaging, so a
//   disagreement flags either a cell-type-specific localization or an annotation to re-examine; Cho et al. 2022
//   curated 147 such targets (with the defaults this query finds about 90% of those annotated in both).
// reproduces: >-
//   Cho et al. 2022 (OpenCell), comparison with the Human Protein Atlas (curated OpenCell-HPA discrepant
//   targets)
// parameters:
//   minGrade:
//     type: int
//     default: 3
//     unit: OpenCell grade
//     description: lowest OpenCell annotation grade counted (3 = most prominent localization, 1 = weakest)
//   hpaMainOnly:
//     type: bool
//     default: true
//     description: compare with HPA main locations only (false = main and additional locations)
//   reliabilities:
//     type: "list[string]"
//     default: [Enhanced, Supported, Approved, Uncertain]
//     choices: [Enhanced, Supported, Approved, Uncertain]
//     description: HPA reliability levels of the HPA locations compared
//   agreement:
//     type: "list[string]"
//     default: [nucleoplasm=Nucleoplasm, nucleoplasm=Nuclear bodies, nucleoplasm=Nuclear speckles,
//               nuclear_punctae=Nuclear bodies, nuclear_punctae=Nuclear speckles, nuclear_punctae=Nucleoplasm,
//               chromatin=Nucleoplasm, chromatin=Mitotic chromosome, nuclear_membrane=Nuclear membrane,
//               nucleolus_gc=Nucleoli, nucleolus_gc=Nucleoli rim, nucleolus_fc_dfc=Nucleoli fibrillar center,
//               nucleolus_fc_dfc=Nucleoli, cytoplasmic=Cytosol, cytoplasmic=Cytoplasmic bodies,
//               er=Endoplasmic reticulum, golgi=Golgi apparatus, mitochondria=Mitochondria, vesicles=Vesicles,
//               vesicles=Endosomes, vesicles=Lysosomes, vesicles=Peroxisomes, vesicles=Lipid droplets,
//               membrane=Plasma membrane, membrane=Cell Junctions, cell_contact=Cell Junctions,
//               cell_contact=Plasma membrane, focal_adhesions=Focal adhesion sites, cytoskeleton=Actin filaments,
//               cytoskeleton=Intermediate filaments, cytoskeleton=Microtubules, cytoskeleton=Microtubule ends,
//               cytoskeleton=Mitotic spindle, centrosome=Centrosome, centrosome=Centriolar satellite,
//               big_aggregates=Cytoplasmic bodies, big_aggregates=Aggresome]
//     description: >-
//       pairs 'OpenCell compartment=HPA location' that count as the same place (OpenCell's 17 categories mapped
//       onto the HPA subcellular sections they cover)
// columns: [symbol, openCell, hpa, hpaAdditional, hpaReliability, pubmedCount]
MATCH (p:Protein)-[o:LOCALIZES_TO]->(oc:Compartment {vocabulary: 'OpenCell'})
WHERE o.grade >= $minGrade
WITH p, collect(oc.name) AS openCellNames
MATCH (p)-[h:LOCALIZES_TO]->(hpa:Compartment {vocabulary: 'HPA'})
WHERE h.reliability IN $reliabilities
WITH p, openCellNames, collect([hpa.name, h.main, h.reliability]) AS hpaLocations
WITH p, openCellNames, hpaLocations, [x IN hpaLocations WHERE x[1] OR NOT $hpaMainOnly | x[0]] AS compared
WHERE size(compared) > 0
  AND none(place IN openCellNames WHERE any(location IN compared WHERE (place + '=' + location) IN $agreement))
// lists are sorted in the query (collect() has no order, and backends differ): insertion sort by reduce, on the
// discordant proteins only (a quarter of those compared)
WITH p, reduce(sorted = [], e IN openCellNames | [x IN sorted WHERE x < e] + [e] + [x IN sorted WHERE x >= e])
          AS openCell,
     reduce(sorted = [], e IN hpaLocations | [x IN sorted WHERE x < e] + [e] + [x IN sorted WHERE x >= e])
          AS located
RETURN p.symbol AS symbol,
       openCell,
       [x IN located WHERE x[1] OR NOT $hpaMainOnly | x[0]] AS hpa,
       [x IN located WHERE NOT x[1] | x[0]] AS hpaAdditional,
       reduce(levels = [], x IN located | CASE WHEN x[2] IN levels THEN levels ELSE levels + [x[2]] END)
         AS hpaReliability,
       p.pubmedCount AS pubmedCount
ORDER BY symbol
