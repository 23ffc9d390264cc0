"""The applets form the layering stated in ``openedx_learner_apis/applets/__init__.py``.

An applet imports only applets of a lower tier, so no two applets import each other, even
through a third one or an import made inside a function.
"""

from __future__ import annotations

from tests.test_architecture import applet_graph

TIERS = (
    ("learners", "courses"),
    ("enrollments", "progress", "certificates", "badges", "profile_images"),
    ("engagement",),
    ("mobile",),
)
TIER = {applet: index for index, tier in enumerate(TIERS) for applet in tier}


def test_every_applet_has_a_tier():
    graph, _ = applet_graph()
    named = set(graph) | {target for targets in graph.values() for target in targets}
    assert named <= set(TIER), f"applets without a tier: {sorted(named - set(TIER))}"


def test_applets_import_only_lower_tiers():
    graph, reasons = applet_graph()
    upward = [f"{source} -> {target}: {', '.join(reasons[source, target])}"
              for source, targets in sorted(graph.items()) for target in sorted(targets)
              if TIER.get(target, -1) >= TIER.get(source, -1)]
    assert not upward, "applet imports that do not go down a tier:\n" + "\n".join(upward)


def test_the_documented_layering_is_this_one():
    import openedx_learner_apis.applets as applets

    for tier in TIERS:
        assert ", ".join(tier) in applets.__doc__
