// Terminal ioctls: TCGETS (through tcgetattr) and TIOCGWINSZ, on whatever stdout is;
// then TCSETS (tcsetattr to a raw mode, read back), TIOCSWINSZ and TIOCGPGRP.
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

  struct termios raw = t, back;
  raw.c_lflag &= ~(ICANON | ECHO);
  raw.c_lflag |= ISIG;
  raw.c_cc[VMIN] = 3;
  raw.c_cc[VTIME] = 2;
  raw.c_cc[VINTR] = 7;
  struct winsize big = {40, 90, 0, 0}, ws2;
  if (tcsetattr(1, TCSADRAIN, &raw) != 0 || tcgetattr(1, &back) != 0 ||
      ioctl(1, TIOCSWINSZ, &big) != 0 || ioctl(1, TIOCGWINSZ, &ws2) != 0) {
    return 2;
  }
  int pgrp = -1;
  ioctl(1, TIOCGPGRP, &pgrp);
  tcsetattr(1, TCSANOW, &t);
  printf("set rows=%d cols=%d icanon=%d echo=%d isig=%d intr=%d vmin=%d vtime=%d pgrp=%d\n",
         ws2.ws_row, ws2.ws_col, !!(back.c_lflag & ICANON), !!(back.c_lflag & ECHO),
         !!(back.c_lflag & ISIG), back.c_cc[VINTR], back.c_cc[VMIN], back.c_cc[VTIME],
         pgrp == getpgrp());
  return 0;
}
