"""Speed-ups that leave the output of the stock spaCy pipeline alone (or say where they do not):
numpy matrix products, cached morphology, the sentence prefilter and numpy screens over Doc arrays."""
