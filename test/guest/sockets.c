// Sockets and System V shared memory: TCP and UDP over loopback with addresses read
// back, MIPS's SOCK_STREAM/SOCK_DGRAM and SOL_SOCKET option numbers, socket option
// values (ints, linger, timeouts, errors), SOCK_NONBLOCK/SOCK_CLOEXEC, sendmsg/recvmsg
// with SCM_RIGHTS and SCM_CREDENTIALS and a truncated control buffer, shutdown; a
// shared memory segment that a forked child writes and the parent reads.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static void check(int ok, const char* what) { printf("%s: %s\n", what, ok ? "ok" : "FAILED"); }

static int getint(int fd, int level, int name) {
  int v = -1;
  socklen_t len = sizeof v;
  if (getsockopt(fd, level, name, &v, &len) != 0 || len != sizeof v) return -2;
  return v;
}

static void test_tcp(void) {
  int server = socket(AF_INET, SOCK_STREAM, 0);
  check(server >= 0, "socket(AF_INET, SOCK_STREAM)");
  int one = 1;
  check(setsockopt(server, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == 0, "SO_REUSEADDR set");
  check(getint(server, SOL_SOCKET, SO_REUSEADDR) == 1, "SO_REUSEADDR reads back 1");
  check(getint(server, SOL_SOCKET, SO_TYPE) == SOCK_STREAM, "SO_TYPE is SOCK_STREAM");
  check(getint(server, SOL_SOCKET, SO_DOMAIN) == AF_INET, "SO_DOMAIN is AF_INET");
  check(getint(server, SOL_SOCKET, SO_KEEPALIVE) == 0, "SO_KEEPALIVE off");
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  check(bind(server, (struct sockaddr*)&addr, sizeof addr) == 0, "bind 127.0.0.1:0");
  check(listen(server, 4) == 0, "listen");
  check(getint(server, SOL_SOCKET, SO_ACCEPTCONN) == 1, "SO_ACCEPTCONN");
  struct sockaddr_in bound;
  socklen_t len = sizeof bound;
  check(getsockname(server, (struct sockaddr*)&bound, &len) == 0 && len == sizeof bound &&
            bound.sin_family == AF_INET && bound.sin_port != 0 &&
            bound.sin_addr.s_addr == htonl(INADDR_LOOPBACK),
        "getsockname: AF_INET, a port, 127.0.0.1");

  int client = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  check((fcntl(client, F_GETFD) & FD_CLOEXEC) != 0, "SOCK_CLOEXEC");
  check(connect(client, (struct sockaddr*)&bound, sizeof bound) == 0, "connect");
  struct sockaddr_in peer;
  len = sizeof peer;
  int conn = accept4(server, (struct sockaddr*)&peer, &len, SOCK_NONBLOCK);
  check(conn >= 0 && peer.sin_family == AF_INET && peer.sin_addr.s_addr == htonl(INADDR_LOOPBACK),
        "accept4: the peer's address");
  check((fcntl(conn, F_GETFL) & O_NONBLOCK) != 0, "SOCK_NONBLOCK");
  char buf[64];
  errno = 0;
  check(recv(conn, buf, sizeof buf, 0) == -1 && errno == EAGAIN, "empty non-blocking recv: EAGAIN");
  check(setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) == 0 &&
            getint(client, IPPROTO_TCP, TCP_NODELAY) == 1,
        "TCP_NODELAY");
  check(send(client, "hello socket", 12, 0) == 12, "send");
  fd_set rd;
  FD_ZERO(&rd);
  FD_SET(conn, &rd);
  select(conn + 1, &rd, NULL, NULL, NULL);
  int pending = -1;
  check(ioctl(conn, FIONREAD, &pending) == 0 && pending == 12, "FIONREAD: 12 bytes waiting");
  check(ioctl(client, FIONBIO, &one) == 0 && (fcntl(client, F_GETFL) & O_NONBLOCK) != 0,
        "FIONBIO sets O_NONBLOCK");
  memset(buf, 0, sizeof buf);
  check(recv(conn, buf, sizeof buf, 0) == 12 && strcmp(buf, "hello socket") == 0, "recv");
  len = sizeof peer;
  check(getpeername(client, (struct sockaddr*)&peer, &len) == 0 && peer.sin_port == bound.sin_port,
        "getpeername: the server's port");
  check(shutdown(client, SHUT_WR) == 0, "shutdown(SHUT_WR)");
  FD_ZERO(&rd);
  FD_SET(conn, &rd);
  select(conn + 1, &rd, NULL, NULL, NULL);
  check(recv(conn, buf, sizeof buf, 0) == 0, "recv after the peer's shutdown: 0");

  struct linger lg = {1, 7};
  check(setsockopt(client, SOL_SOCKET, SO_LINGER, &lg, sizeof lg) == 0, "SO_LINGER set");
  struct linger lg2 = {0, 0};
  len = sizeof lg2;
  check(getsockopt(client, SOL_SOCKET, SO_LINGER, &lg2, &len) == 0 && len == sizeof lg2 &&
            lg2.l_onoff == 1 && lg2.l_linger == 7,
        "SO_LINGER reads back {1, 7}");
  struct timeval tv = {3, 250000}, tv2 = {0, 0};
  check(setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == 0, "SO_RCVTIMEO set");
  len = sizeof tv2;
  // Kept in the kernel's ticks: 3.25 s comes back rounded up to the next tick.
  check(getsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &tv2, &len) == 0 && tv2.tv_sec == 3 &&
            tv2.tv_usec >= 250000 && tv2.tv_usec < 260000,
        "SO_RCVTIMEO reads back 3.25 s");
  check(getint(client, SOL_SOCKET, SO_ERROR) == 0, "SO_ERROR 0");
  int v;
  len = sizeof v;
  errno = 0;
  check(getsockopt(client, SOL_SOCKET, 0x7777, &v, &len) == -1 && errno == ENOPROTOOPT,
        "an unknown option: ENOPROTOOPT");
  close(conn);
  close(client);
  close(server);

  // A refused connection's error, read through SO_ERROR of a non-blocking connect.
  int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  int r = connect(s, (struct sockaddr*)&bound, sizeof bound);  // the server is closed
  if (r != 0 && errno == EINPROGRESS) {
    fd_set wr;
    FD_ZERO(&wr);
    FD_SET(s, &wr);
    select(s + 1, NULL, &wr, NULL, NULL);
    r = getint(s, SOL_SOCKET, SO_ERROR);
  } else {
    r = r == 0 ? 0 : errno;
  }
  check(r == ECONNREFUSED, "connect to a closed port: ECONNREFUSED (146 on MIPS)");
  close(s);
}

static void test_udp(void) {
  int a = socket(AF_INET, SOCK_DGRAM, 0), b = socket(AF_INET, SOCK_DGRAM, 0);
  check(getint(a, SOL_SOCKET, SO_TYPE) == SOCK_DGRAM, "SO_TYPE is SOCK_DGRAM");
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(a, (struct sockaddr*)&addr, sizeof addr);
  bind(b, (struct sockaddr*)&addr, sizeof addr);
  struct sockaddr_in a_addr, b_addr, from;
  socklen_t len = sizeof a_addr;
  getsockname(a, (struct sockaddr*)&a_addr, &len);
  len = sizeof b_addr;
  getsockname(b, (struct sockaddr*)&b_addr, &len);
  check(sendto(b, "datagram", 8, 0, (struct sockaddr*)&a_addr, sizeof a_addr) == 8, "sendto");
  char buf[32] = "";
  len = sizeof from;
  check(recvfrom(a, buf, sizeof buf, 0, (struct sockaddr*)&from, &len) == 8 &&
            memcmp(buf, "datagram", 8) == 0 && len == sizeof from && from.sin_family == AF_INET &&
            from.sin_port == b_addr.sin_port,
        "recvfrom: the data and the sender's address");
  close(a);
  close(b);
}

static void test_msgs(void) {
  int sv[2];
  check(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair(AF_UNIX)");
  int on = 1;
  check(setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on) == 0, "SO_PASSCRED");
  int p[2];
  pipe(p);
  write(p[1], "through the passed fd", 21);
  close(p[1]);

  char data[] = "fd";
  struct iovec iov = {data, 2};
  union {
    char buf[CMSG_SPACE(sizeof(int))];
    struct cmsghdr align;
  } u;
  memset(&u, 0, sizeof u);
  struct msghdr msg;
  memset(&msg, 0, sizeof msg);
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = u.buf;
  msg.msg_controllen = sizeof u.buf;
  struct cmsghdr* cm = CMSG_FIRSTHDR(&msg);
  cm->cmsg_level = SOL_SOCKET;
  cm->cmsg_type = SCM_RIGHTS;
  cm->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(cm), &p[0], sizeof(int));
  check(sendmsg(sv[0], &msg, 0) == 2, "sendmsg with SCM_RIGHTS");
  close(p[0]);

  char in[8] = "";
  struct iovec iov2 = {in, sizeof in};
  union {
    char buf[256];
    struct cmsghdr align;
  } c2;
  struct msghdr rmsg;
  memset(&rmsg, 0, sizeof rmsg);
  rmsg.msg_iov = &iov2;
  rmsg.msg_iovlen = 1;
  rmsg.msg_control = c2.buf;
  rmsg.msg_controllen = sizeof c2.buf;
  check(recvmsg(sv[1], &rmsg, 0) == 2 && memcmp(in, "fd", 2) == 0, "recvmsg");
  int got_fd = -1, cred_ok = 0;
  for (struct cmsghdr* h = CMSG_FIRSTHDR(&rmsg); h; h = CMSG_NXTHDR(&rmsg, h)) {
    if (h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_RIGHTS) {
      memcpy(&got_fd, CMSG_DATA(h), sizeof(int));
    } else if (h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_CREDENTIALS) {
      struct ucred cr;
      memcpy(&cr, CMSG_DATA(h), sizeof cr);
      cred_ok = cr.pid == getpid() && cr.uid == getuid() && cr.gid == getgid();
    }
  }
  check(cred_ok, "SCM_CREDENTIALS: our pid, uid, gid");
  char text[32] = "";
  check(got_fd >= 0 && read(got_fd, text, sizeof text) == 21 &&
            memcmp(text, "through the passed fd", 21) == 0,
        "SCM_RIGHTS: the received fd reads the pipe");
  close(got_fd);
  check(rmsg.msg_flags == 0, "msg_flags 0");

  // A control buffer too small for the descriptor: MSG_CTRUNC.
  int q[2];
  pipe(q);
  memcpy(CMSG_DATA(CMSG_FIRSTHDR(&msg)), &q[0], sizeof(int));
  setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &(int){0}, sizeof(int));
  sendmsg(sv[0], &msg, 0);
  char small[CMSG_LEN(0)];
  rmsg.msg_control = small;
  rmsg.msg_controllen = sizeof small;
  check(recvmsg(sv[1], &rmsg, 0) == 2 && (rmsg.msg_flags & MSG_CTRUNC), "MSG_CTRUNC");
  close(q[0]);
  close(q[1]);
  struct ucred me;
  socklen_t len = sizeof me;
  check(getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &me, &len) == 0 && me.pid == getpid() &&
            me.uid == getuid(),
        "SO_PEERCRED");
  close(sv[0]);
  close(sv[1]);
}

static void test_shm(void) {
  int id = shmget(IPC_PRIVATE, 10000, IPC_CREAT | 0600);
  check(id >= 0, "shmget");
  volatile char* p = shmat(id, NULL, 0);
  check(p != (void*)-1, "shmat");
  struct shmid_ds ds;
  check(shmctl(id, IPC_STAT, &ds) == 0 && ds.shm_segsz == 10000 && ds.shm_nattch == 1 &&
            ds.shm_cpid == getpid() && (ds.shm_perm.mode & 0777) == 0600,
        "shmctl(IPC_STAT): size, attaches, creator, mode");
  strcpy((char*)p, "before");
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    strcpy((char*)p, "written by the child");
    _exit(0);
  }
  waitpid(pid, NULL, 0);
  check(strcmp((const char*)p, "written by the child") == 0, "the child's write is shared");
  check(shmdt((const void*)p) == 0, "shmdt");
  errno = 0;
  check(shmdt((const void*)p) == -1 && errno == EINVAL, "shmdt again: EINVAL");
  check(shmctl(id, IPC_RMID, NULL) == 0, "shmctl(IPC_RMID)");
}

// The socketcall multiplexer, as older C libraries call it.
static void test_socketcall(void) {
  int sv[2];
  long a[4] = {AF_UNIX, SOCK_STREAM, 0, (long)sv};
  check(syscall(SYS_socketcall, 8 /* SYS_SOCKETPAIR */, a) == 0, "socketcall(SOCKETPAIR)");
  long s[4] = {sv[0], (long)"via socketcall", 14, 0};
  check(syscall(SYS_socketcall, 9 /* SYS_SEND */, s) == 14, "socketcall(SEND)");
  char buf[32] = "";
  long r[4] = {sv[1], (long)buf, sizeof buf, 0};
  check(syscall(SYS_socketcall, 10 /* SYS_RECV */, r) == 14 && strcmp(buf, "via socketcall") == 0,
        "socketcall(RECV)");
  close(sv[0]);
  close(sv[1]);
}

int main(void) {
  test_socketcall();
  test_tcp();
  test_udp();
  test_msgs();
  test_shm();
  return 0;
}
