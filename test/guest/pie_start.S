# A freestanding static-pie (ET_DYN) program: it finds its message PC-relatively,
# writes it, and exits with status 7. It proves the loader's bias for ET_DYN images
# (Debian's cross toolchains ship no rcrt1.o, so C static-pie cannot be linked).
        .text
        .globl  __start
        .set    noreorder
__start:
        bal     1f
        nop
1:      addiu   $a1, $ra, msg - 1b      # a1 = &msg, wherever we were loaded
        li      $a0, 1
        li      $a2, msg_end - msg
        li      $v0, 4004               # write
        syscall
        li      $a0, 7
        li      $v0, 4246               # exit_group
        syscall
msg:    .ascii  "hello from a position-independent image\n"
msg_end:
