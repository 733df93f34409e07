// order-service: not implemented yet (see the project's open issues). It exits at once with a clear
// message rather than pretending to run, so the stack harness does not start it.
#include <cstdio>

int main() {
  std::fprintf(stderr, "order-service: not implemented yet\n");
  return 3;
}
