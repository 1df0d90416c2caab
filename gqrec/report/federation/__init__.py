"""Federation (FEDERATION.md): each regional association keeps its own records repository, and the
nation gathers their aggregates. `bundle` writes a region's bundle (the bilan's region objects with the
counts a national total pools, the impact rows, findings per rule, provenance and a digest); `combine`
reads bundles, refuses those that cannot be trusted, and makes the national bilan from them alone, its
total pooled by the same `report.figures.assemble` as a whole tree's; `signing` signs and verifies a
bundle with SSH keys (`ssh-keygen -Y`); `codec` turns the bilan's dataclasses into JSON and back."""

FORMAT = "gqrec-bundle/1"
NAMESPACE = "gqrec-bundle"  # the signature namespace (`ssh-keygen -Y sign -n`): a bundle signature only
