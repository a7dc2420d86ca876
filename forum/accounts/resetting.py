"""The mail a password reset request sends, to whatever address was typed."""
from flask import current_app

from forum.accounts import registration, services
from forum.links import path_for, site_url
from forum.mail import send_mail
from forum.text.bidi import isolate


def mail_reset_link(email: str) -> None:
    """Email `email` what it needs: a reset link for its account, a fresh link to finish
    joining, or word that no account uses it.

    Every address gets a message: mailing only those with an account made the form answer
    later for them, and anyone timing it could tell who belongs to a peer-support forum.
    The message for an unknown address helps the person who joined with another one."""
    address = email.strip().lower()
    user = services.find_user_for_reset(address)
    if user is not None:
        token = services.make_reset_token(user, current_app.secret_key)
        link = site_url(path_for("accounts.reset_password", token=token))
        minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
        send_mail(user.email, "Reset your forum password",
                  f"Hello {isolate(user.display_name)},\n\nTo choose a new password, open this link "
                  f"within {minutes} minutes:\n\n{link}\n\nIf you did not ask for this, "
                  "you can ignore this message; your password stays the same.\n")
    elif not registration.send_link_again(address):
        send_mail(address, "Resetting a forum password",
                  f"Hello,\n\nSomeone asked to reset a forum password for this address, but no account "
                  f"here uses {address}. If it was you, you may have joined with another address: "
                  f"try that one. Or join with this one:\n\n{site_url(path_for('accounts.register'))}\n\n"
                  "If you did not ask for this, you can ignore this message.\n")
