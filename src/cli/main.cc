#include <cstdio>

int main() {
  std::fputs("selfplay: subcommands are being built\n", stderr);
  return 2;
}
