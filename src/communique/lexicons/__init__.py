"""Rules as data: the versioned data files under ``communique/data`` loaded into objects (actor KB,
PLOVER ontology and triggers, speech cues, gazetteer), each with user overlays."""
