"""The screens: members list, member (tabs), commitment detail, resource, what changed, help."""
