/*
 * peers.h: how many connections each client address holds, for
 * limits.max_clients_per_address.  An IPv4 address counts alone; an IPv6
 * address counts with its /64, the block one host or one LAN gets.
 * Connections over the Unix socket have no address and are not counted.
 */
#ifndef DAEMON_PEERS_H
#define DAEMON_PEERS_H

#include <sys/socket.h>

/* The key of a client address: 16 bytes, IPv4 in its IPv6-mapped form. */
struct peer_addr {
	unsigned char	 b[16];
};

struct peers;

/* A new, empty table; NULL when out of memory. */
struct peers	*peers_new(void);
void		 peers_free(struct peers *);

/* The key of sa: 0, or -1 when sa is not an IP address (Unix socket). */
int		 peers_key(const struct sockaddr *sa, struct peer_addr *key);

/* The connections key holds now. */
long		 peers_count(const struct peers *, const struct peer_addr *key);

/* One connection more for key: 0, or -1 when out of memory. */
int		 peers_add(struct peers *, const struct peer_addr *key);

/* One connection fewer for key (it must hold one). */
void		 peers_del(struct peers *, const struct peer_addr *key);

#endif
