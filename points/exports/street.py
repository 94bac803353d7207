"""The sub-district office as an exporter: every community. A command exports as the street unless
told --as whom; the statement kind reads the street's figures once the export has decided the reach."""
from points.accounts.models import Role


class TheStreet:
    id = community_id = community = None

    def has_role(self, role):
        return role == Role.ADMIN

    def looks_after(self, community_id):
        return True
