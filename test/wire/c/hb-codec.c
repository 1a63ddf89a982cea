/* Oracle for test/wire/heartbeat-lib.test.ts: heartbeat's own message library (cluster-glue libplumb).
 * "reencode": each stdin line is a hex datagram; prints "REJECT", or heartbeat's netstring re-encoding, classic
 *             rendering and auth-text rendering (hex, space-separated).
 * "build":    builds messages with struct, list, binary and compressed fields through heartbeat's API and prints
 *             each as msg2wirefmt sends it (hex).
 * "inflate NAME": see inflate() below. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The libplumb entry points used, declared here because the cluster-glue headers are not installed. */
struct ha_msg;
struct ha_msg *wirefmt2msg(const char *s, size_t length, int flag);
void ha_msg_del(struct ha_msg *msg);
struct ha_msg *ha_msg_new(int nfields);
int ha_msg_add(struct ha_msg *msg, const char *name, const char *value);
int ha_msg_addbin(struct ha_msg *msg, const char *name, const void *value, size_t vallen);
int ha_msg_addstruct(struct ha_msg *msg, const char *name, const void *value);
int ha_msg_addstruct_compress(struct ha_msg *msg, const char *name, const void *value);
int cl_msg_add_list_str(struct ha_msg *msg, const char *name, char **buf, size_t n);
char *msg2wirefmt(struct ha_msg *m, size_t *len);
char *msg2netstring_noauth(const struct ha_msg *m, size_t *len);
int msg2string_buf(const struct ha_msg *m, char *buf, size_t len, int depth, int needhead);
int get_stringlen(const struct ha_msg *m);
int cl_set_compress_fns(const char *name);
void cl_set_compression_threshold(size_t threshold);

static void hex(const char *p, size_t n) {
	for (size_t i = 0; i < n; i++) printf("%02x", (unsigned char)p[i]);
}

static int reencode(void) {
	static char line[1 << 20];
	static char buf[1 << 19];
	while (fgets(line, sizeof line, stdin)) {
		size_t h = strcspn(line, "\n"), n = h / 2;
		for (size_t i = 0; i < n; i++) sscanf(line + 2 * i, "%2hhx", (unsigned char *)&buf[i]);
		buf[n] = 0;
		struct ha_msg *m = wirefmt2msg(buf, n, 0);
		if (!m) { printf("REJECT\n"); continue; }
		size_t len = 0;
		char *ns = msg2netstring_noauth(m, &len);
		hex(ns, len);
		free(ns);
		putchar(' ');
		/* msg2string_buf rather than msg2string, which also refuses a message with no fields at all. */
		int sl = get_stringlen(m);
		char *cl = calloc(1, sl + 1);
		if (msg2string_buf(m, cl, sl, 0, 1) == 1) hex(cl, strlen(cl)); else printf("-");
		free(cl);
		putchar(' ');
		char *na = calloc(1, sl + 1);
		if (msg2string_buf(m, na, sl, 0, 0) == 1) hex(na, strlen(na)); else printf("-");
		free(na);
		putchar('\n');
		ha_msg_del(m);
	}
	return 0;
}

static void emit(struct ha_msg *m) {
	size_t len = 0;
	char *w = msg2wirefmt(m, &len);
	if (!w) { printf("FAIL\n"); return; }
	hex(w, len);
	putchar('\n');
	free(w);
}

/* "inflate NAME": heartbeat decompresses field NAME of each datagram (cl_get_struct); prints the child as netstring. */
struct ha_msg *cl_get_struct(struct ha_msg *msg, const char *name);
static int inflate(const char *name) {
	static char line[1 << 20];
	static char buf[1 << 19];
	while (fgets(line, sizeof line, stdin)) {
		size_t h = strcspn(line, "\n"), n = h / 2;
		for (size_t i = 0; i < n; i++) sscanf(line + 2 * i, "%2hhx", (unsigned char *)&buf[i]);
		buf[n] = 0;
		struct ha_msg *m = wirefmt2msg(buf, n, 0);
		struct ha_msg *child = m ? cl_get_struct(m, name) : NULL;
		if (!child) { printf("REJECT\n"); if (m) ha_msg_del(m); continue; }
		size_t len = 0;
		char *ns = msg2netstring_noauth(child, &len);
		hex(ns, len);
		putchar('\n');
		free(ns);
		ha_msg_del(m);
	}
	return 0;
}

static int build(void) {
	if (cl_set_compress_fns("zlib") != 1) { fprintf(stderr, "zlib plugin not loadable\n"); return 1; }
	struct ha_msg *child = ha_msg_new(0);
	ha_msg_add(child, "t", "cib");
	ha_msg_add(child, "data", "line one\nline two, with = and :");
	char *items[] = { "nodea", "nodeb", "node c" };
	cl_msg_add_list_str(child, "nodes", items, 3);
	struct ha_msg *grand = ha_msg_new(0);
	ha_msg_add(grand, "k", "v");
	ha_msg_addstruct(child, "grand", grand);

	struct ha_msg *m = ha_msg_new(0);
	ha_msg_add(m, "t", "crmd");
	ha_msg_addbin(m, "uuid", "\x01\x02\x00\xff\n,", 6);
	ha_msg_addstruct(m, "child", child);
	emit(m); /* 1: struct, nested struct, list, binary */

	struct ha_msg *z = ha_msg_new(0);
	ha_msg_add(z, "t", "crmd");
	ha_msg_addstruct_compress(z, "crm_xml", child);
	emit(z); /* 2: compressed field (zlib) */

	struct ha_msg *zc = ha_msg_new(0);
	struct ha_msg *flat = ha_msg_new(0);
	ha_msg_add(flat, "t", "flat");
	ha_msg_add(flat, "v", "x\ny");
	ha_msg_addstruct_compress(zc, "payload", flat);
	emit(zc); /* 3: compressed field whose child has no struct (heartbeat compresses its classic form) */
	return 0;
}

int main(int argc, char **argv) {
	if (argc == 2 && strcmp(argv[1], "reencode") == 0) return reencode();
	if (argc == 2 && strcmp(argv[1], "build") == 0) return build();
	if (argc == 3 && strcmp(argv[1], "inflate") == 0) return inflate(argv[2]);
	fprintf(stderr, "usage: %s reencode|build|inflate NAME\n", argv[0]);
	return 2;
}
