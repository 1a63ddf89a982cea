/* Baseline for bench/decode.ts: heartbeat's own decoder (cluster-glue libplumb wirefmt2msg) over the same packets.
 * Usage: hb-decode PACKETS.hex sha1|md5|crc SECRET SECONDS  -> prints "decode N verify M" (messages per second). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/evp.h>

/* The few libplumb entry points used, declared here because the cluster-glue headers are not installed. */
struct ha_msg;
struct ha_msg *wirefmt2msg(const char *s, size_t length, int flag);
void ha_msg_del(struct ha_msg *msg);
void cl_set_authentication_computation_method(int (*method)(int, const void *, size_t, char *, size_t));
#define MSG_NEEDAUTH 0x01

static const char *method;
static const char *secret;
static unsigned long crctab[256];

static void crc_init(void) {
	for (unsigned long i = 0; i < 256; i++) {
		unsigned long c = i << 24;
		for (int k = 0; k < 8; k++) c = (c & 0x80000000ul) ? ((c << 1) ^ 0x04c11db7ul) & 0xfffffffful : (c << 1) & 0xfffffffful;
		crctab[i] = c;
	}
}

/* Signature of heartbeat's authentication callback: returns the key index used, or < 0 on failure. */
static int compute(int which, const void *data, size_t len, char *out, size_t outlen) {
	if (which < 0) which = 1;
	if (strcmp(method, "crc") == 0) {
		const unsigned char *p = data;
		unsigned long crc = 0;
		while (len--) crc = ((crc << 8) & 0xfffffffful) ^ crctab[((crc >> 24) ^ *p++) & 0xff];
		snprintf(out, outlen, "%lx", ~crc & 0xfffffffful);
		return which;
	}
	unsigned char md[EVP_MAX_MD_SIZE];
	size_t mdlen = 0;
	/* EVP_Q_mac, not HMAC(): libplumb exports a symbol named HMAC of its own that would shadow OpenSSL's. */
	if (!EVP_Q_mac(NULL, "HMAC", NULL, strcmp(method, "md5") == 0 ? "MD5" : "SHA1", NULL, secret, strlen(secret), data, len, md, sizeof md, &mdlen)) return -1;
	for (size_t i = 0; i < mdlen && 2 * i + 2 < outlen; i++) snprintf(out + 2 * i, 3, "%02x", md[i]);
	return which;
}

static double now(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double run(char **pk, size_t *len, int n, int flag, double seconds) {
	long done = 0;
	double t0 = now(), t;
	do {
		for (int i = 0; i < n; i++) {
			struct ha_msg *m = wirefmt2msg(pk[i], len[i], flag);
			if (!m) { fprintf(stderr, "packet %d rejected\n", i); exit(1); }
			ha_msg_del(m);
		}
		done += n;
		t = now();
	} while (t - t0 < seconds);
	return done / (t - t0);
}

int main(int argc, char **argv) {
	if (argc != 5) { fprintf(stderr, "usage: %s PACKETS.hex METHOD SECRET SECONDS\n", argv[0]); return 2; }
	method = argv[2];
	secret = argv[3];
	crc_init();
	FILE *f = fopen(argv[1], "r");
	if (!f) { perror(argv[1]); return 1; }
	static char line[1 << 17];
	char *pk[4096];
	size_t len[4096];
	int n = 0;
	while (n < 4096 && fgets(line, sizeof line, f)) {
		size_t h = strcspn(line, "\n");
		if (h < 2) continue;
		pk[n] = calloc(1, h / 2 + 1); /* NUL after the packet: libplumb's parser uses string functions */
		for (size_t i = 0; i < h / 2; i++) sscanf(line + 2 * i, "%2hhx", (unsigned char *)&pk[n][i]);
		len[n++] = h / 2;
	}
	fclose(f);
	cl_set_authentication_computation_method(compute);
	double seconds = atof(argv[4]);
	double d = run(pk, len, n, 0, seconds);
	double v = run(pk, len, n, MSG_NEEDAUTH, seconds);
	printf("decode %.0f verify %.0f\n", d, v);
	return 0;
}
