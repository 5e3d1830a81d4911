"""Files generated from the source data: locale models, docs tables, skill package, nginx answer."""
