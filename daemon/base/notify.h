/*
 * notify.h: telling systemd how start-up and shutdown go (Type=notify).
 */
#ifndef DAEMON_NOTIFY_H
#define DAEMON_NOTIFY_H

/*
 * Send state ("READY=1", "STOPPING=1", ...) to the service manager named
 * by $NOTIFY_SOCKET, as sd_notify(3) does; nothing when it is unset.
 * 0 when sent or not asked for, -1 (logged) when the send failed.
 */
int	notify_send(const char *state);

#endif
