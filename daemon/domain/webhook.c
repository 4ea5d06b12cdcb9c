/*
 * webhook.c: allowed targets, secrets, bodies and signatures of webhooks.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "daemon/domain/webhook.h"

/* 1 when the IPv4 address (network order) must be let through. */
static int
addr4_private(const unsigned char *a)
{
	return a[0] == 0 || a[0] == 10 || a[0] == 127 ||
	    (a[0] == 100 && (a[1] & 0xc0) == 64) ||	/* shared, 100.64/10 */
	    (a[0] == 169 && a[1] == 254) ||
	    (a[0] == 172 && (a[1] & 0xf0) == 16) ||
	    (a[0] == 192 && a[1] == 168) ||
	    a[0] >= 224;				/* multicast, reserved */
}

static int
addr6_private(const unsigned char *a)
{
	static const unsigned char zero[16];

	if (memcmp(a, zero, 15) == 0 && (a[15] == 0 || a[15] == 1))
		return 1;				/* ::, ::1 */
	if (memcmp(a, zero, 10) == 0 && a[10] == 0xff && a[11] == 0xff)
		return addr4_private(a + 12);		/* ::ffff:a.b.c.d */
	return (a[0] & 0xfe) == 0xfc ||			/* fc00::/7 */
	    (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) ||	/* fe80::/10 */
	    a[0] == 0xff;				/* multicast */
}

int
webhook_addr_private(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return addr4_private((const unsigned char *)
		    &((const struct sockaddr_in *)(const void *)sa)->sin_addr);
	if (sa->sa_family == AF_INET6)
		return addr6_private(((const struct sockaddr_in6 *)
		    (const void *)sa)->sin6_addr.s6_addr);
	return 1;
}

static int
url_bad(struct error *err, const char *why)
{
	return error_set(err, ERR_INVALID_ARGUMENT, "url", "url %s", why);
}

int
webhook_url_check(const char *url, int allow_private, struct error *err)
{
	const char	*p, *host, *end;
	char		 name[256], *pend;
	unsigned char	 addr[16];
	size_t		 n;
	long		 port;

	for (p = url; *p != '\0'; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return url_bad(err, "may not hold spaces or control "
			    "characters");
	if (strncasecmp(url, "http://", 7) == 0)
		host = url + 7;
	else if (strncasecmp(url, "https://", 8) == 0)
		host = url + 8;
	else
		return url_bad(err, "must start with http:// or https://");
	end = host + strcspn(host, "/?#");
	if (memchr(host, '@', (size_t)(end - host)) != NULL)
		return url_bad(err, "may not hold a user name or password");
	if (*host == '[') {
		if ((p = memchr(host, ']', (size_t)(end - host))) == NULL)
			return url_bad(err, "has an unclosed [");
		n = (size_t)(p - host - 1);
		host++;
		p++;
	} else {
		p = memchr(host, ':', (size_t)(end - host));
		if (p == NULL)
			p = end;
		n = (size_t)(p - host);
	}
	if (n == 0 || n >= sizeof(name))
		return url_bad(err, "must name a host");
	memcpy(name, host, n);
	name[n] = '\0';
	if (p < end) {
		if (*p != ':' || p + 1 == end)
			return url_bad(err, "has a malformed port");
		port = strtol(p + 1, &pend, 10);
		if (pend != end || port < 1 || port > 65535)
			return url_bad(err, "has a port outside 1..65535");
	}
	if (allow_private)
		return 0;
	if (strcasecmp(name, "localhost") == 0 || (n > 10 &&
	    strcasecmp(name + n - 10, ".localhost") == 0))
		return url_bad(err, "names this machine (loopback); set "
		    "events.allow_private_hooks to allow it");
	if ((inet_pton(AF_INET, name, addr) == 1 && addr4_private(addr)) ||
	    (inet_pton(AF_INET6, name, addr) == 1 && addr6_private(addr)))
		return url_bad(err, "names a loopback, private or link-local "
		    "address; set events.allow_private_hooks to allow it");
	return 0;
}

void
webhook_secret_new(char out[WEBHOOK_SECRET_HEX + 1])
{
	unsigned char raw[WEBHOOK_SECRET_HEX / 2];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(out, WEBHOOK_SECRET_HEX + 1, raw, sizeof(raw));
	sodium_memzero(raw, sizeof(raw));
}

char *
webhook_body(const char *format, const struct event *ev, size_t *len)
{
	cJSON	*o, *text;
	char	*body, content[4200];

	if (strcmp(format, "json") == 0) {
		if ((body = malloc(ev->json_len + 12)) == NULL)
			return NULL;
		*len = (size_t)snprintf(body, ev->json_len + 12,
		    "{\"event\":%s}", ev->json);
		return body;
	}
	/* WeCom and DingTalk group bots take the same text message. */
	snprintf(content, sizeof(content), "%s（事件 #%lld）", ev->summary,
	    (long long)ev->id);
	if ((o = cJSON_CreateObject()) == NULL)
		return NULL;
	cJSON_AddStringToObject(o, "msgtype", "text");
	if ((text = cJSON_AddObjectToObject(o, "text")) != NULL)
		cJSON_AddStringToObject(text, "content", content);
	body = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (body != NULL)
		*len = strlen(body);
	return body;
}

void
webhook_sign(const char *secret, const char *body, size_t len,
    char out[WEBHOOK_SIG_LEN + 1])
{
	crypto_auth_hmacsha256_state	st;
	unsigned char			mac[crypto_auth_hmacsha256_BYTES];

	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret,
	    strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, len);
	crypto_auth_hmacsha256_final(&st, mac);
	memcpy(out, "sha256=", 7);
	sodium_bin2hex(out + 7, WEBHOOK_SIG_LEN + 1 - 7, mac, sizeof(mac));
}

int
webhook_delivered(const char *format, long status, const char *body,
    size_t len)
{
	cJSON	*o, *code;
	int	 ok;

	if (status < 200 || status > 299)
		return 0;
	if (strcmp(format, "json") == 0)
		return 1;
	/* A bot answers 200 with {"errcode": N, "errmsg": ...}. */
	if ((o = cJSON_ParseWithLength(body, len)) == NULL)
		return 0;
	code = cJSON_GetObjectItemCaseSensitive(o, "errcode");
	ok = cJSON_IsNumber(code) && code->valuedouble == 0;
	cJSON_Delete(o);
	return ok;
}
