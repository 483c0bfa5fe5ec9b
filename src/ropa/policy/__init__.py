"""The privacy policy as data: ``load_policy()`` gives the validated ``Policy``."""

from ropa.policy.model import ACTIVITY_IDS, Activity, Basis, Policy, load_policy

__all__ = ["ACTIVITY_IDS", "Activity", "Basis", "Policy", "load_policy"]
