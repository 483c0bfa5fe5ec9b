"""The privacy policy as data: ``load_policy()`` gives the validated ``Policy``."""

from ropa.policy.load import load_policy, policy_warnings
from ropa.policy.model import Activity, Basis, Policy

__all__ = ["Activity", "Basis", "Policy", "load_policy", "policy_warnings"]
