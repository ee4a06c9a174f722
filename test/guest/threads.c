// Threads: pthread_create/join, mutexes and condition variables (futexes), atomics
// (ll/sc) from several threads, thread-local storage, a thread spinning on a flag that
// another sets (the runner must be made to yield), signals sent to one thread, a
// thread that takes signals with sigwait while the others block them, fork from a
// threaded program, and the end: main leaves by pthread_exit and the last thread's
// exit ends the process.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void check(int ok, const char* what) {
  printf("%s: %s\n", what, ok ? "ok" : "FAILED");
  fflush(stdout);
}

static __thread int tls_value = 7;

static void* square(void* arg) {
  long n = (long)arg;
  tls_value = (int)n;  // each thread its own
  for (volatile int i = 0; i < 20000; ++i) {
  }
  return (void*)(n * n + tls_value - n);
}

static void test_create_join(void) {
  pthread_t t[8];
  for (long i = 0; i < 8; ++i) pthread_create(&t[i], NULL, square, (void*)i);
  long sum = 0;
  for (int i = 0; i < 8; ++i) {
    void* r;
    pthread_join(t[i], &r);
    sum += (long)r;
  }
  check(sum == 140, "eight threads return their squares");
  check(tls_value == 7, "the main thread's TLS is its own");
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static int atomic_counter;

static void* add_many(void* arg) {
  (void)arg;
  for (int i = 0; i < 20000; ++i) {
    pthread_mutex_lock(&lock);
    ++counter;
    pthread_mutex_unlock(&lock);
    __atomic_fetch_add(&atomic_counter, 1, __ATOMIC_SEQ_CST);
    if (i % 1000 == 0) sched_yield();
  }
  return NULL;
}

static void test_mutex_and_atomics(void) {
  pthread_t t[4];
  for (int i = 0; i < 4; ++i) pthread_create(&t[i], NULL, add_many, NULL);
  for (int i = 0; i < 4; ++i) pthread_join(t[i], NULL);
  check(counter == 80000, "a mutex keeps 80000 increments from four threads");
  check(atomic_counter == 80000, "ll/sc keeps 80000 atomic increments");
}

static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int queue[16], q_head, q_tail, q_done;

static void* producer(void* arg) {
  (void)arg;
  for (int i = 1; i <= 200; ++i) {
    pthread_mutex_lock(&lock);
    while (q_tail - q_head == 16) pthread_cond_wait(&cond, &lock);
    queue[q_tail++ % 16] = i;
    pthread_cond_broadcast(&cond);
    pthread_mutex_unlock(&lock);
  }
  pthread_mutex_lock(&lock);
  q_done = 1;
  pthread_cond_broadcast(&cond);
  pthread_mutex_unlock(&lock);
  return NULL;
}

static void test_condvar(void) {
  pthread_t t;
  q_head = q_tail = q_done = 0;
  pthread_create(&t, NULL, producer, NULL);
  long sum = 0;
  for (;;) {
    pthread_mutex_lock(&lock);
    while (q_head == q_tail && !q_done) pthread_cond_wait(&cond, &lock);
    if (q_head == q_tail && q_done) {
      pthread_mutex_unlock(&lock);
      break;
    }
    sum += queue[q_head++ % 16];
    pthread_cond_broadcast(&cond);
    pthread_mutex_unlock(&lock);
  }
  pthread_join(t, NULL);
  check(sum == 200 * 201 / 2, "a condition variable hands over 200 items");
}

static volatile int flag;

static void* set_flag(void* arg) {
  (void)arg;
  flag = 1;
  return NULL;
}

static void test_spin(void) {
  pthread_t t;
  flag = 0;
  pthread_create(&t, NULL, set_flag, NULL);
  while (!flag) {
  }  // no syscall: the new thread runs only if this one is made to yield
  pthread_join(t, NULL);
  check(1, "a spinning thread lets the thread it waits for run");
}

static volatile pid_t handled_by;

static void on_usr1(int sig) {
  (void)sig;
  handled_by = (pid_t)syscall(SYS_gettid);
}

static volatile int target_ready, target_stop;
static volatile pid_t target_tid;

static void* target(void* arg) {
  (void)arg;
  target_tid = (pid_t)syscall(SYS_gettid);
  target_ready = 1;
  while (!target_stop) usleep(1000);
  return NULL;
}

static void test_pthread_kill(void) {
  signal(SIGUSR1, on_usr1);
  pthread_t t;
  pthread_create(&t, NULL, target, NULL);
  while (!target_ready) usleep(1000);
  pthread_kill(t, SIGUSR1);
  // A bound in time, not in naps: on a loaded machine (eager mode compiles the
  // handler first) a thousand naps can pass before the target runs it.
  time_t give_up = time(NULL) + 60;
  while (!handled_by && time(NULL) < give_up) usleep(1000);
  check(handled_by == target_tid && target_tid != getpid(),
        "pthread_kill runs the handler on the thread it names");
  target_stop = 1;
  pthread_join(t, NULL);
  handled_by = 0;
  raise(SIGUSR1);
  check(handled_by == getpid(), "raise runs it on the caller");
}

static void* waiter(void* arg) {
  sigset_t* set = arg;
  int sig = 0;
  sigwait(set, &sig);
  return (void*)(long)sig;
}

static void test_sigwait_thread(void) {
  sigset_t set, old;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR2);
  pthread_sigmask(SIG_BLOCK, &set, &old);  // the new thread blocks it too
  pthread_t t;
  pthread_create(&t, NULL, waiter, &set);
  usleep(20000);  // let it start waiting: the signal then goes to the process
  kill(getpid(), SIGUSR2);
  void* r;
  pthread_join(t, &r);
  check((long)r == SIGUSR2, "a thread in sigwait takes a signal sent to the process");
  sigset_t pending;
  sigpending(&pending);
  check(!sigismember(&pending, SIGUSR2), "and it is no longer pending");
  pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static void* idle(void* arg) {
  (void)arg;
  usleep(50000);
  return NULL;
}

static void test_fork(void) {
  pthread_t t;
  pthread_create(&t, NULL, idle, NULL);
  pid_t pid = fork();
  if (pid == 0) {
    // Only the forking thread goes on in the child; it can make threads of its own.
    pthread_t u;
    void* r = NULL;
    if (pthread_create(&u, NULL, square, (void*)6) != 0 || pthread_join(u, &r) != 0) _exit(1);
    _exit((long)r == 36 ? 3 : 2);
  }
  int status;
  waitpid(pid, &status, 0);
  pthread_join(t, NULL);
  check(WIFEXITED(status) && WEXITSTATUS(status) == 3, "fork from a threaded program");
}

static void* last_one(void* arg) {
  // Waiting for main by joining it (its CLEARTID wake), not by sleeping: a sleep
  // races with main's printf on a loaded machine.
  pthread_t main_thread = *(pthread_t*)arg;
  int r = pthread_join(main_thread, NULL);
  printf("the last thread ends the process (join of main: %d)\n", r);
  fflush(stdout);
  return NULL;  // glibc's last thread calls exit(0)
}

int main(void) {
  test_create_join();
  test_mutex_and_atomics();
  test_condvar();
  test_spin();
  test_pthread_kill();
  test_sigwait_thread();
  test_fork();
  static pthread_t main_thread;
  main_thread = pthread_self();
  pthread_t t;
  pthread_create(&t, NULL, last_one, &main_thread);
  printf("main leaves by pthread_exit\n");
  fflush(stdout);
  pthread_exit(NULL);
}
