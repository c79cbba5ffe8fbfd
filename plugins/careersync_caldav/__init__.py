"""The CalDAV target: Nextcloud, Fastmail, iCloud, mailbox.org, Radicale, Apple Reminders."""

from careersync import hookimpl


@hookimpl
def register_targets(register):
    from careersync_caldav.target import CaldavTarget

    register(CaldavTarget)
