"""GNN link prediction on the cell-map knowledge graph (``cellmap-kg gnn export|train|evaluate|predict|report``).

One concept per module, in data-flow order:

==================  ==================================================================================================
spec                what the export takes from the graph (node types, feature properties, edge types), from the schema
features            measured node features (documented, standardised)
export              store -> ``HeteroData`` with node keys and a content hash; disk cache keyed by a store fingerprint
tasks               task (a) ``ppi`` and (b) ``membership``; the input graph of each (reverse edges, CORUM removed)
negatives           negative samplers (uniform avoiding given pairs, two-hop importance-weighted, hard negatives)
splits              ``RandomLinkSplit`` edge split and the protein-disjoint split; ``leakage_report``
heuristics          common neighbours, Adamic-Adar, and the pair features of the Hadamard-MLP decoder
common_neighbours   common neighbours of protein pairs read per relation of the heterogeneous graph (block incidence)
ncn                 the Neural Common Neighbor decoder (Wang et al., ICLR 2024) over those typed common neighbours
model               heterogeneous GraphSAGE (``HeteroConv``), the feature MLP, ``LinkModel`` (encoder + decoder)
calibration         isotonic calibration of logits on validation pairs (the probability written back)
train               full-batch seeded training: negative pool, validation-based early stopping, calibration
node2vec            Node2Vec (plain torch; PyG's needs ``pyg-lib``) and its logistic-regression link predictor
baselines           the baseline scorers on a split (heuristics, Node2Vec, co-embedding cosine)
metrics             ROC-AUC, AP, OGB Hits@K, OGB MRR, mean and std over seeds
evaluation          the pairs every method is scored on (fixed test negatives, shared and hard negatives)
experiment          every method x split x seed, leakage asserted
predict             candidate retrieval by embedding similarity, rescoring by the model
external            precision of the top novel predictions against CORUM co-complex pairs
runs                trained runs on disk
writeback           ``ModelRun``, embeddings (vector index), ``PREDICTED_*`` and ``SIMILAR_TO`` in the graph
report              markdown report, time per phase and plots; saved runs side by side (``gnn report``)
pipeline            the CLI actions, one function each; ``cli`` parses arguments
==================  ==================================================================================================
"""
