"""The one vocabulary for policy kinds: where a policy is attached, and what it is called.

The engine evaluates one layer at a time; the parser checks a document against the grammar
of the layer it is attached to; the message parser reads AWS's words for the layer; lint and
the reports name it. All of them use ``Layer``. It lives in ``policy`` (the lowest package)
so the parser can use it without importing the engine.
Layers: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
"""

from __future__ import annotations

from enum import StrEnum


class Layer(StrEnum):
    """Policy layers, in the order blocked_by lists them."""

    SCP = "scp"
    RCP = "rcp"
    IDENTITY = "identity"
    BOUNDARY = "boundary"
    SESSION = "session"
    RESOURCE = "resource"
    ENDPOINT = "endpoint"
    GRANT = "grant"
    # Not a policy: AWS's own protection of its resources (engine/protected.py), which no
    # policy overrides.
    PROTECTED = "protected"

    @property
    def full_name(self) -> str:
        """The layer's name written out: "service control policy", "permissions boundary"."""
        return _FULL_NAMES[self]

    @property
    def short_name(self) -> str:
        """How the trace names the layer: "SCP", "identity-based policy"."""
        return _ABBREVIATIONS.get(self, self.full_name)

    @property
    def long_name(self) -> str:
        """How explanations name the layer: "service control policy (SCP)"."""
        abbreviation = _ABBREVIATIONS.get(self)
        return f"{self.full_name} ({abbreviation})" if abbreviation else self.full_name

    @property
    def in_a_sentence(self) -> str:
        """How reports name the layer in a sentence: "the permissions boundary", "the
        service control policies (SCPs)" (every policy of the layer, hence the plural)."""
        return _IN_A_SENTENCE[self]

    @property
    def policy_phrase(self) -> str:
        """The layer's policy with its article: "an identity-based policy"."""
        name = self.full_name
        return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"

    @property
    def short_phrase(self) -> str:
        """The short name with its article: "an SCP", "a permissions boundary"."""
        if self in _ABBREVIATIONS:
            # Both are read letter by letter: "ess-see-pee", "ar-see-pee".
            return f"an {self.short_name}"
        return self.policy_phrase

    @property
    def grammar(self) -> Layer:
        """The layer whose grammar this layer's documents follow: permissions boundaries and
        session policies are written as identity-based policies (no Principal; Resource or
        NotResource), https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html"""
        return Layer.IDENTITY if self in (Layer.BOUNDARY, Layer.SESSION) else self

    @property
    def aws_words(self) -> tuple[str, ...]:
        """How AWS's access-denied messages name the policy type ("... because no
        identity-based policy allows ...",
        https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html)."""
        return _AWS_WORDS.get(self, ())

    @classmethod
    def from_aws_words(cls, words: str) -> Layer | None:
        """The layer AWS's message wording names (case-insensitive), if any."""
        return _BY_AWS_WORDS.get(words.lower())


_FULL_NAMES = {
    Layer.SCP: "service control policy",
    Layer.RCP: "resource control policy",
    Layer.IDENTITY: "identity-based policy",
    Layer.BOUNDARY: "permissions boundary",
    Layer.SESSION: "session policy",
    Layer.RESOURCE: "resource-based policy",
    Layer.ENDPOINT: "VPC endpoint policy",
    Layer.GRANT: "KMS grant",
    Layer.PROTECTED: "protection of AWS's own resources",
}
_IN_A_SENTENCE = {
    Layer.SCP: "the service control policies (SCPs)",
    Layer.RCP: "the resource control policies (RCPs)",
    Layer.IDENTITY: "the identity policies",
    Layer.BOUNDARY: "the permissions boundary",
    Layer.SESSION: "the session policy",
    Layer.RESOURCE: "the resource policy",
    Layer.ENDPOINT: "the VPC endpoint policy",
    Layer.GRANT: "the KMS grants",
    Layer.PROTECTED: "AWS's protection of its own resources",
}
_ABBREVIATIONS = {Layer.SCP: "SCP", Layer.RCP: "RCP"}
# A role trust policy is the role's resource-based policy, and a KMS key policy the key's:
# both are the resource layer.
_AWS_WORDS = {
    Layer.IDENTITY: ("identity-based",),
    Layer.RESOURCE: ("resource-based", "role trust"),
    Layer.BOUNDARY: ("permissions boundary",),
    Layer.SESSION: ("session", "sessions"),
    Layer.SCP: ("service control",),
    Layer.RCP: ("resource control",),
    Layer.ENDPOINT: ("vpc endpoint",),
}
_BY_AWS_WORDS = {words: layer for layer, all_words in _AWS_WORDS.items() for words in all_words}

__all__ = ["Layer"]
