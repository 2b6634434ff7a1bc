"""The bundled entailment model: intact, batched without changing answers, and sensible on plain cases."""

from __future__ import annotations

import hashlib
from importlib import resources

import numpy as np

from factcheck.engines.nli_model import EntailmentModel, entailment_model


def test_the_shipped_model_is_the_one_its_metadata_describes():
    model = entailment_model()
    data = resources.files("factcheck") / "data"
    digest = hashlib.sha256((data / model.meta["model_file"]).read_bytes()).hexdigest()
    assert digest == model.meta["sha256"]
    assert model.labels == ["entailment", "neutral", "contradiction"]
    assert model.meta["validation"]["int8"]["accuracy_3way"] > 0.7


def test_batching_and_padding_do_not_change_the_probabilities():
    pairs = [
        ("The council approved the budget on Monday.", "The budget was approved."),
        ("A long premise " + "with many words " * 30 + "ends here.", "It ends."),
        ("Two people died in the fire.", "Nobody died in the fire."),
    ]
    together = EntailmentModel().scores(pairs)
    alone = np.stack([EntailmentModel().scores([p])[0] for p in pairs])
    assert np.allclose(together, alone, atol=1e-4)
    assert np.allclose(together.sum(axis=1), 1.0, atol=1e-5)


def test_plain_entailment_and_contradiction():
    model = entailment_model()
    probs = model.scores(
        [
            (
                "The storm killed 12 people in the valley on Saturday.",
                "Twelve people died in the storm.",
            ),
            (
                "The storm killed 12 people in the valley on Saturday.",
                "The storm killed 40 people.",
            ),
        ]
    )
    assert probs[0].argmax() == 0
    assert probs[1].argmax() == 2
