// String and memory functions, including unaligned copies (lwl/lwr/swl/swr paths).
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
  char buf[256];
  strcpy(buf, "The quick brown fox");
  strcat(buf, " jumps over the lazy dog");
  printf("len=%zu cmp=%d ncmp=%d\n", strlen(buf), strcmp(buf, "The"), strncmp(buf, "The", 3));
  printf("chr=%s rchr=%s str=%s\n", strchr(buf, 'q'), strrchr(buf, 'o'), strstr(buf, "lazy"));
  char* dup = strdup(buf);
  for (char* p = dup; *p; ++p) *p = (char)toupper((unsigned char)*p);
  printf("upper=%s\n", dup);
  free(dup);
  char tok[] = "a,bb,,ccc,dddd";
  for (char* t = strtok(tok, ","); t; t = strtok(NULL, ",")) printf("[%s]", t);
  printf("\n");
  // memcpy/memmove at every alignment of source and destination.
  unsigned char src[64], dst[80];
  for (int i = 0; i < 64; ++i) src[i] = (unsigned char)(i * 7 + 3);
  unsigned long check = 0;
  for (int so = 0; so < 4; ++so) {
    for (int dof = 0; dof < 4; ++dof) {
      memset(dst, 0xee, sizeof dst);
      memcpy(dst + dof, src + so, 37);
      for (int i = 0; i < 80; ++i) check = check * 31 + dst[i];
    }
  }
  memmove(src + 3, src, 50);
  for (int i = 0; i < 64; ++i) check = check * 31 + src[i];
  printf("memcheck=%lu\n", check);
  printf("atoi=%d strtol=%ld strtoul=%lu\n", atoi("-1234"), strtol("0x7fff", NULL, 16),
         strtoul("4000000000", NULL, 10));
  char num[32];
  snprintf(num, sizeof num, "%08x|%-6d|%+d|%5s|%c", 0xbeef, 42, 7, "ab", 'Z');
  printf("%s\n", num);
  printf("memcmp=%d memchr=%s\n", memcmp("abc", "abd", 3) < 0, (char*)memchr(buf, 'j', 40));
  return 0;
}
