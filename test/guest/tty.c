// Terminal ioctls: TCGETS (through tcgetattr) and TIOCGWINSZ, on whatever stdout is.
#include <stdio.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

int main(void) {
  struct termios t;
  struct winsize ws;
  if (!isatty(1)) {
    printf("not a tty\n");
    return 0;
  }
  if (tcgetattr(1, &t) != 0 || ioctl(1, TIOCGWINSZ, &ws) != 0) return 1;
  printf("tty rows=%d cols=%d icanon=%d echo=%d isig=%d intr=%d eof=%d vmin=%d\n", ws.ws_row,
         ws.ws_col, !!(t.c_lflag & ICANON), !!(t.c_lflag & ECHO), !!(t.c_lflag & ISIG),
         t.c_cc[VINTR], t.c_cc[VEOF], t.c_cc[VMIN]);
  return 0;
}
