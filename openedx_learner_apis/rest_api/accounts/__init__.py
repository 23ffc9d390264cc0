"""The account read and update (``accounts/{username}``) and the preferences this app owns."""
