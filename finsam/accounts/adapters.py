from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Nobody signs up on their own: users are invited by their association's secretariat."""

    def is_open_for_signup(self, request):
        return False
